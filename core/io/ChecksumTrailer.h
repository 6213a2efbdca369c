#pragma once
// A checksum trailer after a file's content, so damage anywhere in it is detected on read (this
// LibTorch does not verify the zip CRCs of a checkpoint): the magic "FSCRC32\n", the content
// length (u64, little-endian) and the CRC-32 of the content (u32, little-endian), 20 bytes.
//
//   writeFileAtomic(path, content + checksumTrailer(content));
//   const TrailerCheck t = checkChecksumTrailer(bytes, path, "checkpoint");  // throws on damage

#include <cstddef>
#include <string>
#include <string_view>

#include "core/util/Error.h"

namespace flowscope {

/// The file's content fails its checksum: another copy (an older checkpoint) may be intact.
class DamagedFileError : public FileError {
 public:
  using FileError::FileError;
};

inline constexpr size_t kChecksumTrailerSize = 20;

std::string checksumTrailer(std::string_view content);

struct TrailerCheck {
  size_t contentSize = 0;  ///< the bytes before the trailer (all of them when there is none)
  bool present = false;    ///< false: no trailer (a legacy file, or the trailer itself damaged)
};

/// Verifies `bytes` against its trailer. Throws DamagedFileError naming `path` and `what` when a
/// trailer is present but its length or CRC-32 disagree with the content.
TrailerCheck checkChecksumTrailer(std::string_view bytes, const std::string& path, const std::string& what);

}  // namespace flowscope
