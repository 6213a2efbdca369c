#pragma once
// The density view's two rows of controls: run, particles, solver, bins, colormap, log scale,
// exact p_t, range, trajectories, their coloring, linked t and the view's own time. User actions
// come out as signals; show*() put a value into a control without emitting anything, so the view
// stays the one owner of its settings.

#include <QString>
#include <QWidget>

#include <cstdint>

#include "core/api/Queries.h"
#include "gui/views/density/DensityScene.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSlider;

namespace flowscope::gui {

class DensityControls : public QWidget {
  Q_OBJECT
 public:
  /// `solvers` as in DensityView::solverNames(); `storedTimes` for the solver's tooltip.
  DensityControls(const QStringList& solvers, int storedTimes, QWidget* parent = nullptr);

  /// Only the run choice and the time controls (views in a grid share their other settings).
  void setCompact(bool compact);

  void addRun(int id, const QString& name);
  void removeRun(int id);
  void showRun(int id);
  void showParticles(int64_t n);
  void showSolver(int index);
  void showBins(int bins);
  void showColormap(int kind);
  void showLog(bool on);
  void showExact(bool on);
  void showRange(const ViewBounds& range, bool automatic);
  void showOverlays(int count);
  void showColoring(OverlayColoring coloring);
  void showLinked(bool on);
  void showTime(double t);

 Q_SIGNALS:
  void runChosen(int id);
  void particlesChosen(qint64 n);
  void solverChosen(const QString& name);
  void binsChosen(int bins);
  void colormapChosen(const QString& name);
  void logToggled(bool on);
  void exactToggled(bool on);
  void autoRangeChosen();
  void customRangeChosen(const ViewBounds& range);
  void overlaysChosen(int count);
  void coloringChosen(OverlayColoring coloring);
  void linkedToggled(bool on);
  void timeMoved(double t);

 private:
  ViewBounds fieldsRange() const;

  QComboBox* runCombo_ = nullptr;
  QComboBox* particlesCombo_ = nullptr;
  QComboBox* solverCombo_ = nullptr;
  QComboBox* binsCombo_ = nullptr;
  QComboBox* colormapCombo_ = nullptr;
  QCheckBox* logCheck_ = nullptr;
  QCheckBox* exactCheck_ = nullptr;
  QComboBox* rangeCombo_ = nullptr;
  QDoubleSpinBox* rangeFields_[4] = {};
  QComboBox* overlayCombo_ = nullptr;
  QComboBox* colorByCombo_ = nullptr;
  QCheckBox* linkedCheck_ = nullptr;
  QSlider* timeSlider_ = nullptr;
};

}  // namespace flowscope::gui
