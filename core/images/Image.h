#pragma once
// One decoded image, channel-planar like ImageSet (C x H x W), and the limits a decoder checks
// before it allocates: a 100-byte file may declare a 65535 x 65535 image.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace flowscope {

struct Image {
  int64_t channels = 0;  ///< 1 (gray) or 3 (RGB)
  int64_t height = 0;
  int64_t width = 0;
  std::vector<uint8_t> pixels;  ///< C x H x W: channel c, row y, column x at (c*H + y)*W + x
};

/// The planar image of `height` x `width` pixels stored interleaved (H x W x C, as libpng and
/// libjpeg decode them) at `interleaved`.
inline Image planarFromInterleaved(const uint8_t* interleaved, int64_t height, int64_t width, int64_t channels) {
  Image image;
  image.channels = channels;
  image.height = height;
  image.width = width;
  const auto plane = static_cast<size_t>(height * width);
  const auto c = static_cast<size_t>(channels);
  image.pixels.resize(plane * c);
  for (size_t p = 0; p < plane; ++p)
    for (size_t k = 0; k < c; ++k) image.pixels[k * plane + p] = interleaved[p * c + k];
  return image;
}

struct ImageDecodeLimits {
  /// The most pixels (width x height) an image may have: 100 megapixels, above any photo a
  /// dataset holds; fuzzers lower it.
  int64_t maxPixels = 100'000'000;
};

}  // namespace flowscope
