#pragma once
// CIFAR-10's binary version (cifar-10-binary.tar.gz, folder cifar-10-batches-bin): records of
// one label byte (0-9) and 3072 pixel bytes, the 32x32 red plane, then green, then blue, which
// is already the channel-planar layout of ImageSet. Five training batches of 10000 images
// (data_batch_1.bin .. data_batch_5.bin) and one test batch (test_batch.bin).

#include <string>
#include <string_view>

#include "core/images/ImageSet.h"

namespace flowscope {

/// Parses one batch file's bytes: a non-zero multiple of 3073 bytes, labels < 10. Throws
/// FileError naming `name`, the size or the record and what was expected.
ImageSet parseCifar10Batch(std::string_view bytes, const std::string& name);

ImageSet readCifar10Batch(const std::string& path);

/// The "train" split (data_batch_1.bin .. data_batch_5.bin, in that order) or "test"
/// (test_batch.bin) of the folder `dir`. A missing file is a FileError naming it.
ImageSet readCifar10Folder(const std::string& dir, const std::string& split);

}  // namespace flowscope
