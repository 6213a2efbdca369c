#pragma once
// The thin widget of the image views: paints a TileGrid with TileGridPlot (whole-factor
// nearest-neighbour pixels) and reports which tile a click landed on.

#include <QWidget>

#include "gui/plot/TileGrid.h"

namespace flowscope::gui {

class TileGridCanvas : public QWidget {
  Q_OBJECT
 public:
  explicit TileGridCanvas(QWidget* parent = nullptr);
  void setGrid(TileGrid grid);
  const TileGrid& grid() const { return grid_; }
  /// Where the tiles are in this widget's coordinates, [row][column] flattened.
  std::vector<QRectF> tileRects() const;
  QSize sizeHint() const override { return {900, 600}; }

 Q_SIGNALS:
  void tileClicked(int row, int column);
  /// The mouse is over image pixel (x, y) of a tile (with mouse tracking on).
  void tileHovered(int row, int column, int x, int y);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;

 private:
  TileGrid grid_;
};

}  // namespace flowscope::gui
