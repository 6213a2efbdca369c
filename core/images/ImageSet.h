#pragma once
// ImageSet: a labelled image dataset as read from disk, before any scaling. Pixels stay uint8
// (a quarter of float's memory: ImageNet 64x64 is 15.7 GB as bytes) and channel-planar, the
// layout of CIFAR-10, downsampled ImageNet and the N x C x H x W tensors the models take, so a
// batch is a contiguous copy. Torch-free: the readers live in flowscope_base.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace flowscope {

struct ImageSet {
  int64_t count = 0;     ///< N images
  int64_t channels = 0;  ///< C: 1 (gray) or 3 (RGB)
  int64_t height = 0;    ///< H
  int64_t width = 0;     ///< W
  /// N x C x H x W in C order: image i, channel c, row y, column x is at ((i*C + c)*H + y)*W + x.
  std::vector<uint8_t> pixels;
  /// N labels in [0, classes), or empty when the format has none (IDX images alone).
  std::vector<int64_t> labels;
  /// The number of classes; 0 when unlabelled.
  int64_t classes = 0;
  /// Class names when the source has them (an image folder's sub-folders), else empty.
  std::vector<std::string> classNames;
  /// Where the images came from: a file, a folder, or several files joined by ", ".
  std::string source;

  /// Bytes per image (C * H * W).
  size_t imageBytes() const {
    return static_cast<size_t>(channels) * static_cast<size_t>(height) * static_cast<size_t>(width);
  }
  /// The first byte of image i (0 <= i < count).
  const uint8_t* image(int64_t i) const { return pixels.data() + static_cast<size_t>(i) * imageBytes(); }
};

/// Checks the invariants above: non-negative dimensions whose product fits and equals
/// pixels.size(), labels empty or one per image in [0, classes), classNames empty or one per
/// class. Throws InputError naming `set.source` and the first broken invariant.
void validateImageSet(const ImageSet& set);

}  // namespace flowscope
