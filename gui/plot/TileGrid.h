#pragma once
// A figure made of images (sample strips, Figures 6, 16, 17): rows of equally sized tiles with
// row labels, column labels and captions, as plain numbers that the image scenes build and
// TileGridPlot draws. A tile holds either an image in the data scale (about [-1, 1], C x H x W,
// channel-planar) or a per-pixel difference (H x W, >= 0) drawn through a colormap.

#include <QColor>
#include <QImage>
#include <QString>

#include <cstdint>
#include <vector>

#include "gui/plot/Colormap.h"

namespace flowscope::gui {

struct Tile {
  std::vector<float> pixels;  ///< C x H x W (image) or H x W (difference); empty: a blank cell
  bool difference = false;
  QString caption;            ///< under the tile, e.g. "MSE 0.012"
};

struct TileRow {
  QString label;
  QColor color;  ///< of the label (the run's color); invalid: the foreground
  std::vector<Tile> tiles;
};

struct TileGrid {
  int channels = 1, height = 0, width = 0;
  QString title;
  std::vector<QString> columnLabels;  ///< one per column (may be fewer: the rest unlabelled)
  std::vector<TileRow> rows;
  int highlightedColumn = -1;         ///< framed (the column at the scrubber's t)
  double differenceMax = 0;           ///< top of the difference colormap (0: no difference tiles)
  QString differenceTitle;            ///< the colorbar's title
  QString note;                       ///< shown when there is nothing to draw

  int columns() const;
  bool empty() const { return rows.empty() || height == 0 || width == 0; }
  bool hasDifference() const;
};

/// The pixels of one tile at native size: gray for one channel, RGB for three; difference tiles
/// through `colormap` over [0, differenceMax]. The bytes are imageByte() of the values, the same
/// as flowscope-cli's PNG grids.
QImage tileImage(const Tile& tile, const TileGrid& grid, const Colormap& colormap);

}  // namespace flowscope::gui
