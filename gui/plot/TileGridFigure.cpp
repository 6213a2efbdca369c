#include "gui/plot/TileGridFigure.h"

#include <QPainter>

#include <cmath>

#include "gui/plot/PlotStyle.h"
#include "gui/plot/TileGridPlot.h"

namespace flowscope::gui {

QSize TileGridFigure::exportSize() const {
  const QSizeF s = TileGridPlot::naturalSize(figureGrid(), PlotStyle::forExport(figureFont()), 2);
  return {static_cast<int>(std::ceil(s.width())), static_cast<int>(std::ceil(s.height()))};
}

void TileGridFigure::renderExport(QPainter& painter, const QRectF& target) {
  const PlotStyle style = PlotStyle::forExport(figureFont());
  painter.fillRect(target, style.background);
  const TileGrid grid = figureGrid();
  TileGridPlot(grid, style).paint(painter, target);
}

std::vector<QRectF> TileGridFigure::exportTextRects(const QRectF& target) {
  const TileGrid grid = figureGrid();
  return TileGridPlot(grid, PlotStyle::forExport(figureFont())).textRects(target);
}

}  // namespace flowscope::gui
