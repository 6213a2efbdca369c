#include "core/images/ImageGrid.h"

#include <algorithm>
#include <cmath>

#include "core/util/Error.h"

namespace flowscope {

uint8_t byteOfValue(float value) {
  if (!(value == value)) return 0;
  const double k = std::floor((static_cast<double>(value) + 1.0) * 128.0);
  return static_cast<uint8_t>(std::clamp(k, 0.0, 255.0));
}

Image tileImages(const float* images, int64_t count, int64_t channels, int64_t height,
                 int64_t width, const GridLayout& layout) {
  if (count < 1 || channels < 1 || height < 1 || width < 1)
    throw InputError("image grid: " + std::to_string(count) + " images of " +
                     std::to_string(channels) + " x " + std::to_string(height) + " x " +
                     std::to_string(width) + " (expected at least one non-empty image)");
  if (layout.columns < 1 || layout.padding < 0 || layout.scale < 1 || layout.scale > 64)
    throw InputError("image grid: columns " + std::to_string(layout.columns) + ", padding " +
                     std::to_string(layout.padding) + ", scale " + std::to_string(layout.scale) +
                     " (expected columns >= 1, padding >= 0, scale in 1..64)");
  const int64_t cols = std::min(layout.columns, count);
  const int64_t rows = (count + cols - 1) / cols;
  const int64_t s = layout.scale, pad = layout.padding;
  const int64_t cellW = width * s, cellH = height * s;
  Image grid;
  grid.channels = channels;
  grid.width = cols * cellW + (cols + 1) * pad;
  grid.height = rows * cellH + (rows + 1) * pad;
  const auto plane = static_cast<size_t>(grid.width * grid.height);
  grid.pixels.assign(plane * static_cast<size_t>(channels), layout.background);
  for (int64_t i = 0; i < count; ++i) {
    const int64_t x0 = pad + (i % cols) * (cellW + pad), y0 = pad + (i / cols) * (cellH + pad);
    const float* image = images + i * channels * height * width;
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t y = 0; y < cellH; ++y)
        for (int64_t x = 0; x < cellW; ++x)
          grid.pixels[static_cast<size_t>(c) * plane +
                      static_cast<size_t>((y0 + y) * grid.width + x0 + x)] =
              byteOfValue(image[(c * height + y / s) * width + x / s]);
  }
  return grid;
}

}  // namespace flowscope
