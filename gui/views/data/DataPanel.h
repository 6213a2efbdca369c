#pragma once
// Pick a 2D target distribution or draw your own (spray brush, single points, eraser), preview
// it, and hand it to the experiment: drawn points are saved as a float32 .npy and used through
// data.name: points.

#include <QPointF>
#include <QWidget>

#include <vector>

#include "gui/plot/Exportable.h"
#include "gui/views/ViewState.h"
#include "core/config/ExperimentConfig.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace flowscope::gui {

class DataCanvas;

class DataPanel : public QWidget, public Exportable, public ViewState {
  Q_OBJECT
 public:
  enum class Tool { Brush, Point, Eraser };

  explicit DataPanel(QWidget* parent = nullptr);

  /// The distribution shown: a built-in dataset, or the drawn points when any exist.
  bool drawing() const { return !drawn_.empty(); }
  const std::vector<QPointF>& drawnPoints() const { return drawn_; }
  const std::vector<QPointF>& previewPoints() const { return preview_; }
  /// What the plot shows: the drawn points when any exist, else the preview.
  const std::vector<QPointF>& shownPoints() const { return drawing() ? drawn_ : preview_; }
  /// "checkerboard — 2,000 preview samples", "drawn points — 37".
  QString plotTitle() const;
  Tool tool() const { return currentTool_; }
  double brushRadius() const { return brushRadius_; }
  void setDataset(const QString& name, double noise = -1);  ///< noise < 0: the dataset's default
  void setTool(Tool tool);
  void setBrush(double radius, int pointsPerStroke);
  /// Drawing in data coordinates (what mouse strokes call).
  void strokeAt(const QPointF& data);
  void clearDrawing();
  /// Writes the drawn points to `path` (.npy, atomic). Throws std::runtime_error on failure.
  void saveDrawing(const QString& path) const;
  /// The data section for an experiment: the chosen dataset, or `points` from a file written
  /// into `folder` when drawing. Throws std::runtime_error when the drawing cannot be saved.
  DataConfig dataConfig(const QString& folder) const;

  QString exportName() const override { return "data"; }
  QSize exportSize() const override { return {700, 680}; }
  void renderExport(QPainter& painter, const QRectF& target) override;
  std::vector<QRectF> exportTextRects(const QRectF& target) override;
  QString exportCsv() const override;
  QString stateKey() const override { return "data"; }
  QJsonObject saveState() const override;
  void restoreState(const QJsonObject& state) override;

 Q_SIGNALS:
  /// "Use in experiment": replace the experiment's data section.
  void useRequested();
  /// "Train on it": replace the data section and start training.
  void trainRequested();
  void changed();

 private:
  void refreshPreview();
  void updateLabel();

  QComboBox* dataset_;
  QDoubleSpinBox* noise_;
  QComboBox* tool_;
  QDoubleSpinBox* radius_;
  QSpinBox* density_;
  QLabel* count_;
  DataCanvas* canvas_;
  std::vector<QPointF> drawn_;
  std::vector<QPointF> preview_;
  Tool currentTool_ = Tool::Brush;
  double brushRadius_ = 0.4;
  int brushPoints_ = 12;
  quint32 strokeSeed_ = 1;
};

}  // namespace flowscope::gui
