#pragma once
// Cost against accuracy for the user's own runs (the paper's Figure 7 and Figure 4 right): one
// background job sweeps every checked run over solvers, step counts and dopri5 tolerances from the
// same noise, and the panel draws numerical error and sample quality against NFE (log axes), then
// a strip of sample scatters at NFE 2, 4, 8, 16, 32 per run. A thin widget: NfeScene holds the
// results as numbers, NfeChart/NfeStrip/NfeFigure draw them on the plot layer (screen and export
// alike), NfeSweepJob runs the work off the GUI thread, NfeSweepForm holds the controls.

#include <QPointF>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <map>
#include <utility>
#include <vector>

#include "core/api/Sweeps.h"
#include "gui/plot/Exportable.h"
#include "gui/views/ViewState.h"
#include "gui/views/nfe/NfeScene.h"
#include "gui/views/nfe/NfeSweepJob.h"

namespace flowscope::gui {

class AsyncQuery;
class ChartView;
class LegendView;
class NfeFigure;
class NfeStripView;
class NfeSweepForm;
class RunManager;

class NfePanel : public QWidget, public Exportable, public ViewState {
  Q_OBJECT
 public:
  /// Fixed-step solvers offered for the sweep (the solver registry's), in drawing order.
  static QStringList sweepSolvers() { return NfeScene::sweepSolvers(); }
  /// NFE of the strip's columns.
  static const std::vector<int>& stripNfes() { return NfeScene::stripNfes(); }

  NfePanel(RunManager* runs, AsyncQuery* queries, QWidget* parent = nullptr);
  ~NfePanel() override;

  /// Sets the sweep controls (solvers, steps, tolerances, n, seed, reference); metrics and
  /// referenceCount are kept as given.
  void setSpec(const SweepSpec& spec);
  /// The controls as a spec; a field that does not parse contributes SweepSpec's default.
  SweepSpec spec() const;

  /// Starts the sweep of every checked run (cancels the previous one). Does nothing but show
  /// messages when a field is invalid or no run is checked. The strip follows automatically.
  void runSweep();
  /// Samples the strip for every checked run (also started after each sweep).
  void runStrip();
  /// Stops the sweep and the strip; what already arrived stays drawn.
  void cancel();
  bool isBusy() const override;

  QStringList runNames() const;
  void setRunChecked(const QString& name, bool checked);
  bool isRunChecked(const QString& name) const;

  /// Quality metric drawn in the right chart (an explicit choice sticks while it is present).
  void setQualityMetric(const QString& key);
  QString qualityMetric() const { return scene_.metric(); }
  void setStripSolver(const QString& solver);  ///< a fixed-step solver; steps = NFE / stages
  QString stripSolver() const;
  void setStripPoints(int n);
  int stripPoints() const;

  /// Message shown beside a field ("steps", "tolerances", "reference", "solvers"); empty when valid.
  QString fieldMessage(const QString& field) const;

  const NfeScene& scene() const { return scene_; }
  const std::vector<std::pair<QString, SweepResult>>& results() const { return scene_.results(); }
  /// Run name -> one [n][2] point set per stripNfes() entry.
  const std::map<QString, std::vector<std::vector<float>>>& stripSamples() const { return scene_.stripSamples(); }
  /// What is drawn, in data units (x = NFE): chart "error" or "quality"; solver "dopri5" for the
  /// tolerance points. Points that a log axis cannot show (<= 0, NaN) are left out.
  QVector<QPointF> plottedPoints(const QString& run, const QString& solver, const QString& chart) const;
  /// The error or quality chart view.
  ChartView* chartView(const QString& chart) const;
  /// The figure export paints, in export colors.
  NfeFigure figure() const;

  QString exportName() const override { return "nfe-quality"; }
  QSize exportSize() const override;
  void renderExport(QPainter& painter, const QRectF& target) override;
  QString exportCsv() const override;

  QString stateKey() const override { return "nfe-quality"; }
  QJsonObject saveState() const override;
  void restoreState(const QJsonObject& state) override;

 Q_SIGNALS:
  void sweepFinished();
  void stripFinished();

 private:
  void addRun(int id);
  std::vector<NfeRunJob> checkedRuns() const;
  void onSweepFinished();
  void redraw();

  QPointer<RunManager> runs_;
  NfeScene scene_;
  NfeSweepJob* job_ = nullptr;
  NfeSweepForm* form_ = nullptr;
  ChartView* errorChart_ = nullptr;
  ChartView* qualityChart_ = nullptr;
  LegendView* legend_ = nullptr;
  NfeStripView* strip_ = nullptr;
};

}  // namespace flowscope::gui
