#pragma once
// Torch archives on disk with the project's CRC-32 trailer (core/io/ChecksumTrailer.h), written
// atomically: the classifier and feature-statistics files. Checkpoints add a legacy format on
// top (core/train/Checkpoint.h).

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <string>

namespace flowscope {

/// Serializes `archive` with a checksum trailer to `path` (temp file, then rename). `what`
/// names the kind of file in errors ("classifier"). Throws FileError.
void saveArchiveFile(torch::serialize::OutputArchive& archive, const std::string& path,
                     const std::string& what);

/// Loads `path` into `archive` after checking its trailer. Throws FileError when the file is
/// missing, DamagedFileError when its bytes fail the check or are not an archive.
void loadArchiveFile(torch::serialize::InputArchive& archive, const std::string& path,
                     const std::string& what);

}  // namespace flowscope
