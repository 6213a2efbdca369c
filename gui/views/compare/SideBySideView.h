#pragma once
// Two to four runs in a grid of density views with the same t, the same noise x0, the same axes
// and one color scale (the paper's Figures 3 and 4, left): OT against diffusion paths at a glance.

#include <QList>
#include <QTimer>
#include <QWidget>

#include <vector>

#include "gui/plot/Exportable.h"
#include "gui/views/ViewState.h"

class QCheckBox;
class QComboBox;
class QGridLayout;

namespace flowscope::gui {

class AsyncQuery;
class DensityView;
class RunManager;
class TimeController;

class SideBySideView : public QWidget, public Exportable, public ViewState {
  Q_OBJECT
 public:
  SideBySideView(RunManager* runs, TimeController* time, AsyncQuery* queries, QWidget* parent = nullptr);

  /// What every panel shares besides t, noise, axes and color scale (one set of controls).
  struct PanelSettings {
    int64_t particles = 100000;
    QString solver;     ///< one of DensityView::solverNames(); empty: the panels' default
    int resolution = 256;
    QString colormap;   ///< empty: the panels' default
    bool logScale = false;
    int overlays = 0;   ///< trajectories per panel; a clean density by default
  };
  /// Numbers are clamped to the ranges of gui/views/SessionValue.h.
  void setSettings(const PanelSettings& settings);
  const PanelSettings& settings() const { return settings_; }

  void setPanelCount(int n);  ///< 2 to 4
  int panelCount() const { return static_cast<int>(panels_.size()); }
  DensityView* panel(int i) const { return panels_.at(static_cast<size_t>(i)); }
  /// Shows these runs, one per panel, in order.
  void setRuns(const QList<int>& ids);
  /// Applies the shared axes (union of the runs' ranges) and color scale now.
  void synchronize();
  double sharedColorMax() const { return sharedMax_; }

  QString exportName() const override { return "side-by-side"; }
  QSize exportSize() const override;
  void renderExport(QPainter& painter, const QRectF& target) override;
  std::vector<QRectF> exportTextRects(const QRectF& target) override;
  QString exportCsv() const override;
  bool isBusy() const override;
  QString failure() const override;
  void refreshForExport() override;
  QString stateKey() const override { return "side-by-side"; }
  QJsonObject saveState() const override;
  void restoreState(const QJsonObject& state) override;

 private:
  void rebuild(int count);
  void assignDefaultRuns();
  void applySettings(DensityView* panel) const;
  void syncControls();
  QRectF exportCell(const QRectF& target, int panel) const;

  RunManager* runs_;
  TimeController* time_;
  AsyncQuery* queries_;
  QComboBox* count_;
  QComboBox* particles_;
  QComboBox* solver_;
  QComboBox* resolution_;
  QComboBox* colormap_;
  QComboBox* overlays_;
  QCheckBox* log_;
  PanelSettings settings_;
  QGridLayout* grid_;
  std::vector<DensityView*> panels_;
  QTimer sync_;
  double sharedMax_ = 0;
};

}  // namespace flowscope::gui
