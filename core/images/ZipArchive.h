#pragma once
// A minimal zip reader for .npz files (numpy.savez / savez_compressed): the end-of-central-
// directory record (zip64 too), the central directory, local headers; members stored (method 0)
// or deflated (method 8), each CRC-32-checked. Files are read with pread, so opening a 1.5 GB
// ImageNet batch costs the central directory, and a member costs its own size in memory.
//
// Nothing is trusted before it is checked against the input: offsets and sizes must lie inside
// the file, a member may not declare more than the deflate ratio allows from its compressed size
// (nor more than ZipLimits::maxMemberBytes), and its output is never allocated beyond the
// declared size. Every problem is a FileError naming the archive and the member.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace flowscope {

struct ZipLimits {
  /// The largest uncompressed member read (the data.npy of an ImageNet 64x64 training batch is
  /// 1.57 GB). Larger members are a FileError naming this limit.
  uint64_t maxMemberBytes = uint64_t{8} << 30;
};

/// One central-directory entry (zip64 sizes and offsets resolved).
struct ZipEntry {
  std::string name;
  uint16_t method = 0;  ///< 0 stored, 8 deflate; others are refused when read
  uint16_t flags = 0;   ///< general purpose bits; bit 0 (encrypted) is refused when read
  uint32_t crc32 = 0;
  uint64_t compressedSize = 0;
  uint64_t uncompressedSize = 0;
  uint64_t localHeaderOffset = 0;
};

class ZipArchive {
 public:
  /// Opens a zip file and reads its central directory. Throws FileError naming `path`.
  static ZipArchive open(const std::string& path, const ZipLimits& limits = {});
  /// The same over bytes in memory (tests, fuzzing); `name` names them in messages.
  static ZipArchive fromBytes(std::string bytes, const std::string& name, const ZipLimits& limits = {});

  const std::string& name() const { return name_; }
  const std::vector<ZipEntry>& entries() const { return entries_; }
  /// The entry called `member`, or nullptr.
  const ZipEntry* find(std::string_view member) const;
  /// "a.npy, b.npy" (for messages).
  std::string memberList() const;

  /// The whole member, inflated and CRC-checked.
  std::string read(const ZipEntry& entry) const;
  /// read(*find(member)); a missing member is a FileError listing the members.
  std::string read(std::string_view member) const;

  struct Source;  // where the bytes come from: a file descriptor or a string

 private:
  ZipArchive() = default;
  void parseDirectory();

  std::shared_ptr<const Source> source_;
  std::string name_;
  ZipLimits limits_;
  uint64_t directoryOffset_ = 0;  // members' data lies below this
  std::vector<ZipEntry> entries_;
};

}  // namespace flowscope
