#pragma once
// One decoded image, channel-planar like ImageSet (C x H x W), and the limits a decoder checks
// before it allocates: a 100-byte file may declare a 65535 x 65535 image.

#include <cstdint>
#include <vector>

namespace flowscope {

struct Image {
  int64_t channels = 0;  ///< 1 (gray) or 3 (RGB)
  int64_t height = 0;
  int64_t width = 0;
  std::vector<uint8_t> pixels;  ///< C x H x W: channel c, row y, column x at (c*H + y)*W + x
};

struct ImageDecodeLimits {
  /// The most pixels (width x height) an image may have: 100 megapixels, above any photo a
  /// dataset holds; fuzzers lower it.
  int64_t maxPixels = 100'000'000;
};

}  // namespace flowscope
