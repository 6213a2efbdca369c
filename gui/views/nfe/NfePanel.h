#pragma once
// Cost against accuracy for the user's own runs (the paper's Figure 7 and Figure 4 right): one
// background job sweeps every checked run over solvers, step counts and dopri5 tolerances from the
// same noise, and the panel draws numerical error and sample quality against NFE (log axes), then
// a strip of sample scatters at NFE 2, 4, 8, 16, 32 per run. Everything is QPainter-drawn, so the
// on-screen view and the exported figure are the same code and export stays vector.

#include <QColor>
#include <QPointF>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <map>
#include <set>
#include <utility>
#include <vector>

#include "gui/plot/Exportable.h"
#include "gui/views/ViewState.h"
#include "core/api/Queries.h"
#include "core/api/Sweeps.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace flowscope::gui {

class AsyncQuery;
class RunManager;

class NfePanel : public QWidget, public Exportable, public ViewState {
  Q_OBJECT
 public:
  /// Fixed-step solvers offered for the sweep, in drawing order.
  static const QStringList& sweepSolvers();
  /// NFE of the strip's columns.
  static const std::vector<int>& stripNfes();

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
  bool isBusy() const override { return sweepRunning_ || stripRunning_; }

  /// Runs shown in the run list, and whether each is checked.
  QStringList runNames() const;
  void setRunChecked(const QString& name, bool checked);
  bool isRunChecked(const QString& name) const;

  /// Quality metric drawn in the right chart (an explicit choice sticks while it is present).
  void setQualityMetric(const QString& key);
  QString qualityMetric() const;
  void setStripSolver(const QString& solver);  ///< "euler" (steps = NFE) or "midpoint" (NFE / 2)
  QString stripSolver() const;
  void setStripPoints(int n);
  int stripPoints() const;

  /// Message shown beside a field ("steps", "tolerances", "reference"); empty when valid.
  QString fieldMessage(const QString& field) const;

  const std::vector<std::pair<QString, SweepResult>>& results() const { return results_; }
  /// Run name -> one [n][2] point set per stripNfes() entry.
  const std::map<QString, std::vector<std::vector<float>>>& stripSamples() const { return stripSamples_; }
  /// What is drawn, in data units (x = NFE): chart "error" or "quality"; solver "dopri5" for the
  /// tolerance points. Points that a log axis cannot show (<= 0, NaN) are left out.
  QVector<QPointF> plottedPoints(const QString& run, const QString& solver, const QString& chart) const;

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
  enum class Chart { Error, Quality };
  struct Series {
    QString run;
    QColor color;
    QString solver;
    QVector<QPointF> points;  ///< sorted by NFE
  };
  struct StripRow {
    QString run;
    QColor color;
    ViewBounds bounds;
    std::vector<std::vector<float>> sets;
  };
  /// Maps data to pixels for one chart; shared by painting and tooltips.
  struct Frame {
    QRectF plot;
    double x0 = 0, x1 = 1, y0 = 0, y1 = 1;  ///< axis ranges (log10 values on log axes)
    bool logY = true;
    QPointF map(const QPointF& data) const;
  };

  QWidget* buildControls();
  void addRunItem(int id);
  QListWidgetItem* itemFor(int id) const;
  void validate();
  bool readSpec(SweepSpec& out, QString* firstError) const;
  void updateButtons();
  void setStatus(const QString& text, bool error = false);

  void addResult(const QString& run, const QColor& color, SweepResult result);
  void refreshMetricCombo();
  QString effectiveMetric() const;
  void sweepDone();
  void jobFailed(const QString& what, const QString& error);

  std::vector<Series> buildSeries(Chart chart) const;
  Frame chartFrame(Chart chart, const QRectF& rect, const std::vector<Series>& series) const;
  void paintChart(QPainter& p, const QRectF& rect, Chart chart, const QPalette& pal) const;
  QString chartTip(Chart chart, const QPointF& pos, const QRectF& rect) const;
  double legendHeight(double width) const;
  void paintLegend(QPainter& p, const QRectF& rect, const QPalette& pal) const;
  double stripHeight(double width) const;
  void paintStrip(QPainter& p, const QRectF& rect, const QPalette& pal) const;
  void repaintAll();

  QPointer<RunManager> runs_;
  QPointer<AsyncQuery> queries_;

  // Spec fields without a control: kept as set, so setSpec/spec round-trip.
  bool metrics_ = true;
  int64_t referenceCount_ = 5000;

  std::vector<std::pair<QString, SweepResult>> results_;
  std::map<QString, QColor> resultColors_;
  std::vector<StripRow> stripRows_;
  std::map<QString, std::vector<std::vector<float>>> stripSamples_;
  QString stripSolverUsed_;
  QString sweptReference_;  ///< the reference of the shown results
  std::set<QString> uncheckedRuns_;  ///< by name, so new runs start checked
  QString metricKey_;
  bool metricChosen_ = false;
  bool sweepRunning_ = false, stripRunning_ = false;
  int progressTotal_ = 0;

  QListWidget* runList_ = nullptr;
  std::map<QString, QCheckBox*> solverBoxes_;
  QLineEdit* stepsEdit_ = nullptr;
  QLineEdit* tolerancesEdit_ = nullptr;
  QLineEdit* referenceEdit_ = nullptr;
  QLabel* stepsMessage_ = nullptr;
  QLabel* tolerancesMessage_ = nullptr;
  QLabel* referenceMessage_ = nullptr;
  QLabel* solversMessage_ = nullptr;
  QSpinBox* samplesSpin_ = nullptr;
  QSpinBox* seedSpin_ = nullptr;
  QComboBox* metricCombo_ = nullptr;
  QComboBox* stripSolverCombo_ = nullptr;
  QSpinBox* stripPointsSpin_ = nullptr;
  QPushButton* runButton_ = nullptr;
  QPushButton* cancelButton_ = nullptr;
  QPushButton* stripButton_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
  QWidget* errorChart_ = nullptr;
  QWidget* qualityChart_ = nullptr;
  QWidget* legend_ = nullptr;
  QWidget* strip_ = nullptr;
};

}  // namespace flowscope::gui
