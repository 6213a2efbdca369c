#include "core/images/ZipArchive.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <system_error>

#include "core/images/Inflate.h"
#include "core/io/Crc32.h"
#include "core/io/Printable.h"
#include "core/util/Error.h"

namespace flowscope {

struct ZipArchive::Source {
  virtual ~Source() = default;
  virtual uint64_t size() const = 0;
  /// Copies bytes [offset, offset + n) to dst; callers check the range against size() first.
  virtual void readAt(uint64_t offset, size_t n, char* dst) const = 0;
};

namespace {

constexpr uint32_t kEocdSig = 0x06054b50, kZip64EocdSig = 0x06064b50, kZip64LocatorSig = 0x07064b50,
                   kCentralSig = 0x02014b50, kLocalSig = 0x04034b50;
constexpr size_t kEocdBytes = 22, kZip64LocatorBytes = 20, kZip64EocdBytes = 56, kCentralBytes = 46,
                 kLocalBytes = 30, kMaxComment = 0xffff;
constexpr size_t kChunk = size_t{1} << 20;  // compressed bytes read per pread when inflating

class MemorySource final : public ZipArchive::Source {
 public:
  explicit MemorySource(std::string bytes) : bytes_(std::move(bytes)) {}
  uint64_t size() const override { return bytes_.size(); }
  void readAt(uint64_t offset, size_t n, char* dst) const override {
    std::memcpy(dst, bytes_.data() + offset, n);
  }

 private:
  std::string bytes_;
};

class FileSource final : public ZipArchive::Source {
 public:
  explicit FileSource(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) fail("cannot open file", errno);
    struct stat st {};
    if (::fstat(fd_, &st) != 0) fail("cannot stat file", errno);
    if (!S_ISREG(st.st_mode)) {
      ::close(fd_);
      throw FileError(path + ": not a regular file (expected a .npz/.zip file)");
    }
    size_ = static_cast<uint64_t>(st.st_size);
  }
  ~FileSource() override { ::close(fd_); }
  uint64_t size() const override { return size_; }
  void readAt(uint64_t offset, size_t n, char* dst) const override {
    while (n > 0) {
      const ssize_t got = ::pread(fd_, dst, n, static_cast<off_t>(offset));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) fail("cannot read file", errno);
      if (got == 0) throw FileError(path_ + ": file shrank while being read (expected " + std::to_string(size_) + " bytes)");
      dst += got;
      n -= static_cast<size_t>(got);
      offset += static_cast<uint64_t>(got);
    }
  }

