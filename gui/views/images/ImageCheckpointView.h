#pragma once
// The same noise across a run's saved checkpoints (training progress), scrubbed along t: a row
// per checkpoint (up to kMaxCheckpoints, evenly chosen), the samples at the global t, so the two
// axes are checkpoint (rows) and t (the scrubber). Each checkpoint's path is solved once in the
// background at stored times; scrubbing interpolates. The rows are an ImagePathScene whose runs
// are the checkpoints.

#include <QJsonObject>
#include <QWidget>

#include <map>
#include <memory>
#include <set>

#include "core/api/ImageQueries.h"
#include "gui/plot/TileGridFigure.h"
#include "gui/views/ViewState.h"
#include "gui/views/images/ImagePathScene.h"

class QComboBox;
class QLabel;

namespace flowscope::gui {

class AsyncQuery;
class ImageNoiseControls;
class RunManager;
class TileGridCanvas;
class TimeController;
class ViewTime;

class ImageCheckpointView : public QWidget, public TileGridFigure, public ViewState {
  Q_OBJECT
 public:
  static constexpr int kMaxCheckpoints = 8;
  static constexpr int kStoredTimes = 17;

  ImageCheckpointView(RunManager* runs, TimeController* time, AsyncQuery* queries, QWidget* parent = nullptr);

  void setRun(int id);
  int run() const;
  /// The checkpoint steps shown (a subset of the run's, oldest first).
  std::vector<int64_t> shownSteps() const { return steps_; }
  ImageNoiseControls* noiseControls() const { return noise_; }
  const ImagePathScene& scene() const { return scene_; }
  ViewTime* viewTime() const { return viewTime_; }

  bool isBusy() const override { return !inFlight_.empty(); }
  QString failure() const override { return failure_; }
  QString exportName() const override { return "image-checkpoints"; }
  TileGrid figureGrid() const override;
  QFont figureFont() const override { return font(); }
  QString exportCsv() const override;
  std::vector<ExportArray> exportArrays() const override;
  void refreshForExport() override;

  QString stateKey() const override { return QStringLiteral("imageCheckpoints"); }
  QJsonObject saveState() const override;
  void restoreState(const QJsonObject& state) override;

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void reload();   ///< the run's checkpoints, then request each
  void request();
  void redraw();

  RunManager* runs_;
  AsyncQuery* queries_;
  ViewTime* viewTime_;
  ImagePathScene scene_;
  QComboBox* run_;
  ImageNoiseControls* noise_;
  QLabel* status_;
  TileGridCanvas* canvas_;
  std::vector<int64_t> steps_;
  std::map<int64_t, std::shared_ptr<const ImagePath>> paths_;  ///< per step, for the current noise
  std::set<int64_t> inFlight_;
  QString noiseKey_;
  bool stale_ = false;
  QString failure_;
};

}  // namespace flowscope::gui
