#pragma once
// The live training monitor: loss (raw and smoothed), learning rate, it/s and one evaluation
// metric against step, every run overlaid in its own color. Updates are incremental: each
// progressUpdated appends only the new records to the drawn series (decimated past
// kMaxPointsPerSeries), so a long run stays cheap to redraw; series are rebuilt only when what
// they show changes (smoothing, log scale, metric).

#include <QPointF>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QTimer>
#include <QWidget>

#include <array>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "gui/plot/Exportable.h"
#include "gui/views/ViewState.h"

class QAbstractAxis;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QSlider;

namespace flowscope::gui {

class RunManager;
struct RunRecord;

class TrainingMonitor : public QWidget, public Exportable, public ViewState {
  Q_OBJECT
 public:
  /// Points kept per drawn series; longer histories keep every k-th record and the newest one.
  static constexpr int kMaxPointsPerSeries = 5000;

  explicit TrainingMonitor(RunManager* runs, QWidget* parent = nullptr);
  ~TrainingMonitor() override;

  /// TensorBoard's smoothing: s_k = a s_{k-1} + (1 - a) x_k from s_0 = 0, reported as
  /// s_k / (1 - a^k), so the first value is x_0 and a = 0 returns the input. Non-finite values
  /// come back as NaN and leave the state unchanged.
  static std::vector<double> debiasedEma(const std::vector<double>& values, double a);

  void setSmoothing(double a);  ///< clamped to [0, 0.999]
  double smoothing() const { return smoothing_; }

  /// Charts: "loss", "lr", "it_per_s", "metric". Log scale drops values <= 0 from the drawing.
  void setLogScale(const QString& chart, bool on);
  bool logScale(const QString& chart) const;
  void setChartVisible(const QString& chart, bool visible);
  bool chartVisible(const QString& chart) const;

  /// The evaluation key plotted in the metric chart (an explicit choice sticks; until then
  /// "nfe" when a run has it, else the first key).
  void setMetric(const QString& key);

  QString stateKey() const override { return "training-monitor"; }
  QJsonObject saveState() const override;
  void restoreState(const QJsonObject& state) override;
  QString metric() const { return metricKey_; }
  /// Every key in any run's evaluations, sorted.
  QStringList metricKeys() const;

  /// What is drawn for a run: "loss", "loss_smoothed", "lr", "it_per_s" or "metric".
  QVector<QPointF> seriesPoints(int runId, const QString& series) const;
  /// Draws progress that arrived since the last redraw (live updates are coalesced to 4 Hz:
  /// re-laying out Qt Charts at every 50 ms drain stalled the event loop on a real display).
  void flushPending();
  /// Fits every chart to its data and resumes following new data.
  void resetZoom();

  QString exportName() const override { return "training-monitor"; }
  QSize exportSize() const override { return {1000, 700}; }
  void renderExport(QPainter& painter, const QRectF& target) override;
  QString exportCsv() const override;

 Q_SIGNALS:
  void smoothingChanged(double a);
  void metricChanged(const QString& key);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  enum Chart { Loss, Lr, ItPerSec, Metric, ChartCount };
  struct Trace;
  struct RunTraces;
  struct Panel;

  void addRun(int id);
  void removeRun(int id);
  void onProgress(int id);
  void applyProgress(int id);
  void onEvaluation(int id);

  /// Appends progress records [from, to) to the traces selected by `mask` (bits of Feed).
  void feedProgress(RunTraces& rt, const RunRecord& r, size_t from, size_t to, unsigned mask);
  void feedEvals(RunTraces& rt, const RunRecord& r, size_t from, size_t to);
  /// Clears and refills one chart's traces (log scale or metric changed).
  void rebuildChart(Chart c);
  void rebuildSmoothed();
  bool accepts(Chart c, double y) const;
  std::vector<Trace*> traces(RunTraces& rt, Chart c) const;

  void fit(Chart c, bool force = false);
  void applyLogAxis(Chart c);
  void applyTheme();
  void styleAxis(QAbstractAxis* axis) const;
  void styleSeries(RunTraces& rt);
  void relayoutGrid();
  void refreshMetricKeys();
  void applyMetric(const QString& key);
  int chartIndex(const QString& name) const;

  QPointer<RunManager> runs_;  // may go away first at shutdown
  double smoothing_ = 0.9;
  std::set<int> pendingRuns_;
  QTimer flushTimer_;
  QString metricKey_;
  bool metricChosen_ = false;
  std::set<QString> metricKeys_;

  std::array<std::unique_ptr<Panel>, ChartCount> panels_;
  std::map<int, std::unique_ptr<RunTraces>> runTraces_;

  QSlider* smoothingSlider_ = nullptr;
  QDoubleSpinBox* smoothingSpin_ = nullptr;
  QComboBox* metricCombo_ = nullptr;
  QGridLayout* grid_ = nullptr;
};

}  // namespace flowscope::gui
