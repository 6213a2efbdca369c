#pragma once
// The density path view: p_t of a run's newest weights as a 2D histogram of particles at the
// view's t, with a few trajectories drawn over it (Figures 1 and 4 of the paper; t = 0 noise,
// t = 1 data). Trajectories are solved once per weight snapshot at kStoredTimes times in the
// background (AsyncQuery, partial chunks shown as they come) and scrubbing t only interpolates.
// Optionally shows the model's exact p_t (instantaneous change of variables) instead, refined
// progressively from 16x16 to 128x128 cells. Thin: DensityControls holds the controls,
// DensityJobs the background work, DensityScene the numbers, DensityCanvas/DensityPlot the drawing.

#include <QElapsedTimer>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <cstdint>
#include <memory>
#include <vector>

#include "core/api/FlowModel.h"
#include "core/api/Queries.h"
#include "gui/plot/Exportable.h"
#include "gui/views/SessionValue.h"
#include "gui/views/ViewState.h"
#include "gui/views/density/DensityJobs.h"
#include "gui/views/density/DensityPlot.h"
#include "gui/views/density/DensityScene.h"

namespace flowscope::gui {

class AsyncQuery;
class DensityCanvas;
class DensityControls;
class RunManager;
class TimeController;
class ViewTime;

class DensityView : public QWidget, public Exportable, public ViewState {
  Q_OBJECT
 public:
  static constexpr int kStoredTimes = DensityJobs::kStoredTimes;
  static constexpr int64_t kMaxParticles = static_cast<int64_t>(session::kDensityParticles.hi);
  static constexpr uint64_t kNoiseSeed = DensityJobs::kNoiseSeed;

  DensityView(RunManager* runs, TimeController* time, AsyncQuery* queries, QWidget* parent = nullptr);
  ~DensityView() override;

  /// When views built from now on draw with OpenGL. Auto: only with a hardware OpenGL; on a
  /// software rasterizer (Mesa llvmpipe, e.g. under Xvfb) every window repaint is composited
  /// through it, which stalled the event loop for ~100 ms while training ran, and the QPainter
  /// path draws frames 3-4x faster there (docs/benchmarks.md). Always: whenever OpenGL 3.3 works.
  /// Never: QPainter. The FLOWSCOPE_GL environment variable (auto|always|never) sets the default.
  enum class GlPolicy { Auto, Always, Never };
  static void setOpenGlPolicy(GlPolicy policy);
  static GlPolicy openGlPolicy();
  static void setOpenGlAllowed(bool allowed) { setOpenGlPolicy(allowed ? GlPolicy::Auto : GlPolicy::Never); }
  /// "midpoint 8", "midpoint 16", "rk4 16", "dopri5".
  static QStringList solverNames();

  /// Shows run `id`; an explicit choice sticks (otherwise the view follows the newest run).
  void setRun(int id);
  int run() const { return runId_; }
  /// Numeric setters clamp to the ranges of gui/views/SessionValue.h (sessions use the same).
  void setParticleCount(int64_t n);
  int64_t particleCount() const { return particles_; }
  void setSolver(const QString& name);  ///< one of solverNames()
  QString solver() const;
  void setResolution(int bins);
  int resolution() const { return scene_.resolution(); }
  void setColormap(const QString& name);
  QString colormapName() const { return scene_.colormap().name(); }
  void setLogScale(bool on);
  bool logScale() const { return scene_.logScale(); }
  /// The run's data bounds padded by 10% on each side.
  void setAutoRange();
  void setCustomRange(const ViewBounds& range);
  bool autoRange() const { return autoRange_; }
  ViewBounds range() const { return scene_.range(); }
  void setOverlayCount(int count);
  int overlayCount() const { return scene_.overlayCount(); }
  void setOverlayColoring(OverlayColoring coloring);
  OverlayColoring overlayColoring() const { return scene_.overlayColoring(); }
  /// Shows the model's exact p_t (computed progressively) instead of the histogram.
  void setExactDensity(bool on);
  bool exactDensity() const { return exact_; }
  /// Fixes the top of the color scale so views side by side compare (<= 0: automatic).
  void setColorMax(double vmax);

  /// Only the run choice and the time controls (views in a grid share their other settings).
  void setCompactControls(bool compact);

  const DensityScene& scene() const { return scene_; }
  double t() const;
  ViewTime* viewTime() { return viewTime_; }
  bool usesOpenGl() const;
  /// The drawing surface and its plot rectangle in its pixels (pixel checks look only there).
  QWidget* canvasWidget() const;
  QRectF plotRect() const;

  bool isBusy() const override;
  QString failure() const override;
  /// Milliseconds from the newest weightsUpdated of the shown run to the first frame drawn with
  /// trajectories of those weights; -1 until that has happened.
  qint64 lastModelToViewMs() const { return lastModelToViewMs_; }
  /// Every such measurement so far (one per weight snapshot that reached the screen).
  const std::vector<qint64>& modelToViewHistory() const { return modelToViewHistory_; }
  /// Sweeps t over [0, 1] in `frames` steps, drawing each frame synchronously (and glFinish on
  /// the OpenGL path); returns the milliseconds of each. The view must be visible.
  std::vector<double> benchmarkScrub(int frames);

  QString exportName() const override;
  QSize exportSize() const override { return {900, 760}; }
  void renderExport(QPainter& painter, const QRectF& target) override;
  std::vector<QRectF> exportTextRects(const QRectF& target) override;
  QString exportCsv() const override;

  QString stateKey() const override { return QStringLiteral("density"); }
  QJsonObject saveState() const override;
  void restoreState(const QJsonObject& state) override;

  void refreshForExport() override;

 protected:
  void changeEvent(QEvent* event) override;
  void showEvent(QShowEvent* event) override;

 private:
  void connectControls();
  void addRunItem(int id);
  void onRunRemoved(int id);
  void onWeightsUpdated(int id);
  void showRun(int id);  ///< without making the choice stick
  void onTimeChanged(double t);
  void applyRange();
  ViewBounds autoBounds() const;
  void requestTrajectories(bool fromNewWeights);
  void applyTrajectories(const std::shared_ptr<const Trajectories>& trajectories, const FlowModelPtr& model,
                         quint64 request);
  void scheduleExact();
  void requestExact();
  void onPainted();
  DensityLabels exportLabels() const;  ///< the canvas's, without progress notes
  void updateLabels();
  void refresh();

  RunManager* runs_;
  ViewTime* viewTime_;
  DensityScene scene_;
  DensityJobs* jobs_ = nullptr;
  DensityControls* controls_ = nullptr;
  DensityCanvas* canvas_ = nullptr;
  bool staleWhileHidden_ = false;  ///< something changed while hidden
  bool exporting_ = false;         ///< compute although hidden (an export asked)
  std::vector<qint64> modelToViewHistory_;

  // Settings.
  int runId_ = -1;
  bool followNewest_ = true;
  int64_t particles_ = 100000;
  int solverIndex_ = 1;
  bool autoRange_ = true;
  ViewBounds customRange_;
  ViewBounds cachedAutoBounds_;
  bool exact_ = false;
  FlowModelPtr shownModel_;  ///< whose trajectories are on screen

  // "new weights -> updated view" latency.
  QElapsedTimer modelClock_;
  bool stampArmed_ = false;
  quint64 stampRequest_ = 0;
  bool stampOnPaint_ = false;
  qint64 lastModelToViewMs_ = -1;
};

}  // namespace flowscope::gui
