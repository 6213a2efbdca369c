#include "gui/plot/TileGrid.h"

#include <algorithm>

#include "core/api/ImageQueries.h"

namespace flowscope::gui {

int TileGrid::columns() const {
  size_t n = columnLabels.size();
  for (const TileRow& r : rows) n = std::max(n, r.tiles.size());
  return static_cast<int>(n);
}

bool TileGrid::hasDifference() const {
  for (const TileRow& r : rows)
    for (const Tile& t : r.tiles)
      if (t.difference && !t.pixels.empty()) return true;
  return false;
}

QImage tileImage(const Tile& tile, const TileGrid& grid, const Colormap& colormap) {
  const int w = grid.width, h = grid.height, plane = w * h;
  if (tile.pixels.empty() || w <= 0 || h <= 0) return {};
  if (tile.difference) {
    if (tile.pixels.size() < static_cast<size_t>(plane)) return {};
    QImage img(w, h, QImage::Format_RGB32);
    const double top = grid.differenceMax > 0 ? grid.differenceMax : 1.0;
    for (int y = 0; y < h; ++y) {
      auto* line = reinterpret_cast<QRgb*>(img.scanLine(y));
      for (int x = 0; x < w; ++x) line[x] = colormap.map(tile.pixels[static_cast<size_t>(y * w + x)] / top);
    }
    return img;
  }
  const int c = grid.channels;
  if (tile.pixels.size() < static_cast<size_t>(c * plane)) return {};
  if (c == 1) {
    QImage img(w, h, QImage::Format_Grayscale8);
    for (int y = 0; y < h; ++y) {
      uchar* line = img.scanLine(y);
      for (int x = 0; x < w; ++x) line[x] = imageByte(tile.pixels[static_cast<size_t>(y * w + x)]);
    }
    return img;
  }
  QImage img(w, h, QImage::Format_RGB32);
  const float* p = tile.pixels.data();
  for (int y = 0; y < h; ++y) {
    auto* line = reinterpret_cast<QRgb*>(img.scanLine(y));
    for (int x = 0; x < w; ++x) {
      const int i = y * w + x;
      // Channel-planar R, G, B (the first three channels of anything wider).
      line[x] = qRgb(imageByte(p[i]), imageByte(p[plane + i]), imageByte(p[2 * plane + i]));
    }
  }
  return img;
}

}  // namespace flowscope::gui
