#include "gui/views/monitor/TrainingSeries.h"

#include <algorithm>
#include <cmath>

namespace flowscope::gui {
namespace {

bool accepts(const MonitorSettings& s, MonitorChart c, double y) {
  return std::isfinite(y) && (!s.log[static_cast<size_t>(c)] || y > 0);
}

}  // namespace

double lossOf(const ProgressSnapshot& p) { return std::isfinite(p.lossMean) ? p.lossMean : p.loss; }

TrainingSeries::TrainingSeries(int maxPoints)
    : curves_{DecimatedSeries(maxPoints), DecimatedSeries(maxPoints), DecimatedSeries(maxPoints),
              DecimatedSeries(maxPoints), DecimatedSeries(maxPoints)} {}

void TrainingSeries::feed(const RunHistory& run, const MonitorSettings& s) {
  if (ema_.smoothing() != DebiasedEma(s.smoothing).smoothing()) {
    rebuild(MonitorChart::Loss, run, s);  // also catches up on new records
  }
  if (run.progress && run.progress->size() > progressDone_) {
    feedProgress(*run.progress, progressDone_, run.progress->size(), kAll, s);
    progressDone_ = run.progress->size();
  }
  if (run.evals && run.evals->size() > evalsDone_) {
    feedEvals(*run.evals, evalsDone_, run.evals->size(), s);
    evalsDone_ = run.evals->size();
  }
}

void TrainingSeries::rebuild(MonitorChart chart, const RunHistory& run, const MonitorSettings& s) {
  switch (chart) {
    case MonitorChart::Loss:
      at(MonitorCurve::Loss).clear();
      at(MonitorCurve::LossSmoothed).clear();
      ema_ = DebiasedEma(s.smoothing);
      if (run.progress) feedProgress(*run.progress, 0, progressDone_, kRaw | kSmooth, s);
      break;
    case MonitorChart::Lr:
      at(MonitorCurve::Lr).clear();
      if (run.progress) feedProgress(*run.progress, 0, progressDone_, kLr, s);
      break;
    case MonitorChart::ItPerSec:
      at(MonitorCurve::ItPerSec).clear();
      if (run.progress) feedProgress(*run.progress, 0, progressDone_, kIts, s);
      break;
    case MonitorChart::Metric:
      at(MonitorCurve::Metric).clear();
      if (run.evals) feedEvals(*run.evals, 0, evalsDone_, s);
      break;
  }
}

void TrainingSeries::feedProgress(const std::vector<ProgressSnapshot>& records, size_t from, size_t to, unsigned mask,
                                  const MonitorSettings& s) {
  for (size_t i = from; i < to && i < records.size(); ++i) {
    const ProgressSnapshot& p = records[i];
    const double x = static_cast<double>(p.step);
    firstStep_ = firstStep_ < 0 ? p.step : std::min(firstStep_, p.step);
    lastStep_ = std::max(lastStep_, p.step);
    const double loss = lossOf(p);
    if ((mask & kRaw) && accepts(s, MonitorChart::Loss, loss)) at(MonitorCurve::Loss).append({x, loss});
    if ((mask & kSmooth) && std::isfinite(loss)) {
      const double smoothed = ema_.push(loss);  // the average sees every finite loss, drawn or not
      if (accepts(s, MonitorChart::Loss, smoothed)) at(MonitorCurve::LossSmoothed).append({x, smoothed});
    }
    if ((mask & kLr) && accepts(s, MonitorChart::Lr, p.lr)) at(MonitorCurve::Lr).append({x, p.lr});
    if ((mask & kIts) && accepts(s, MonitorChart::ItPerSec, p.itPerSec)) at(MonitorCurve::ItPerSec).append({x, p.itPerSec});
  }
}

void TrainingSeries::feedEvals(const std::vector<EvalSnapshot>& records, size_t from, size_t to,
                               const MonitorSettings& s) {
  const std::string key = s.metric.toStdString();
  for (size_t i = from; i < to && i < records.size(); ++i) {
    const EvalSnapshot& e = records[i];
    for (const auto& kv : e.values) evalKeys_.insert(QString::fromStdString(kv.first));
    firstStep_ = firstStep_ < 0 ? e.step : std::min(firstStep_, e.step);
    lastStep_ = std::max(lastStep_, e.step);
    const auto v = e.values.find(key);
    if (!key.empty() && v != e.values.end() && accepts(s, MonitorChart::Metric, v->second))
      at(MonitorCurve::Metric).append({static_cast<double>(e.step), v->second});
  }
}

}  // namespace flowscope::gui
