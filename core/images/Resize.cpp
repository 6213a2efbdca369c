#include "core/images/Resize.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/util/Error.h"

namespace flowscope {
namespace {

// One output index's taps into the source axis: out[i] = sum_k weight[k] * in[first + k].
struct Taps {
  int64_t first = 0;
  std::vector<double> weight;
};

std::vector<Taps> axisTaps(int64_t in, int64_t out, ResizeFilter filter) {
  std::vector<Taps> taps(static_cast<size_t>(out));
  const double scale = static_cast<double>(in) / static_cast<double>(out);
  for (int64_t i = 0; i < out; ++i) {
    Taps& t = taps[static_cast<size_t>(i)];
    switch (filter) {
      case ResizeFilter::Nearest: {
        // Integer arithmetic: floor((i + 0.5) * in / out), exact for every size.
        t.first = std::min(in - 1, (2 * i + 1) * in / (2 * out));
        t.weight = {1.0};
        break;
      }
      case ResizeFilter::Bilinear: {
        const double x = std::clamp((static_cast<double>(i) + 0.5) * scale - 0.5, 0.0, static_cast<double>(in - 1));
        const auto x0 = static_cast<int64_t>(std::floor(x));
        const int64_t x1 = std::min(x0 + 1, in - 1);
        const double f = x - static_cast<double>(x0);
        t.first = x0;
        t.weight = x1 == x0 ? std::vector<double>{1.0} : std::vector<double>{1.0 - f, f};
        break;
      }
      case ResizeFilter::Area: {
        // The source interval [i*in/out, (i+1)*in/out) in units of 1/out, so overlaps are exact
        // integers: source pixel j covers [j*out, (j+1)*out).
        const int64_t lo = i * in, hi = (i + 1) * in;
        t.first = lo / out;
        const int64_t last = (hi - 1) / out;
        for (int64_t j = t.first; j <= last; ++j) {
          const int64_t overlap = std::min(hi, (j + 1) * out) - std::max(lo, j * out);
          t.weight.push_back(static_cast<double>(overlap) / static_cast<double>(in));
        }
        break;
      }
    }
  }
  return taps;
}

// Round half up; the 1e-7 keeps exact halves (a mean of 2 and 3) from rounding down on a sum
// that came out a hair below .5 in floating point.
uint8_t toByte(double v) { return static_cast<uint8_t>(std::clamp(std::floor(v + 0.5 + 1e-7), 0.0, 255.0)); }

}  // namespace

ResizeFilter parseResizeFilter(const std::string& name) {
  if (name == "nearest") return ResizeFilter::Nearest;
  if (name == "bilinear") return ResizeFilter::Bilinear;
  if (name == "area") return ResizeFilter::Area;
  throw InputError("resize filter '" + name + "' (expected nearest, bilinear or area)");
}

const char* resizeFilterName(ResizeFilter filter) {
  switch (filter) {
    case ResizeFilter::Nearest: return "nearest";
    case ResizeFilter::Bilinear: return "bilinear";
    case ResizeFilter::Area: return "area";
  }
  return "?";
}

Image centerCropSquare(const Image& image) {
  const int64_t side = std::min(image.height, image.width);
  const int64_t top = (image.height - side) / 2, left = (image.width - side) / 2;
  Image out;
  out.channels = image.channels;
  out.height = out.width = side;
  out.pixels.resize(static_cast<size_t>(image.channels * side * side));
  for (int64_t c = 0; c < image.channels; ++c)
    for (int64_t y = 0; y < side; ++y) {
      const uint8_t* src = image.pixels.data() + ((c * image.height + top + y) * image.width + left);
      std::copy_n(src, side, out.pixels.data() + (c * side + y) * side);
    }
  return out;
}

Image resizeImage(const Image& image, int64_t height, int64_t width, ResizeFilter filter) {
  if (height < 1 || width < 1 || image.height < 1 || image.width < 1) {
    throw InputError("resize: " + std::to_string(image.height) + "x" + std::to_string(image.width) + " to " +
                     std::to_string(height) + "x" + std::to_string(width) + " (expected sizes >= 1)");
  }
  const std::vector<Taps> rows = axisTaps(image.height, height, filter), cols = axisTaps(image.width, width, filter);
  Image out;
  out.channels = image.channels;
  out.height = height;
  out.width = width;
  out.pixels.resize(static_cast<size_t>(image.channels * height * width));
  // Separable: each source row resampled to `width` columns (tmp), then each column to `height`.
  std::vector<double> tmp(static_cast<size_t>(image.height * width));
  for (int64_t c = 0; c < image.channels; ++c) {
    const uint8_t* plane = image.pixels.data() + c * image.height * image.width;
    for (int64_t y = 0; y < image.height; ++y)
      for (int64_t x = 0; x < width; ++x) {
        const Taps& t = cols[static_cast<size_t>(x)];
        double v = 0;
        for (size_t k = 0; k < t.weight.size(); ++k) v += t.weight[k] * plane[y * image.width + t.first + static_cast<int64_t>(k)];
        tmp[static_cast<size_t>(y * width + x)] = v;
      }
    uint8_t* dst = out.pixels.data() + c * height * width;
    for (int64_t y = 0; y < height; ++y) {
      const Taps& t = rows[static_cast<size_t>(y)];
      for (int64_t x = 0; x < width; ++x) {
        double v = 0;
        for (size_t k = 0; k < t.weight.size(); ++k) v += t.weight[k] * tmp[static_cast<size_t>((t.first + static_cast<int64_t>(k)) * width + x)];
        dst[y * width + x] = toByte(v);
      }
    }
  }
  return out;
}

Image cropAndResize(const Image& image, int64_t size, ResizeFilter filter) {
  return resizeImage(centerCropSquare(image), size, size, filter);
}

}  // namespace flowscope
