#pragma once
// The image datasets of data.name (core/registry/Datasets.cpp, tag "images"): reading the files a
// DataConfig names into an ImageSet, and the image shape a config implies without reading them
// (a checkpoint's network is built from the config alone). Torch-free.

#include <cstdint>
#include <string>
#include <vector>

#include "core/images/ImageSet.h"

namespace flowscope {

struct DataConfig;

/// Whether data.name is an image dataset (its registry choice carries the "images" tag).
bool isImageDataset(const std::string& name);

/// {C, H, W} of the images `config` names, from the config alone: fashion_mnist and mnist 1x28x28,
/// cifar10 and imagenet32 3x32x32, imagenet64 3x64x64, image_folder 3 x data.image_size^2.
/// Throws ConfigError (key data.name) for a dataset that is not an image dataset.
std::vector<int64_t> imageShape(const DataConfig& config);

/// The number of classes `config`'s dataset has, from the config alone where the format fixes it
/// (10, 10, 1000); image_folder counts its sub-folders (0 when data.class_subfolders is off).
int64_t imageClasses(const DataConfig& config, const std::string& baseDir = "");

/// Reads the "train" or "test" split (downsampled ImageNet calls it "val"; "test" is accepted)
/// of `config`'s dataset from data.root (relative roots resolve against `baseDir`), keeping the
/// first data.limit images when data.limit > 0. Throws ConfigError for bad keys and
/// FileError/InputError naming the file for bad or missing files.
ImageSet loadImageSet(const DataConfig& config, const std::string& split,
                      const std::string& baseDir = "");

}  // namespace flowscope
