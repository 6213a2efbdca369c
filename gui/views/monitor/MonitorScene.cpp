#include "gui/views/monitor/MonitorScene.h"

#include <algorithm>
#include <cmath>

namespace flowscope::gui {
namespace {

constexpr const char* kNames[] = {"loss", "lr", "it_per_s", "metric"};

}  // namespace

QString MonitorScene::chartName(MonitorChart c) { return kNames[static_cast<int>(c)]; }

std::optional<MonitorChart> MonitorScene::chartByName(const QString& name) {
  for (int c = 0; c < kMonitorCharts; ++c)
    if (name == kNames[c]) return static_cast<MonitorChart>(c);
  return std::nullopt;
}

void MonitorScene::update(const std::vector<RunHistory>& runs) {
  std::set<int> listed;
  for (const RunHistory& h : runs) {
    listed.insert(h.id);
    Run& r = series_[h.id];
    if (!r.series) r.series = std::make_unique<TrainingSeries>(kMaxPointsPerSeries);
    r.name = h.name;
    r.color = h.color;
    r.series->feed(h, settings_);
  }
  for (auto it = series_.begin(); it != series_.end();)
    it = listed.count(it->first) ? std::next(it) : series_.erase(it);
  chooseMetric(runs);
}

void MonitorScene::rebuild(MonitorChart chart, const std::vector<RunHistory>& runs) {
  for (const RunHistory& h : runs)
    if (auto it = series_.find(h.id); it != series_.end()) it->second.series->rebuild(chart, h, settings_);
}

void MonitorScene::setSmoothing(double a, const std::vector<RunHistory>& runs) {
  const double clamped = DebiasedEma(a).smoothing();
  if (!std::isfinite(a) || clamped == settings_.smoothing) return;
  settings_.smoothing = clamped;
  rebuild(MonitorChart::Loss, runs);
}

void MonitorScene::setLogScale(MonitorChart chart, bool on, const std::vector<RunHistory>& runs) {
  bool& log = settings_.log[static_cast<size_t>(chart)];
  if (log == on) return;
  log = on;
  rebuild(chart, runs);  // drops or restores the values <= 0
}

void MonitorScene::setMetric(const QString& key, const std::vector<RunHistory>& runs) {
  metricChosen_ = !key.isEmpty();
  if (!metricChosen_) {
    chooseMetric(runs);
    return;
  }
  if (key == settings_.metric) return;
  settings_.metric = key;
  rebuild(MonitorChart::Metric, runs);
}

void MonitorScene::chooseMetric(const std::vector<RunHistory>& runs) {
  if (metricChosen_) return;
  const QStringList keys = metricKeys();
  const QString want = keys.contains("nfe") ? QString("nfe") : keys.isEmpty() ? QString() : keys.front();
  if (want == settings_.metric) return;
  settings_.metric = want;
  rebuild(MonitorChart::Metric, runs);
}

QStringList MonitorScene::metricKeys() const {
  std::set<QString> keys;
  for (const auto& [id, r] : series_) keys.insert(r.series->evalKeys().begin(), r.series->evalKeys().end());
  return QStringList(keys.begin(), keys.end());
}

QVector<QPointF> MonitorScene::points(int id, MonitorCurve curve) const {
  const auto it = series_.find(id);
  return it == series_.end() ? QVector<QPointF>{} : it->second.series->curve(curve).points();
}

std::optional<std::pair<double, double>> MonitorScene::stepRange() const {
  double lo = 0, hi = 0;
  bool any = false;
  for (const auto& [id, r] : series_) {
    if (r.series->firstStep() < 0) continue;
    const double a = static_cast<double>(r.series->firstStep()), b = static_cast<double>(r.series->lastStep());
    lo = any ? std::min(lo, a) : a, hi = any ? std::max(hi, b) : b;
    any = true;
  }
  if (!any) return std::nullopt;
  if (hi - lo < 1) lo -= 1, hi += 1;
  // A little air on both sides keeps the end markers and line caps inside the plot.
  const double pad = (hi - lo) * 0.02;
  return std::make_pair(lo - pad, hi + pad);
}

LineChart MonitorScene::chart(MonitorChart c) const {
  static const char* titles[] = {"Loss", "Learning rate", "Iterations per second", "Evaluation"};
  static const char* yTitles[] = {"loss", "learning rate", "it/s", ""};
  const bool metric = c == MonitorChart::Metric;
  LineChart chart;
  chart.title = metric && !settings_.metric.isEmpty() ? "Evaluation: " + settings_.metric : titles[static_cast<int>(c)];
  chart.xTitle = "step";
  chart.yTitle = metric ? settings_.metric : QString(yTitles[static_cast<int>(c)]);
  chart.yScale = settings_.log[static_cast<size_t>(c)] ? AxisScale::Log : AxisScale::Linear;
  chart.xFit = stepRange();
  chart.placeholder = series_.empty() ? QString("Open or train a run to see its curves")
                      : metric && settings_.metric.isEmpty()
                          ? QString("No evaluations yet (set evaluation.every in the experiment)")
                          : QString("Nothing to draw on this axis yet");
  for (const auto& [id, r] : series_) {
    auto add = [&](MonitorCurve curve, const QString& quantity, const QColor& color, double width, Marker marker) {
      LineSeries s;
      s.name = r.name;
      s.quantity = quantity;
      s.color = color;
      s.width = width;
      s.marker = marker;
      s.points = r.series->curve(curve).points();
      chart.series.push_back(std::move(s));
    };
    switch (c) {
      case MonitorChart::Loss: {
        QColor faint = r.color;
        faint.setAlphaF(0.3f);
        add(MonitorCurve::Loss, "loss", faint, 1.0, Marker::None);
        add(MonitorCurve::LossSmoothed, "loss (smoothed)", r.color, 2.0, Marker::None);
        break;
      }
      case MonitorChart::Lr: add(MonitorCurve::Lr, "lr", r.color, 1.5, Marker::None); break;
      case MonitorChart::ItPerSec: add(MonitorCurve::ItPerSec, "it/s", r.color, 1.5, Marker::None); break;
      case MonitorChart::Metric:  // evaluations are sparse: show where they are
        add(MonitorCurve::Metric, settings_.metric, r.color, 1.5, Marker::Circle);
        break;
    }
  }
  return chart;
}

std::vector<LegendEntry> MonitorScene::legend() const {
  std::vector<LegendEntry> out;
  for (const auto& [id, r] : series_) {
    LegendEntry e;
    e.label = r.name;
    e.color = r.color;
    out.push_back(e);
  }
  return out;
}

}  // namespace flowscope::gui
