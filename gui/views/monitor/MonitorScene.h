#pragma once
// What the training monitor shows, widget-free: every run's TrainingSeries, the settings they are
// drawn with (smoothing, log scales, the metric), and the four charts as LineCharts (loss raw and
// smoothed, learning rate, it/s, one evaluation metric), all on one shared step axis so the
// charts line up. The widget feeds it RunHistory views of RunManager's records; tests feed it
// records made by hand.

#include <QPointF>
#include <QString>
#include <QStringList>
#include <QVector>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "gui/plot/LineChart.h"
#include "gui/views/monitor/TrainingSeries.h"

namespace flowscope::gui {

class MonitorScene {
 public:
  /// Points kept per drawn curve (DecimatedSeries keeps each bucket's extremes past that).
  static constexpr int kMaxPointsPerSeries = 5000;

  /// Takes in `runs`: adds new ones, appends records that arrived, forgets runs not listed, and
  /// picks the metric ("nfe" when a run has it, else the first key) until one is chosen.
  void update(const std::vector<RunHistory>& runs);

  const MonitorSettings& settings() const { return settings_; }
  void setSmoothing(double a, const std::vector<RunHistory>& runs);  ///< clamped to [0, 0.999]
  void setLogScale(MonitorChart chart, bool on, const std::vector<RunHistory>& runs);
  /// An explicit choice sticks (an empty key returns to the automatic choice).
  void setMetric(const QString& key, const std::vector<RunHistory>& runs);
  bool metricChosen() const { return metricChosen_; }
  /// Every key in any run's evaluations, sorted.
  QStringList metricKeys() const;

  bool hasRun(int id) const { return series_.count(id) > 0; }
  QVector<QPointF> points(int id, MonitorCurve curve) const;
  /// The steps every chart spans: all runs' records, padded a little (nullopt before any).
  std::optional<std::pair<double, double>> stepRange() const;

  /// What a chart draws: titles, scales, one curve per run (two for the loss).
  LineChart chart(MonitorChart chart) const;
  /// One entry per run, in its color: the legend all four charts share.
  std::vector<LegendEntry> legend() const;
  static QString chartName(MonitorChart chart);  ///< "loss", "lr", "it_per_s", "metric"
  static std::optional<MonitorChart> chartByName(const QString& name);

 private:
  struct Run {
    QString name;
    QColor color;
    std::unique_ptr<TrainingSeries> series;
  };
  void rebuild(MonitorChart chart, const std::vector<RunHistory>& runs);
  void chooseMetric(const std::vector<RunHistory>& runs);

  MonitorSettings settings_;
  bool metricChosen_ = false;
  std::map<int, Run> series_;
};

}  // namespace flowscope::gui
