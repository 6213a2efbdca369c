#include "core/images/ImageNetNpz.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "core/io/Npy.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

constexpr int64_t kClasses = 1000;

std::string shapeText(const std::vector<int64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

const ZipEntry& member(const ZipArchive& zip, const std::string& name) {
  const ZipEntry* e = zip.find(name);
  if (!e) throw FileError(zip.name() + ": no " + name + " member (members: " + zip.memberList() + ")");
  return *e;
}

void checkResolution(int resolution) {
  if (resolution < 1 || resolution > 4096) {
    throw InputError("ImageNet resolution " + std::to_string(resolution) + " (expected 8, 16, 32 or 64)");
  }
}

// labels.npy: N integers 1..1000, returned 0-based.
std::vector<int64_t> readLabels(const ZipArchive& zip) {
  const std::string source = zip.name() + ": labels.npy";
  std::vector<int64_t> shape;
  std::vector<int64_t> labels = parseNpyIntegers(zip.read(member(zip, "labels.npy")), source, &shape);
  if (shape.size() != 1) {
    throw FileError(source + ": shape " + shapeText(shape) + " (expected one dimension, (N,))");
  }
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] < 1 || labels[i] > kClasses) {
      throw FileError(source + ": label " + std::to_string(labels[i]) + " of image " + std::to_string(i) +
                      " (expected 1-based classes 1..1000)");
    }
    --labels[i];
  }
  return labels;
}

// Copies data.npy's pixels for `count` images to dst, after checking dtype and shape.
void readPixels(const ZipArchive& zip, int resolution, int64_t count, uint8_t* dst) {
  const std::string source = zip.name() + ": data.npy";
  const std::string bytes = zip.read(member(zip, "data.npy"));
  const NpyHeader h = parseNpyHeader(bytes, source);
  const int64_t s = resolution, row = 3 * s * s;
  const bool flat = h.shape.size() == 2 && h.shape[1] == row;
  const bool planes = h.shape.size() == 4 && h.shape[1] == 3 && h.shape[2] == s && h.shape[3] == s;
  if (h.kind != 'u' || h.itemSize != 1) {
    throw FileError(source + ": dtype '" + h.descr + "' (expected uint8 pixels, '|u1')");
  }
  if (!flat && !planes) {
    throw FileError(source + ": shape " + shapeText(h.shape) + " (expected (N, " + std::to_string(row) +
                    ") or (N, 3, " + std::to_string(s) + ", " + std::to_string(s) + ") for " + std::to_string(s) +
                    "x" + std::to_string(s) + " RGB images; wrong resolution?)");
  }
  if (h.fortranOrder) throw FileError(source + ": Fortran-ordered data (expected C order, as numpy.savez writes)");
  if (h.shape[0] != count) {
    throw FileError(source + ": " + std::to_string(h.shape[0]) + " images but labels.npy has " +
                    std::to_string(count) + " labels (expected one per image)");
  }
  std::copy_n(reinterpret_cast<const uint8_t*>(bytes.data() + h.dataOffset), h.count, dst);
}

// Before allocating count images: data.npy's declared size (bounded by the zip limits and its
// compressed size) must hold them, so a short labels-only archive cannot ask for gigabytes.
void checkDeclaredSize(const ZipArchive& zip, int64_t count, size_t imageBytes) {
  const ZipEntry& data = member(zip, "data.npy");
  if (count > 0 && data.uncompressedSize / static_cast<uint64_t>(count) < imageBytes) {
    throw FileError(zip.name() + ": data.npy holds " + std::to_string(data.uncompressedSize) + " bytes, fewer than the " +
                    std::to_string(count) + " images of " + std::to_string(imageBytes) +
                    " bytes that labels.npy has labels for (wrong resolution?)");
  }
}

ImageSet emptySet(int resolution) {
  ImageSet set;
  set.channels = 3;
  set.height = set.width = resolution;
  set.classes = kClasses;
  return set;
}

}  // namespace

ImageSet readImageNetNpz(const ZipArchive& archive, int resolution) {
  checkResolution(resolution);
  member(archive, "data.npy");  // the message the user most needs comes first
  ImageSet set = emptySet(resolution);
  set.labels = readLabels(archive);
  set.count = static_cast<int64_t>(set.labels.size());
  checkDeclaredSize(archive, set.count, set.imageBytes());
  set.pixels.resize(static_cast<size_t>(set.count) * set.imageBytes());
  readPixels(archive, resolution, set.count, set.pixels.data());
  set.source = archive.name();
  validateImageSet(set);
  return set;
}

ImageSet readImageNetNpz(const std::string& path, int resolution, const ZipLimits& limits) {
  return readImageNetNpz(ZipArchive::open(path, limits), resolution);
}

ImageSet readImageNetFolder(const std::string& dir, int resolution, const std::string& split, const ZipLimits& limits) {
  checkResolution(resolution);
  std::vector<std::string> files;
  if (split == "train") {
    for (int b = 1; b <= 10; ++b) files.push_back("train_data_batch_" + std::to_string(b) + ".npz");
  } else if (split == "val") {
    files.push_back("val_data.npz");
  } else {
    throw InputError("ImageNet split '" + split + "' (expected 'train' or 'val')");
  }
  namespace fs = std::filesystem;
  std::vector<ZipArchive> archives;
  for (const std::string& f : files) {
    const fs::path p = fs::path(dir) / f;
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) {
      throw FileError(p.string() + ": missing: the ImageNet " + std::to_string(resolution) + "x" +
                      std::to_string(resolution) + " '" + split + "' split needs " +
                      (split == "train" ? std::string("train_data_batch_1.npz .. train_data_batch_10.npz")
                                        : std::string("val_data.npz")) + " in " + dir);
    }
    archives.push_back(ZipArchive::open(p.string(), limits));
    member(archives.back(), "data.npy");
  }
  // Labels first: they give every batch's size, so the pixels are allocated once.
  ImageSet set = emptySet(resolution);
  std::vector<int64_t> counts;
  for (const ZipArchive& zip : archives) {
    std::vector<int64_t> labels = readLabels(zip);
    checkDeclaredSize(zip, static_cast<int64_t>(labels.size()), set.imageBytes());
    counts.push_back(static_cast<int64_t>(labels.size()));
    set.labels.insert(set.labels.end(), labels.begin(), labels.end());
  }
  set.count = static_cast<int64_t>(set.labels.size());
  set.pixels.resize(static_cast<size_t>(set.count) * set.imageBytes());
  size_t offset = 0;
  for (size_t b = 0; b < archives.size(); ++b) {
    readPixels(archives[b], resolution, counts[b], set.pixels.data() + offset);
    offset += static_cast<size_t>(counts[b]) * set.imageBytes();
  }
  set.source = (fs::path(dir) / (split == "train" ? "train_data_batch_{1..10}.npz" : "val_data.npz")).string();
  validateImageSet(set);
  return set;
}

}  // namespace flowscope
