#pragma once
// The vector field view: a run's learned field v_t, the conditional field u_t(x|x1) of eq. 15
// (Figures 2 and 8), the marginal field u_t of eq. 8 and the residual v_t - u_t, as arrows and/or
// streamlines colored by magnitude, at the view's time. Controls and wiring only: a FieldRequest
// is computed on a background thread (AsyncQuery) with at most one in flight and one pending (the
// newest state wins) into a FieldScene, drawn by a FieldPlot on a FieldCanvas and in exports.

#include <QPointF>
#include <QPointer>
#include <QString>
#include <QWidget>

#include <cstdint>
#include <optional>

#include "gui/plot/Exportable.h"
#include "gui/views/ViewState.h"
#include "gui/views/field/FieldPlot.h"
#include "gui/views/field/FieldRequest.h"
#include "gui/views/field/FieldScene.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSlider;

namespace flowscope::gui {

class AsyncQuery;
class FieldCanvas;
class RunManager;
class TimeController;
class ViewTime;

class VectorFieldView : public QWidget, public Exportable, public ViewState {
  Q_OBJECT
 public:
  using Source = FieldSource;
  using Display = FieldDisplay;

  static constexpr int kMarginalPoints = FieldRequest::kMarginalPoints;
  static constexpr uint64_t kMarginalSeed = FieldRequest::kMarginalSeed;
  /// Grid densities offered (points per side).
  static constexpr int kGridSizes[] = {16, 24, 32, 48};

  VectorFieldView(RunManager* runs, TimeController* time, AsyncQuery* queries, QWidget* parent = nullptr);
  ~VectorFieldView() override;

  static QString sourceKey(Source s) { return fieldSourceKey(s); }
  static std::optional<Source> sourceFromKey(const QString& key) { return fieldSourceFromKey(key); }

  void setRun(int id);  ///< -1: none (only the conditional field can be shown)
  int run() const { return runId_; }
  void setSource(Source s);
  bool setSource(const QString& key);  ///< false for an unknown key
  Source source() const { return source_; }
  /// x1 of the conditional field (eq. 15); also set by clicking in the plot.
  void setConditionalPoint(QPointF x1);
  QPointF conditionalPoint() const { return x1_; }
  void setGridSize(int n);  ///< one of kGridSizes (others are rounded to the nearest)
  int gridSize() const { return gridSize_; }
  void setDisplay(Display d);
  Display display() const { return display_; }
  void setArrowScale(double scale);  ///< longest arrow in grid cells, 0.1 .. 3
  double arrowScale() const { return scene_.arrowScale(); }
  void setColorByMagnitude(bool on);
  bool colorByMagnitude() const { return colorByMagnitude_; }
  /// True when the marginal is the Gaussian closed form (the run's data is `gaussian`).
  bool closedFormMarginal() const;

  const FieldScene& scene() const { return scene_; }
  ViewTime* viewTime() const { return time_; }
  /// The drawing surface; dataToPlot() gives its pixel for a data point (tests click there).
  FieldCanvas* canvas() const { return canvas_; }
  QWidget* plotWidget() const;
  QPointF dataToPlot(QPointF data) const;
  /// The title of the picture shown (empty before the first field).
  QString title() const { return title_; }
  /// What the canvas and exports are told to draw.
  FieldLook look(bool live) const;

  QString exportName() const override;
  QSize exportSize() const override { return {760, 700}; }
  void renderExport(QPainter& painter, const QRectF& target) override;
  std::vector<QRectF> exportTextRects(const QRectF& target) override;
  QString exportCsv() const override { return scene_.csv(); }
  bool isBusy() const override { return inFlight_ || pending_; }
  QString failure() const override { return failure_; }
  void refreshForExport() override;

  QString stateKey() const override { return "vector-field"; }
  QJsonObject saveState() const override;
  void restoreState(const QJsonObject& state) override;

 public Q_SLOTS:
  /// Recomputes the field for the current settings (coalesced).
  void refresh();

 Q_SIGNALS:
  /// A computed field is now shown (scene() holds it).
  void sceneUpdated();

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void buildControls();
  void addRunItem(int id);
  void removeRunItem(int id);
  void syncControls();
  void updateCanvas();
  FieldRequest currentRequest() const;
  void startRequest();
  void applyResult(FieldResult r);
  void applyFailure(const QString& message);

  QPointer<RunManager> runs_;
  QPointer<AsyncQuery> queries_;
  ViewTime* time_ = nullptr;
  QString key_;

  int runId_ = -1;
  QString pendingRunDir_;  // from a restored session: chosen when that run appears
  Source source_ = Source::Learned;
  Display display_ = Display::Both;
  int gridSize_ = 24;
  bool colorByMagnitude_ = true;
  QPointF x1_{1.0, 1.0};

  FieldScene scene_;
  QString title_, message_, failure_, shownSource_;
  bool inFlight_ = false, pending_ = false;
  bool staleWhileHidden_ = false;

  QComboBox* runCombo_ = nullptr;
  QComboBox* sourceCombo_ = nullptr;
  QComboBox* gridCombo_ = nullptr;
  QComboBox* displayCombo_ = nullptr;
  QSlider* scaleSlider_ = nullptr;
  QCheckBox* colorCheck_ = nullptr;
  QCheckBox* linkedCheck_ = nullptr;
  QDoubleSpinBox* timeSpin_ = nullptr;
  FieldCanvas* canvas_ = nullptr;
};

}  // namespace flowscope::gui
