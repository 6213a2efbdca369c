#include "core/data/ImageDatasets.h"

#include <algorithm>
#include <filesystem>

#include "core/config/ExperimentConfig.h"
#include "core/images/Cifar10.h"
#include "core/images/Idx.h"
#include "core/images/ImageFolder.h"
#include "core/images/ImageNetNpz.h"
#include "core/registry/Registries.h"
#include "core/util/Error.h"

namespace fs = std::filesystem;

namespace flowscope {
namespace {

const Choice& imageChoice(const DataConfig& config) {
  const Choice* choice = datasetRegistry().find(config.name);
  if (!choice || !choice->hasTag("images"))
    throw ConfigError("data.name", "data.name: '" + config.name + "' is not an image dataset "
                                   "(expected one of the datasets tagged images in docs/datasets.md)");
  return *choice;
}

/// data.root, or the choice's default (fashion_mnist: where Debian's package installs it),
/// resolved against `baseDir`.
fs::path rootOf(const DataConfig& config, const std::string& baseDir) {
  std::string root = config.root;
  if (root.empty()) {
    const auto& defaults = imageChoice(config).defaults;
    if (const auto it = defaults.find("data.root"); it != defaults.end()) root = it->second;
  }
  if (root.empty())
    throw ConfigError("data.root", "data.root: is empty (data.name " + config.name +
                                       " reads its files from a folder; expected that folder)");
  fs::path p(root);
  if (p.is_relative() && !baseDir.empty()) p = fs::path(baseDir) / p;
  if (!fs::is_directory(p))
    throw FileError("data.root: " + p.string() + " is not a folder (data.name " + config.name +
                    " expects the folder holding its files)");
  return p;
}

/// The IDX file `stem` in `dir`, gzipped or raw, whichever is there.
std::string idxFile(const fs::path& dir, const std::string& stem) {
  for (const char* suffix : {".gz", ""}) {
    const fs::path p = dir / (stem + suffix);
    if (fs::exists(p)) return p.string();
  }
  throw FileError((dir / stem).string() + "(.gz): missing (an IDX dataset folder holds "
                  "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and "
                  "t10k-labels-idx1-ubyte, gzipped or not)");
}

bool isTestSplit(const std::string& split) {
  if (split == "train") return false;
  if (split == "test" || split == "val") return true;
  throw InputError("split '" + split + "' (expected train or test)");
}

/// image_folder: ROOT/train and ROOT/test (or ROOT/val) when they exist; else ROOT is the
/// training set and there is no test split.
fs::path folderSplit(const fs::path& root, bool test) {
  if (!test) return fs::is_directory(root / "train") ? root / "train" : root;
  for (const char* name : {"test", "val"})
    if (fs::is_directory(root / name)) return root / name;
  throw FileError(root.string() + ": no test split (expected " + (root / "test").string() +
                  " or " + (root / "val").string() + " beside " + (root / "train").string() + ")");
}

void keepFirst(ImageSet& set, int64_t limit) {
  if (limit <= 0 || limit >= set.count) return;
  set.count = limit;
  set.pixels.resize(static_cast<size_t>(limit) * set.imageBytes());
  if (!set.labels.empty()) set.labels.resize(static_cast<size_t>(limit));
}

}  // namespace

bool isImageDataset(const std::string& name) {
  const Choice* choice = datasetRegistry().find(name);
  return choice && choice->hasTag("images");
}

std::vector<int64_t> imageShape(const DataConfig& config) {
  imageChoice(config);
  const std::string& n = config.name;
  if (n == "fashion_mnist" || n == "mnist") return {1, 28, 28};
  if (n == "cifar10" || n == "imagenet32") return {3, 32, 32};
  if (n == "imagenet64") return {3, 64, 64};
  return {3, config.image_size, config.image_size};  // image_folder
}

int64_t imageClasses(const DataConfig& config, const std::string& baseDir) {
  imageChoice(config);
  const std::string& n = config.name;
  if (n == "fashion_mnist" || n == "mnist" || n == "cifar10") return 10;
  if (n == "imagenet32" || n == "imagenet64") return 1000;
  if (!config.class_subfolders) return 0;
  const fs::path dir = folderSplit(rootOf(config, baseDir), false);
  int64_t classes = 0;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_directory() && entry.path().filename().string().front() != '.') ++classes;
  return classes;
}

ImageSet loadImageSet(const DataConfig& config, const std::string& split, const std::string& baseDir) {
  imageChoice(config);
  const bool test = isTestSplit(split);
  const fs::path root = rootOf(config, baseDir);
  const std::string& n = config.name;
  ImageSet set;
  if (n == "fashion_mnist" || n == "mnist") {
    const std::string prefix = test ? "t10k" : "train";
    set = readIdxDataset(idxFile(root, prefix + "-images-idx3-ubyte"),
                         idxFile(root, prefix + "-labels-idx1-ubyte"));
    set.classes = 10;
  } else if (n == "cifar10") {
    set = readCifar10Folder(root.string(), test ? "test" : "train");
  } else if (n == "imagenet32" || n == "imagenet64") {
    set = readImageNetFolder(root.string(), n == "imagenet32" ? 32 : 64, test ? "val" : "train");
  } else {
    set = readImageFolder(folderSplit(root, test).string(), config.image_size,
                          parseResizeFilter(config.resize_filter), config.class_subfolders);
  }
  const std::vector<int64_t> shape = imageShape(config);
  if (set.channels != shape[0] || set.height != shape[1] || set.width != shape[2])
    throw FileError(set.source + ": images are " + std::to_string(set.channels) + "x" +
                    std::to_string(set.height) + "x" + std::to_string(set.width) + " (data.name " +
                    n + " expects " + std::to_string(shape[0]) + "x" + std::to_string(shape[1]) +
                    "x" + std::to_string(shape[2]) + ")");
  keepFirst(set, config.limit);
  return set;
}

}  // namespace flowscope
