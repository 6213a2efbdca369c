#pragma once
// An Exportable whose figure is a TileGrid (the image views): its natural size at a pixel factor
// of 2, its drawing and its text rectangles all come from TileGridPlot with the export style, so
// the image panels share one export path instead of each repeating it.

#include <QFont>

#include "gui/plot/Exportable.h"
#include "gui/plot/TileGrid.h"

namespace flowscope::gui {

class TileGridFigure : public Exportable {
 public:
  /// What the panel draws now (the same grid as on screen).
  virtual TileGrid figureGrid() const = 0;
  /// The base font of the export style (the panel widget's font).
  virtual QFont figureFont() const = 0;

  QSize exportSize() const override;
  void renderExport(QPainter& painter, const QRectF& target) override;
  std::vector<QRectF> exportTextRects(const QRectF& target) override;
};

}  // namespace flowscope::gui
