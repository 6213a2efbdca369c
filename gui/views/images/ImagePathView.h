#pragma once
// The path strip of image runs (Figure 6): samples from one seed's noise along the ODE path,
// linked to the global t scrubber, for one run or several side by side (OT against VP, DDPM,
// score matching), with the model's prediction of x1 and the per-pixel difference between the
// first two runs on request. Each weight snapshot is solved once in the background at many
// times (AsyncQuery: a newer snapshot or setting supersedes the older request) and scrubbing
// only interpolates. Thin: ImagePathScene holds the numbers, TileGridCanvas draws.

#include <QJsonObject>
#include <QWidget>

#include <map>
#include <memory>
#include <set>

#include "core/api/ImageQueries.h"
#include "gui/plot/TileGridFigure.h"
#include "gui/views/ViewState.h"
#include "gui/views/images/ImagePathScene.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QListWidget;
class QSpinBox;

namespace flowscope::gui {

class AsyncQuery;
class ImageInspector;
class ImageNoiseControls;
class RunManager;
class TileGridCanvas;
class TimeController;
class ViewTime;

class ImagePathView : public QWidget, public TileGridFigure, public ViewState {
  Q_OBJECT
 public:
  ImagePathView(RunManager* runs, TimeController* time, AsyncQuery* queries, QWidget* parent = nullptr);

  /// "midpoint 50", "euler 100", "rk4 25", "dopri5 1e-5".
  static QStringList solverNames();
  static SolverSpec solverSpec(const QString& name);
  /// Stored times per path: 65, fewer when count x image size would not fit in 256 MB.
  static int storedTimes(int64_t count, int64_t imageSize, bool prediction);

  /// The runs shown, in order (checked in the run list).
  void setShownRuns(const QList<int>& ids);
  QList<int> shownRuns() const;
  void setLayoutMode(ImagePathScene::Layout layout);
  void setShowPrediction(bool on);
  void setShowDifference(bool on);
  void setSolver(const QString& name);
  ImageNoiseControls* noiseControls() const { return noise_; }

  const ImagePathScene& scene() const { return scene_; }
  TileGridCanvas* canvas() const { return canvas_; }
  ViewTime* viewTime() const { return viewTime_; }
  /// Opens the tile at (row, column) of the strip large (what a click does); false for a
  /// difference tile or an empty cell.
  bool inspectTile(int row, int column);
  ImageInspector* inspector() const { return inspector_; }
  /// Requests in flight (tests wait for it to fall to zero).
  bool isBusy() const override { return !inFlight_.empty(); }
  QString failure() const override { return failure_; }
  /// Sweeps t over [0, 1] in `frames` steps, painting each frame synchronously; milliseconds each.
  std::vector<double> benchmarkScrub(int frames);

  QString exportName() const override { return "image-path"; }
  TileGrid figureGrid() const override;
  QFont figureFont() const override { return font(); }
  QString exportCsv() const override;
  std::vector<ExportArray> exportArrays() const override;
  void refreshForExport() override;

  QString stateKey() const override { return QStringLiteral("imagePath"); }
  QJsonObject saveState() const override;
  void restoreState(const QJsonObject& state) override;

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void addRun(int id);
  void removeRun(int id);
  void onWeightsUpdated(int id);
  void rebuildRows();  ///< the scene's runs from the checked list, then request what is missing
  void request(int id);
  void requestAll();
  void redraw();

  RunManager* runs_;
  AsyncQuery* queries_;
  ViewTime* viewTime_;
  ImagePathScene scene_;
  QListWidget* runList_;
  ImageNoiseControls* noise_;
  QComboBox* solver_;
  QComboBox* layout_;
  QSpinBox* columns_;
  QSpinBox* rows_;
  QCheckBox* prediction_;
  QCheckBox* difference_;
  QLabel* status_;
  TileGridCanvas* canvas_;
  ImageInspector* inspector_ = nullptr;
  std::map<int, std::shared_ptr<const ImagePath>> paths_;  ///< per run id: the newest result
  std::map<int, QString> requested_;  ///< per run id: the key of what was asked for (model and settings)
  std::set<int> inFlight_;  ///< runs whose newest request has not answered yet
  bool stale_ = false;  ///< new weights or settings while hidden
  QString failure_;
};

}  // namespace flowscope::gui