 private:
  [[noreturn]] void fail(const std::string& what, int err) const {
    throw FileError(path_ + ": " + what + ": " + std::generic_category().message(err));
  }
  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

uint16_t le16(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint16_t>(u[0] | u[1] << 8);
}
uint32_t le32(const char* p) { return uint32_t{le16(p)} | uint32_t{le16(p + 2)} << 16; }
uint64_t le64(const char* p) { return uint64_t{le32(p)} | uint64_t{le32(p + 4)} << 32; }

std::string hex32(uint32_t v) {
  char buf[11];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

std::string quoted(std::string_view name) { return "'" + printableExcerpt(name, 120) + "'"; }

}  // namespace

ZipArchive ZipArchive::open(const std::string& path, const ZipLimits& limits) {
  ZipArchive zip;
  zip.source_ = std::make_shared<FileSource>(path);
  zip.name_ = path;
  zip.limits_ = limits;
  zip.parseDirectory();
  return zip;
}

ZipArchive ZipArchive::fromBytes(std::string bytes, const std::string& name, const ZipLimits& limits) {
  ZipArchive zip;
  zip.source_ = std::make_shared<MemorySource>(std::move(bytes));
  zip.name_ = name;
  zip.limits_ = limits;
  zip.parseDirectory();
  return zip;
}

void ZipArchive::parseDirectory() {
  const Source& src = *source_;
  const uint64_t size = src.size();
  const auto fail = [&](const std::string& what) -> FileError { return FileError(name_ + ": " + what); };
  if (size < kEocdBytes) {
    throw fail("not a zip file: " + std::to_string(size) + " bytes, shorter than the 22-byte end-of-central-directory record");
  }
  // The record is the last thing in the file but for a comment of at most 64 KiB: search back.
  const size_t tailBytes = static_cast<size_t>(std::min<uint64_t>(size, kEocdBytes + kMaxComment));
  std::string tail(tailBytes, '\0');
  src.readAt(size - tailBytes, tailBytes, tail.data());
  size_t at = std::string::npos;
  for (size_t pos = tailBytes - kEocdBytes + 1; pos-- > 0;) {
    if (le32(tail.data() + pos) == kEocdSig && pos + kEocdBytes + le16(tail.data() + pos + 20) <= tailBytes) {
      at = pos;
      break;
    }
  }
  if (at == std::string::npos) {
    throw fail("not a zip file: no end-of-central-directory record (signature PK\\5\\6) in the last " +
               std::to_string(tailBytes) + " bytes (the file is truncated, or not a .zip/.npz)");
  }
  const uint64_t eocdOffset = size - tailBytes + at;
  const char* e = tail.data() + at;
  uint64_t diskNumber = le16(e + 4), directoryDisk = le16(e + 6), entriesHere = le16(e + 8), entries = le16(e + 10),
           directorySize = le32(e + 12), directoryOffset = le32(e + 16);
  uint64_t directoryEnd = eocdOffset;  // the central directory ends where the (zip64) record starts

  const bool zip64 = entriesHere == 0xffff || entries == 0xffff || directorySize == 0xffffffff ||
                     directoryOffset == 0xffffffff;
  if (zip64) {
    if (eocdOffset < kZip64LocatorBytes) throw fail("zip64 values in the end record but no room for the zip64 locator");
    char loc[kZip64LocatorBytes];
    src.readAt(eocdOffset - kZip64LocatorBytes, kZip64LocatorBytes, loc);
    if (le32(loc) != kZip64LocatorSig) {
      throw fail("the end record has zip64 markers (0xffff...) but no zip64 locator precedes it (truncated or damaged)");
    }
    const uint64_t recordOffset = le64(loc + 8);
    if (le32(loc + 16) > 1) throw fail("multi-disk (split) archives are not supported");
    if (recordOffset > eocdOffset - kZip64LocatorBytes ||
        eocdOffset - kZip64LocatorBytes - recordOffset < kZip64EocdBytes) {
      throw fail("the zip64 locator points at offset " + std::to_string(recordOffset) +
                 ", outside the file before it");
    }
    char r[kZip64EocdBytes];
    src.readAt(recordOffset, kZip64EocdBytes, r);
    if (le32(r) != kZip64EocdSig) throw fail("no zip64 end-of-central-directory record where the locator points");
    diskNumber = le32(r + 16);
    directoryDisk = le32(r + 20);
    entriesHere = le64(r + 24);
    entries = le64(r + 32);
    directorySize = le64(r + 40);
    directoryOffset = le64(r + 48);
    directoryEnd = recordOffset;
  }
  if (diskNumber != 0 || directoryDisk != 0 || entriesHere != entries) {
    throw fail("multi-disk (split) archives are not supported");
  }
  if (directoryOffset > directoryEnd || directorySize != directoryEnd - directoryOffset) {
    throw fail("the central directory (offset " + std::to_string(directoryOffset) + ", " +
               std::to_string(directorySize) + " bytes) does not end where the end record starts (offset " +
               std::to_string(directoryEnd) + "): truncated or damaged");
  }
  if (entries > directorySize / kCentralBytes) {
    throw fail(std::to_string(entries) + " entries cannot fit in a central directory of " +
               std::to_string(directorySize) + " bytes (46 bytes or more each)");
  }
  directoryOffset_ = directoryOffset;

  std::string dir(static_cast<size_t>(directorySize), '\0');
  src.readAt(directoryOffset, dir.size(), dir.data());
  size_t pos = 0;
  entries_.reserve(static_cast<size_t>(entries));
  for (uint64_t i = 0; i < entries; ++i) {
    const std::string where = "central directory entry " + std::to_string(i);
    if (dir.size() - pos < kCentralBytes) throw fail(where + " is truncated");
    const char* c = dir.data() + pos;
    if (le32(c) != kCentralSig) throw fail(where + " has signature " + hex32(le32(c)) + " (expected PK\\1\\2)");
    ZipEntry entry;
    entry.flags = le16(c + 8);
    entry.method = le16(c + 10);
    entry.crc32 = le32(c + 16);
    entry.compressedSize = le32(c + 20);
    entry.uncompressedSize = le32(c + 24);
    const size_t nameLen = le16(c + 28), extraLen = le16(c + 30), commentLen = le16(c + 32);
    uint64_t diskStart = le16(c + 34);
    entry.localHeaderOffset = le32(c + 42);
    if (dir.size() - pos - kCentralBytes < nameLen + extraLen + commentLen) throw fail(where + " is truncated");
    entry.name.assign(c + kCentralBytes, nameLen);
    const std::string_view extra(c + kCentralBytes + nameLen, extraLen);
    pos += kCentralBytes + nameLen + extraLen + commentLen;

    // zip64 extended information (header 0x0001): the 64-bit values of the fields set to
    // 0xffffffff (0xffff for the disk), in this order, and only those.
    for (size_t x = 0; x + 4 <= extra.size();) {
      const uint16_t id = le16(extra.data() + x), len = le16(extra.data() + x + 2);
      if (extra.size() - x - 4 < len) throw fail(where + " (" + quoted(entry.name) + ") has a truncated extra field");
      if (id == 0x0001) {
        std::string_view f = extra.substr(x + 4, len);
        const auto take64 = [&](uint64_t& field) {
          if (f.size() < 8) throw fail("member " + quoted(entry.name) + ": zip64 extra field too short for its 0xffffffff fields");
          field = le64(f.data());
          f.remove_prefix(8);
        };
        if (entry.uncompressedSize == 0xffffffff) take64(entry.uncompressedSize);
        if (entry.compressedSize == 0xffffffff) take64(entry.compressedSize);
        if (entry.localHeaderOffset == 0xffffffff) take64(entry.localHeaderOffset);
        if (diskStart == 0xffff) {
          if (f.size() < 4) throw fail("member " + quoted(entry.name) + ": zip64 extra field too short for its disk number");
          diskStart = le32(f.data());
        }
      }
      x += 4 + len;
    }
    if (diskStart != 0) throw fail("member " + quoted(entry.name) + " starts on disk " + std::to_string(diskStart) +
                                   " (multi-disk archives are not supported)");
    if (entry.localHeaderOffset > directoryOffset_ || directoryOffset_ - entry.localHeaderOffset < kLocalBytes) {
      throw fail("member " + quoted(entry.name) + ": local header offset " + std::to_string(entry.localHeaderOffset) +
                 " is not before the central directory (offset " + std::to_string(directoryOffset_) + ")");
    }
    entries_.push_back(std::move(entry));
  }
  if (pos != dir.size()) {
    throw fail(std::to_string(dir.size() - pos) + " unexpected bytes after the " + std::to_string(entries) +
               " central directory entries the end record declares");
  }
}

const ZipEntry* ZipArchive::find(std::string_view member) const {
  for (const ZipEntry& e : entries_) {
    if (e.name == member) return &e;
  }
  return nullptr;
}

std::string ZipArchive::memberList() const {
  std::string s;
  for (const ZipEntry& e : entries_) s += (s.empty() ? "" : ", ") + printableExcerpt(e.name, 120);
  return s.empty() ? "none" : s;
}

std::string ZipArchive::read(std::string_view member) const {
  const ZipEntry* e = find(member);
  if (!e) throw FileError(name_ + ": no member " + quoted(member) + " (members: " + memberList() + ")");
  return read(*e);
}

std::string ZipArchive::read(const ZipEntry& entry) const {
  const Source& src = *source_;
  const std::string what = "member " + quoted(entry.name);
  const auto fail = [&](const std::string& why) -> FileError { return FileError(name_ + ": " + what + ": " + why); };
  if (entry.flags & 0x1) throw fail("is encrypted (not supported)");
  if (entry.method != 0 && entry.method != 8) {
    throw fail("compression method " + std::to_string(entry.method) + " is not supported (expected 0 stored or 8 deflate)");
  }
  char local[kLocalBytes];
  src.readAt(entry.localHeaderOffset, kLocalBytes, local);
  if (le32(local) != kLocalSig) throw fail("no local header at offset " + std::to_string(entry.localHeaderOffset) +
                                           " (signature " + hex32(le32(local)) + ", expected PK\\3\\4)");
  const uint64_t nameLen = le16(local + 26), extraLen = le16(local + 28);
  const uint64_t dataOffset = entry.localHeaderOffset + kLocalBytes + nameLen + extraLen;
  if (dataOffset > directoryOffset_ || directoryOffset_ - dataOffset < entry.compressedSize) {
    throw fail(std::to_string(entry.compressedSize) + " compressed bytes at offset " + std::to_string(dataOffset) +
               " run past the central directory at " + std::to_string(directoryOffset_) + " (truncated or damaged)");
  }
  std::string localName(static_cast<size_t>(nameLen), '\0');
  src.readAt(entry.localHeaderOffset + kLocalBytes, localName.size(), localName.data());
  if (localName != entry.name) throw fail("its local header names it " + quoted(localName) + " (damaged archive)");

  // Sizes are checked against the input and the limit before the output is allocated.
  if (entry.uncompressedSize > limits_.maxMemberBytes) {
    throw fail("declares " + std::to_string(entry.uncompressedSize) + " bytes, more than the limit of " +
               std::to_string(limits_.maxMemberBytes) + " (ZipLimits::maxMemberBytes)");
  }
  if (entry.method == 0 && entry.compressedSize != entry.uncompressedSize) {
    throw fail("stored (not compressed) but its sizes differ: " + std::to_string(entry.compressedSize) + " and " +
               std::to_string(entry.uncompressedSize) + " bytes");
  }
  if (entry.method == 8 && entry.uncompressedSize > maxInflatedSize(entry.compressedSize)) {
    throw fail("declares " + std::to_string(entry.uncompressedSize) + " bytes, more than " +
               std::to_string(entry.compressedSize) + " deflated bytes can hold (at most 1032:1)");
  }
  if (entry.uncompressedSize > std::numeric_limits<size_t>::max()) throw fail("too large for this machine");
  std::string out(static_cast<size_t>(entry.uncompressedSize), '\0');
  if (entry.method == 0) {
    src.readAt(dataOffset, out.size(), out.data());
  } else {
    Inflater inflater(DeflateWrapper::Raw, name_, what);
    std::string chunk;
    uint64_t offset = dataOffset, left = entry.compressedSize;
    size_t produced = 0;
    for (;;) {
      if (inflater.inputLeft() == 0 && left > 0) {
        chunk.resize(static_cast<size_t>(std::min<uint64_t>(left, kChunk)));
        src.readAt(offset, chunk.size(), chunk.data());
        offset += chunk.size();
        left -= chunk.size();
        inflater.feed(chunk);
      }
      produced += inflater.read(out.data() + produced, out.size() - produced);
      if (produced == out.size() || inflater.finished() || (inflater.inputLeft() == 0 && left == 0)) break;
    }
    if (produced != out.size()) {
      throw fail("truncated: inflates to " + std::to_string(produced) + " bytes, the directory declares " +
                 std::to_string(out.size()));
    }
    // The deflate stream must end here, using exactly the declared compressed bytes.
    if (inflater.inputLeft() == 0 && left > 0) {
      chunk.resize(static_cast<size_t>(std::min<uint64_t>(left, kChunk)));
      src.readAt(offset, chunk.size(), chunk.data());
      left -= chunk.size();
      inflater.feed(chunk);
    }
    inflater.expectEnd(out.size(), /*exactInput=*/true);
    if (left > 0) throw fail(std::to_string(left) + " unexpected compressed bytes after the end of the deflate stream");
  }
  const uint32_t crc = flowscope::crc32(out);
  if (crc != entry.crc32) {
    throw fail("CRC-32 mismatch (directory " + hex32(entry.crc32) + ", data " + hex32(crc) + "): the member is damaged");
  }
  return out;
}

}  // namespace flowscope
