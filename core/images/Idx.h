#pragma once
// IDX files (LeCun's MNIST format, also Fashion-MNIST): a big-endian header, magic 0x00000803
// for images (N, H, W) or 0x00000801 for labels (N), then unsigned bytes. Read raw or gzip'ed
// (the form they are distributed in, and Debian's dataset-fashion-mnist installs:
// /usr/share/datasets/fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/images/ImageSet.h"

namespace flowscope {

/// An IDX array of unsigned bytes: dims {N} (labels) or {N, H, W} (images), data in C order.
struct IdxArray {
  std::vector<int64_t> dims;
  std::vector<uint8_t> data;
};

/// Parses the bytes of a .idx file, raw or gzip (detected by its magic 1f 8b). Only unsigned
/// byte data with 1 (labels) or 3 (images) dimensions is accepted. The size the header
/// declares is checked before anything is allocated: a raw file must have exactly that many
/// bytes; a gzip stream is inflated into exactly that many and must end there (and pass its
/// CRC). Throws FileError naming `name` otherwise.
IdxArray parseIdx(std::string_view bytes, const std::string& name);

/// The images of an IDX file: N x 1 x H x W, unlabelled. Throws FileError for labels files.
ImageSet parseIdxImages(std::string_view bytes, const std::string& name);
/// The labels of an IDX file. Throws FileError for images files.
std::vector<int64_t> parseIdxLabels(std::string_view bytes, const std::string& name);

ImageSet readIdxImages(const std::string& path);
std::vector<int64_t> readIdxLabels(const std::string& path);

/// Images and labels paired: the counts must agree; classes = largest label + 1 (10 for MNIST).
ImageSet readIdxDataset(const std::string& imagesPath, const std::string& labelsPath);

}  // namespace flowscope
