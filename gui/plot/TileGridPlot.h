#pragma once
// Draws a TileGrid: the title, column labels above, row labels at the left in each row's color,
// tiles at native pixels scaled by a whole factor with nearest-neighbour (never blurred: the
// factor is whole in the painter's device pixels, so a PNG at any DPI keeps square pixels),
// captions under the tiles, a frame around the highlighted column, and a colorbar for
// difference tiles. Text rectangles come from the same layout as the drawing, so tests can
// check them; tileRects() tells tests where each tile's pixels are.

#include <QRectF>
#include <QString>

#include <vector>

#include "gui/plot/Colormap.h"
#include "gui/plot/PlotStyle.h"
#include "gui/plot/TileGrid.h"

class QPainter;

namespace flowscope::gui {

class TileGridPlot {
 public:
  TileGridPlot(const TileGrid& grid, PlotStyle style, Colormap differenceMap = Colormap(Colormap::Kind::Magma));

  /// `deviceScale`: device pixels per logical pixel of the painter that will draw (1 on screen at
  /// 1x, dpi / 96 for the exporter's PNG). paint() reads it from its painter.
  void paint(QPainter& p, const QRectF& rect) const;
  std::vector<QRectF> textRects(const QRectF& rect, double deviceScale = 1.0) const;
  /// [row][column] flattened, row-major, empty rectangles for missing tiles.
  std::vector<QRectF> tileRects(const QRectF& rect, double deviceScale = 1.0) const;
  /// The whole-number factor each image pixel is drawn at, in device pixels.
  int pixelScale(const QRectF& rect, double deviceScale = 1.0) const;
  /// The size a grid wants at pixel factor `scale` (the export's natural size).
  static QSizeF naturalSize(const TileGrid& grid, const PlotStyle& style, int scale);

 private:
  struct Text {
    QRectF rect;
    QString text;
    int flags;
    QColor color;
    bool title = false;
  };
  struct Layout {
    int scale = 1;
    std::vector<QRectF> tiles;  ///< [row][column]
    std::vector<Text> texts;
    QRectF highlight;
    QRectF colorbar;
  };
  Layout layout(const QRectF& rect, double deviceScale) const;

  const TileGrid& grid_;
  PlotStyle style_;
  Colormap map_;
};

}  // namespace flowscope::gui
