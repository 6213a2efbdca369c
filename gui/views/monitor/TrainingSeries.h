#pragma once
// One run's curves in the training monitor, fed incrementally from its records: raw and
// smoothed loss, learning rate, it/s and one evaluation metric against step, each a
// DecimatedSeries. Widget-free: tests feed it hand-made records and read the numbers back.

#include <QColor>
#include <QString>

#include <array>
#include <set>
#include <vector>

#include "core/api/TrainingJob.h"
#include "gui/views/monitor/DebiasedEma.h"
#include "gui/views/monitor/DecimatedSeries.h"

namespace flowscope::gui {

enum class MonitorChart { Loss, Lr, ItPerSec, Metric };
constexpr int kMonitorCharts = 4;

enum class MonitorCurve { Loss, LossSmoothed, Lr, ItPerSec, Metric };
constexpr int kMonitorCurves = 5;

/// What the monitor reads of one run: its records as RunManager holds them (not owned).
struct RunHistory {
  int id = 0;
  QString name;
  QColor color;
  const std::vector<ProgressSnapshot>* progress = nullptr;
  const std::vector<EvalSnapshot>* evals = nullptr;
};

struct MonitorSettings {
  double smoothing = 0.9;
  std::array<bool, kMonitorCharts> log{};  ///< log y axis per chart (values <= 0 are not drawn)
  QString metric;                          ///< the evaluation key of the metric chart
};

/// The drawn loss: the mean over the record's interval when known (live records), else the last
/// step's loss (metrics.csv).
double lossOf(const ProgressSnapshot& p);

class TrainingSeries {
 public:
  explicit TrainingSeries(int maxPoints);

  /// Appends the records of `run` that arrived since the last call.
  void feed(const RunHistory& run, const MonitorSettings& settings);
  /// Refills the curves of `chart` from the whole history (a setting changed).
  void rebuild(MonitorChart chart, const RunHistory& run, const MonitorSettings& settings);

  const DecimatedSeries& curve(MonitorCurve c) const { return curves_[static_cast<size_t>(c)]; }
  /// Every key in the run's evaluations so far.
  const std::set<QString>& evalKeys() const { return evalKeys_; }
  int64_t firstStep() const { return firstStep_; }
  int64_t lastStep() const { return lastStep_; }

 private:
  enum : unsigned { kRaw = 1, kSmooth = 2, kLr = 4, kIts = 8, kAll = 15 };
  void feedProgress(const std::vector<ProgressSnapshot>& records, size_t from, size_t to, unsigned mask,
                    const MonitorSettings& settings);
  void feedEvals(const std::vector<EvalSnapshot>& records, size_t from, size_t to, const MonitorSettings& settings);
  DecimatedSeries& at(MonitorCurve c) { return curves_[static_cast<size_t>(c)]; }

  std::array<DecimatedSeries, kMonitorCurves> curves_;
  DebiasedEma ema_;
  size_t progressDone_ = 0, evalsDone_ = 0;
  std::set<QString> evalKeys_;
  int64_t firstStep_ = -1, lastStep_ = -1;
};

}  // namespace flowscope::gui
