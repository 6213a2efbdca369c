#pragma once
// The live training monitor: loss (raw and smoothed), learning rate, it/s and one evaluation
// metric against step, every run overlaid in its own color. A thin widget: MonitorScene holds the
// curves (fed incrementally, decimated with DecimatedSeries, smoothed with DebiasedEma), each
// chart is a ChartView (zoom, pan, read-out) of the scene's LineChart, and export paints the
// views' charts through MonitorFigure. This class only holds the controls and the wiring.

#include <QPointF>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QVector>
#include <QWidget>

#include <array>
#include <set>
#include <vector>

#include "gui/plot/Exportable.h"
#include "gui/views/ViewState.h"
#include "gui/views/monitor/MonitorScene.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QSlider;

namespace flowscope::gui {

class AsyncQuery;
class ChartView;
class LiveSamples;
class LegendView;
class MonitorFigure;
class RunManager;

class TrainingMonitor : public QWidget, public Exportable, public ViewState {
  Q_OBJECT
 public:
  static constexpr int kMaxPointsPerSeries = MonitorScene::kMaxPointsPerSeries;

  explicit TrainingMonitor(RunManager* runs, QWidget* parent = nullptr);
  ~TrainingMonitor() override;

  /// Adds the live samples of image runs (gui/views/images/LiveSamples.h) under the charts,
  /// computed on `queries`; shown only while an image run is open.
  void attachLiveSamples(AsyncQuery* queries);
  LiveSamples* liveSamples() const { return live_; }

  void setSmoothing(double a);  ///< clamped to [0, 0.999]
  double smoothing() const { return scene_.settings().smoothing; }

  /// Charts: "loss", "lr", "it_per_s", "metric". Log scale drops values <= 0 from the drawing.
  void setLogScale(const QString& chart, bool on);
  bool logScale(const QString& chart) const;
  void setChartVisible(const QString& chart, bool visible);
  bool chartVisible(const QString& chart) const;

  /// The evaluation key plotted in the metric chart (an explicit choice sticks; until then
  /// "nfe" when a run has it, else the first key).
  void setMetric(const QString& key);
  QString metric() const { return scene_.settings().metric; }
  /// Every key in any run's evaluations, sorted.
  QStringList metricKeys() const { return scene_.metricKeys(); }

  QString stateKey() const override { return "training-monitor"; }
  QJsonObject saveState() const override;
  void restoreState(const QJsonObject& state) override;

  /// What is drawn for a run: "loss", "loss_smoothed", "lr", "it_per_s" or "metric".
  QVector<QPointF> seriesPoints(int runId, const QString& series) const;
  /// Draws progress that arrived since the last redraw (live updates are coalesced to 4 Hz).
  void flushPending();
  /// Fits every chart to its data and resumes following new data.
  void resetZoom();
  const MonitorScene& scene() const { return scene_; }
  /// The chart view of "loss", "lr", "it_per_s" or "metric" (nullptr for other names).
  ChartView* chartView(const QString& chart) const;
  /// The shown charts as export draws them.
  MonitorFigure figure() const;

  QString exportName() const override { return "training-monitor"; }
  QSize exportSize() const override { return {1000, 700}; }
  void renderExport(QPainter& painter, const QRectF& target) override;
  QString exportCsv() const override;

 Q_SIGNALS:
  void smoothingChanged(double a);
  void metricChanged(const QString& key);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  struct Pane {
    ChartView* view = nullptr;
    QCheckBox* log = nullptr;    ///< in the view's top-right corner
    QCheckBox* shown = nullptr;  ///< in the tool bar
  };
  std::vector<RunHistory> histories() const;
  void onProgress(int id);
  void refresh();  ///< scene from the runs, then every view from the scene
  void redraw();   ///< every view from the scene
  void syncControls();
  void relayoutGrid();

  QPointer<RunManager> runs_;  // may go away first at shutdown
  MonitorScene scene_;
  std::set<int> pendingRuns_;
  QTimer flushTimer_;
  QString lastMetric_;
  std::array<Pane, kMonitorCharts> panes_;
  QSlider* smoothingSlider_ = nullptr;
  QDoubleSpinBox* smoothingSpin_ = nullptr;
  QComboBox* metricCombo_ = nullptr;
  QGridLayout* grid_ = nullptr;
  LegendView* legend_ = nullptr;  ///< the runs, under the charts
  LiveSamples* live_ = nullptr;
};

}  // namespace flowscope::gui
