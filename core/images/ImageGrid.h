#pragma once
// Samples as pictures: float images in [-1, 1] to bytes (the inverse of the pixel map of eq. 37,
// rounded to the nearest bin), and a grid of them with padding, at native pixels scaled by a
// whole factor with nearest-neighbour (never blurred). Torch-free: the CLI and the views share it.

#include <cstdint>
#include <vector>

#include "core/images/Image.h"

namespace flowscope {

/// Byte of a value in [-1, 1]: the pixel k whose bin [2k/256 - 1, 2(k+1)/256 - 1) holds it,
/// clamped to 0..255 (NaN: 0). Inverse of pixelsToCentered (core/images/Preprocess.h).
uint8_t byteOfValue(float value);

struct GridLayout {
  int64_t columns = 8;   ///< images per row (the last row may be short)
  int64_t padding = 2;   ///< pixels between images and around the grid
  uint8_t background = 255;
  int64_t scale = 1;     ///< each pixel becomes scale x scale (nearest-neighbour)
};

/// `count` images of C x H x W floats (one after another, channel-planar) tiled row-major into
/// one image. Throws InputError for bad sizes or layout values.
Image tileImages(const float* images, int64_t count, int64_t channels, int64_t height,
                 int64_t width, const GridLayout& layout = {});

}  // namespace flowscope
