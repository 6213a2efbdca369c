#include "core/images/Cifar10.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "core/io/AtomicFile.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

constexpr size_t kSide = 32, kImageBytes = 3 * kSide * kSide, kRecordBytes = 1 + kImageBytes;
constexpr int64_t kClasses = 10;

// A batch is at most 30 MiB (10000 records); a larger file is not a CIFAR-10 batch.
constexpr size_t kMaxBatchBytes = size_t{1} << 30;

}  // namespace

ImageSet parseCifar10Batch(std::string_view bytes, const std::string& name) {
  if (bytes.empty() || bytes.size() % kRecordBytes != 0) {
    throw FileError(name + ": " + std::to_string(bytes.size()) + " bytes is not a CIFAR-10 batch (expected a " +
                    "non-zero multiple of " + std::to_string(kRecordBytes) + ": 1 label byte + 3072 pixel bytes per " +
                    "image; the file is truncated, or not the binary version)");
  }
  ImageSet set;
  set.count = static_cast<int64_t>(bytes.size() / kRecordBytes);
  set.channels = 3;
  set.height = set.width = kSide;
  set.classes = kClasses;
  set.source = name;
  set.labels.resize(static_cast<size_t>(set.count));
  set.pixels.resize(static_cast<size_t>(set.count) * kImageBytes);
  for (size_t i = 0; i < static_cast<size_t>(set.count); ++i) {
    const char* record = bytes.data() + i * kRecordBytes;
    const auto label = static_cast<unsigned char>(record[0]);
    if (label >= kClasses) {
      throw FileError(name + ": record " + std::to_string(i) + " (byte offset " + std::to_string(i * kRecordBytes) +
                      ") has label " + std::to_string(label) + " (expected 0-9; CIFAR-100's 2-label records are " +
                      "not supported)");
    }
    set.labels[i] = label;
    std::copy_n(reinterpret_cast<const uint8_t*>(record + 1), kImageBytes, set.pixels.data() + i * kImageBytes);
  }
  return set;
}

ImageSet readCifar10Batch(const std::string& path) {
  return parseCifar10Batch(readBoundedFile(path, kMaxBatchBytes, "CIFAR-10 batch"), path);
}

ImageSet readCifar10Folder(const std::string& dir, const std::string& split) {
  std::vector<std::string> files;
  if (split == "train") {
    for (int b = 1; b <= 5; ++b) files.push_back("data_batch_" + std::to_string(b) + ".bin");
  } else if (split == "test") {
    files.push_back("test_batch.bin");
  } else {
    throw InputError("CIFAR-10 split '" + split + "' (expected 'train' or 'test')");
  }
  namespace fs = std::filesystem;
  for (const std::string& f : files) {
    const fs::path p = fs::path(dir) / f;
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) {
      throw FileError(p.string() + ": missing: the CIFAR-10 '" + split + "' split needs " +
                      (split == "train" ? std::string("data_batch_1.bin .. data_batch_5.bin") : files[0]) + " in " +
                      dir + " (the folder cifar-10-batches-bin of cifar-10-binary.tar.gz)");
    }
  }
  ImageSet all;
  for (const std::string& f : files) {
    ImageSet batch = readCifar10Batch((fs::path(dir) / f).string());
    if (all.count == 0) {
      all = std::move(batch);
      all.pixels.reserve(all.pixels.size() * files.size());
      all.labels.reserve(all.labels.size() * files.size());
      continue;
    }
    all.pixels.insert(all.pixels.end(), batch.pixels.begin(), batch.pixels.end());
    all.labels.insert(all.labels.end(), batch.labels.begin(), batch.labels.end());
    all.count += batch.count;
  }
  all.source = (fs::path(dir) / (split == "train" ? "data_batch_{1..5}.bin" : "test_batch.bin")).string();
  validateImageSet(all);
  return all;
}

}  // namespace flowscope
