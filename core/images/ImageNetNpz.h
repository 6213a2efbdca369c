#pragma once
// Downsampled ImageNet (Chrabaszcz, Loshchilov & Hutter 2017, "A Downsampled Variant of ImageNet
// as an Alternative to the CIFAR datasets"; the 32x32 and 64x64 sets of the paper's Table 1):
// .npz files with `data` (uint8, N x 3*s*s, channel-planar: the red s x s plane, green, blue)
// and `labels` (1-based class indices 1..1000). Training comes in train_data_batch_1.npz ..
// train_data_batch_10.npz, validation in val_data.npz.

#include <string>

#include "core/images/ImageSet.h"
#include "core/images/ZipArchive.h"

namespace flowscope {

/// The images of one .npz archive at `resolution` (s): data.npy of shape (N, 3*s*s) or
/// (N, 3, s, s), labels.npy of N integers in 1..1000 (any integer dtype), returned 0-based
/// with 1000 classes. Throws FileError naming the archive: "FILE: no data.npy member
/// (members: ...)", wrong dtype or shape, labels out of range, and every zip error.
ImageSet readImageNetNpz(const ZipArchive& archive, int resolution);
ImageSet readImageNetNpz(const std::string& path, int resolution, const ZipLimits& limits = {});

/// The "train" split (train_data_batch_1.npz .. train_data_batch_10.npz) or "val"
/// (val_data.npz) of `dir`. The pixel buffer is allocated once, at its final size (labels are
/// read first); peak memory is the set plus one batch's data.npy. A missing file is a FileError
/// naming it.
ImageSet readImageNetFolder(const std::string& dir, int resolution, const std::string& split,
                            const ZipLimits& limits = {});

}  // namespace flowscope
