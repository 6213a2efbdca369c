#include "core/images/Preprocess.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/util/Error.h"

namespace flowscope {

void pixelsToCentered(const uint8_t* pixels, size_t n, float* out) {
  // (k + 0.5) / 128 - 1 is exact in float: k + 0.5 has 9 significant bits.
  for (size_t i = 0; i < n; ++i) out[i] = (static_cast<float>(pixels[i]) + 0.5f) / 128.0f - 1.0f;
}

double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

void pixelsToDequantized(const uint8_t* pixels, size_t n, float* out, std::mt19937_64& rng) {
  constexpr float kBelowOne = 0x1.fffffep-1f;  // the largest float < 1
  for (size_t i = 0; i < n; ++i) {
    const double y = (static_cast<double>(pixels[i]) + uniform01(rng)) / 128.0 - 1.0;
    out[i] = std::min(static_cast<float>(y), kBelowOne);
  }
}

double dequantLogDetPerDim() { return -7.0 * std::log(2.0); }

double dequantLogDet(int64_t dims) { return static_cast<double>(dims) * dequantLogDetPerDim(); }

double bitsPerDimOffset() { return 7.0; }

void flipHorizontal(float* image, int64_t channels, int64_t height, int64_t width) {
  for (int64_t r = 0; r < channels * height; ++r) std::reverse(image + r * width, image + (r + 1) * width);
}

void preprocessBatch(const ImageSet& set, const int64_t* indices, size_t count, float* out,
                     const PreprocessOptions& options, std::mt19937_64& rng) {
  const size_t bytes = set.imageBytes();
  for (size_t b = 0; b < count; ++b) {
    const int64_t i = indices[b];
    if (i < 0 || i >= set.count) {
      throw InputError(set.source + ": image index " + std::to_string(i) + " outside [0, " + std::to_string(set.count) + ")");
    }
    const bool flip = options.randomFlip && (rng() >> 63) != 0;
    float* dst = out + b * bytes;
    if (options.dequantize) {
      pixelsToDequantized(set.image(i), bytes, dst, rng);
    } else {
      pixelsToCentered(set.image(i), bytes, dst);
    }
    if (flip) flipHorizontal(dst, set.channels, set.height, set.width);
  }
}

}  // namespace flowscope
