#pragma once
// Interpolation between two noises through the flow: the noise of sample a and of sample b of
// one seed, joined by spherical interpolation (Gaussian noise keeps its norm, which a straight
// line would shrink) and solved to t = 1 by each shown image run: a row per run, a column per
// step from a to b. Computed in the background per run; drawn as a TileGrid.

#include <QJsonObject>
#include <QWidget>

#include <map>
#include <memory>
#include <set>

#include "core/api/ImageQueries.h"
#include "gui/plot/TileGridFigure.h"
#include "gui/plot/TileGrid.h"
#include "gui/views/ViewState.h"

class QSpinBox;
class QLabel;

namespace flowscope::gui {

class AsyncQuery;
class RunManager;
class TileGridCanvas;

class ImageInterpolationView : public QWidget, public TileGridFigure, public ViewState {
  Q_OBJECT
 public:
  ImageInterpolationView(RunManager* runs, AsyncQuery* queries, QWidget* parent = nullptr);

  void setEndpoints(int from, int to);
  void setSteps(int steps);
  void setSeed(uint64_t seed);
  /// The rows drawn: per run id, its interpolation (null while computed).
  const std::map<int, std::shared_ptr<const ImageBatch>>& results() const { return results_; }
  TileGrid grid() const;

  bool isBusy() const override { return !inFlight_.empty(); }
  QString failure() const override { return failure_; }
  QString exportName() const override { return "image-interpolation"; }
  TileGrid figureGrid() const override;
  QFont figureFont() const override { return font(); }
  QString exportCsv() const override;
  std::vector<ExportArray> exportArrays() const override;
  void refreshForExport() override;

  QString stateKey() const override { return QStringLiteral("imageInterpolation"); }
  QJsonObject saveState() const override;
  void restoreState(const QJsonObject& state) override;

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void requestAll();
  void redraw();

  RunManager* runs_;
  AsyncQuery* queries_;
  QSpinBox* seed_;
  QSpinBox* from_;
  QSpinBox* to_;
  QSpinBox* steps_;
  QLabel* status_;
  TileGridCanvas* canvas_;
  std::map<int, std::shared_ptr<const ImageBatch>> results_;
  std::set<int> inFlight_;
  bool stale_ = true;
  QString failure_;
};

}  // namespace flowscope::gui
