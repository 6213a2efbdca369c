#pragma once
// The NFE strip of image runs (Figures 16-17): one run's samples from the same noise at NFE
// 1, 2, 4, ... with a chosen fixed-step solver, next to a high-accuracy reference (RK4, 1000
// NFE) and dopri5 with its NFE, each image with its per-pixel MSE to the reference. Computed in
// the background on request, columns shown as they arrive, with Cancel. Thin: ImageNfeScene
// holds the numbers, TileGridCanvas draws.

#include <QJsonObject>
#include <QWidget>

#include <memory>

#include "core/api/ImageQueries.h"
#include "gui/plot/TileGridFigure.h"
#include "gui/views/ViewState.h"
#include "gui/views/images/ImageNfeScene.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace flowscope::gui {

class AsyncQuery;
class ImageNoiseControls;
class RunManager;
class TileGridCanvas;

class ImageNfeView : public QWidget, public TileGridFigure, public ViewState {
  Q_OBJECT
 public:
  ImageNfeView(RunManager* runs, AsyncQuery* queries, QWidget* parent = nullptr);

  void setRun(int id);
  int run() const;
  /// NFE budgets, e.g. "1,2,4,8,16,32"; false (and unchanged) for an unreadable list.
  bool setNfeList(const QString& list);
  void setSolver(const QString& name);  ///< euler | midpoint | heun | rk4
  void setAdaptive(bool on);
  /// RK4 steps of the reference (default kReferenceSteps: 1000 NFE).
  void setReferenceSteps(int steps);
  int referenceSteps() const;
  ImageNoiseControls* noiseControls() const { return noise_; }
  /// Starts sampling the strip (superseding one in progress).
  void sample();
  void cancel();

  const ImageNfeScene& scene() const { return scene_; }
  bool isBusy() const override { return busy_; }
  QString failure() const override { return failure_; }

  QString exportName() const override { return "image-nfe-strip"; }
  TileGrid figureGrid() const override;
  QFont figureFont() const override { return font(); }
  QString exportCsv() const override { return scene_.csv(); }
  std::vector<ExportArray> exportArrays() const override;

  QString stateKey() const override { return QStringLiteral("imageNfe"); }
  QJsonObject saveState() const override;
  void restoreState(const QJsonObject& state) override;

  static constexpr int kReferenceSteps = 250;  ///< RK4: 1000 NFE, as the paper's Figure 7

 private:
  std::vector<int> nfeList() const;
  void redraw();

  RunManager* runs_;
  AsyncQuery* queries_;
  ImageNfeScene scene_;
  QComboBox* run_;
  ImageNoiseControls* noise_;
  QComboBox* solver_;
  QLineEdit* nfes_;
  QCheckBox* adaptive_;
  QSpinBox* reference_;
  QPushButton* sample_;
  QPushButton* cancel_;
  QLabel* status_;
  TileGridCanvas* canvas_;
  bool busy_ = false;
  QString failure_;
};

}  // namespace flowscope::gui
