#pragma once
// Two-axis scrub for one run: training checkpoint x ODE time. Each saved checkpoint's
// trajectories are computed once in the background (cached, neighbours prefetched); moving either
// slider only interpolates stored states, so the picture follows the mouse.

#include <QWidget>

#include <map>
#include <memory>
#include <vector>

#include "gui/views/density/DensityPlot.h"
#include "gui/views/density/DensityScene.h"
#include "gui/plot/Exportable.h"
#include "gui/views/ViewState.h"

class QComboBox;
class QLabel;
class QSlider;
class QCheckBox;

namespace flowscope::gui {

class AsyncQuery;
class RunManager;
class TimeController;
class ViewTime;

class CheckpointScrubView : public QWidget, public Exportable, public ViewState {
  Q_OBJECT
 public:
  CheckpointScrubView(RunManager* runs, TimeController* time, AsyncQuery* queries, QWidget* parent = nullptr);

  void setRun(int id);
  /// Re-reads the run folder's checkpoints (new ones appear while a run trains).
  void reloadCheckpoints();
  const std::vector<int64_t>& checkpointSteps() const { return steps_; }
  void setCheckpointIndex(int index);
  int checkpointIndex() const;
  /// Particles per checkpoint, clamped to session::kScrubParticles.
  void setParticleCount(int64_t n);
  int64_t particleCount() const { return particles_; }
  ViewTime* viewTime() const { return viewTime_; }
  const DensityScene& scene() const { return scene_; }
  /// Checkpoint steps whose trajectories are cached.
  std::vector<int64_t> cachedSteps() const;

  QString exportName() const override { return "checkpoint-time"; }
  QSize exportSize() const override { return {900, 800}; }
  void renderExport(QPainter& painter, const QRectF& target) override;
  std::vector<QRectF> exportTextRects(const QRectF& target) override;
  QString exportCsv() const override;
  bool isBusy() const override { return awaiting_; }
  QString failure() const override { return failure_; }
  void refreshForExport() override;
  QString stateKey() const override { return "checkpoint-time"; }
  QJsonObject saveState() const override;
  void restoreState(const QJsonObject& state) override;

  /// Draws the picture (the canvas uses the palette's style, exports the paper style).
  void paintScene(QPainter& painter, const QRectF& target, const PlotStyle& style);

 Q_SIGNALS:
  void sceneUpdated();

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void request();
  void prefetch(int index);
  void showCurrent();
  QString title() const;
  DensityLabels labels() const;

  RunManager* runs_;
  AsyncQuery* queries_;
  ViewTime* viewTime_;
  int runId_ = -1;
  QString runDir_;
  std::vector<int64_t> steps_;
  std::map<int64_t, std::shared_ptr<const Trajectories>> cache_;
  int64_t particles_ = 20000;
  bool awaiting_ = false;  ///< the newest trajectory request has not answered yet
  bool staleWhileHidden_ = false;
  bool forceVisible_ = false;
  QString failure_;  ///< the newest solve's error, shown in the plot and reported by exports
  DensityScene scene_;
  QComboBox* run_;
  QSlider* checkpoint_;
  QLabel* checkpointLabel_;
  QCheckBox* linked_;
  QWidget* canvas_;
};

}  // namespace flowscope::gui
