#include "gui/views/images/TileGridCanvas.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

#include "gui/plot/PlotStyle.h"
#include "gui/plot/TileGridPlot.h"

namespace flowscope::gui {

TileGridCanvas::TileGridCanvas(QWidget* parent) : QWidget(parent) {
  setMinimumSize(240, 160);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void TileGridCanvas::setGrid(TileGrid grid) {
  grid_ = std::move(grid);
  update();
}

std::vector<QRectF> TileGridCanvas::tileRects() const {
  return TileGridPlot(grid_, PlotStyle::forWidget(*this)).tileRects(QRectF(rect()), devicePixelRatioF());
}

void TileGridCanvas::paintEvent(QPaintEvent*) {
  QPainter p(this);
  const PlotStyle style = PlotStyle::forWidget(*this);
  p.fillRect(rect(), style.background);
  TileGridPlot(grid_, style).paint(p, QRectF(rect()));
}

void TileGridCanvas::mousePressEvent(QMouseEvent* event) {
  const std::vector<QRectF> tiles = tileRects();
  const int cols = std::max(1, grid_.columns());
  for (size_t k = 0; k < tiles.size(); ++k)
    if (tiles[k].contains(event->position())) {
      Q_EMIT tileClicked(static_cast<int>(k) / cols, static_cast<int>(k) % cols);
      return;
    }
  QWidget::mousePressEvent(event);
}

void TileGridCanvas::mouseMoveEvent(QMouseEvent* event) {
  const std::vector<QRectF> tiles = tileRects();
  const int cols = std::max(1, grid_.columns());
  for (size_t k = 0; k < tiles.size(); ++k)
    if (tiles[k].contains(event->position())) {
      const QPointF in = event->position() - tiles[k].topLeft();
      const int x = std::clamp(static_cast<int>(in.x() * grid_.width / tiles[k].width()), 0, grid_.width - 1);
      const int y = std::clamp(static_cast<int>(in.y() * grid_.height / tiles[k].height()), 0, grid_.height - 1);
      Q_EMIT tileHovered(static_cast<int>(k) / cols, static_cast<int>(k) % cols, x, y);
      return;
    }
  QWidget::mouseMoveEvent(event);
}

}  // namespace flowscope::gui
