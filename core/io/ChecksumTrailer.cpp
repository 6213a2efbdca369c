#include "core/io/ChecksumTrailer.h"

#include <cstdint>
#include <cstdio>
#include <cstring>

#include "core/io/Crc32.h"

namespace flowscope {
namespace {

constexpr char kMagic[8] = {'F', 'S', 'C', 'R', 'C', '3', '2', '\n'};

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

}  // namespace

std::string checksumTrailer(std::string_view content) {
  std::string t(kMagic, sizeof kMagic);
  const uint64_t size = content.size();
  for (int i = 0; i < 8; ++i) t += static_cast<char>((size >> (8 * i)) & 0xFF);
  const uint32_t crc = crc32(content);
  for (int i = 0; i < 4; ++i) t += static_cast<char>((crc >> (8 * i)) & 0xFF);
  return t;
}

TrailerCheck checkChecksumTrailer(std::string_view bytes, const std::string& path, const std::string& what) {
  const size_t n = bytes.size();
  if (n < kChecksumTrailerSize || std::memcmp(bytes.data() + n - kChecksumTrailerSize, kMagic, sizeof kMagic) != 0)
    return {n, false};
  const auto* t = reinterpret_cast<const unsigned char*>(bytes.data() + n - 12);
  uint64_t size = 0;
  uint32_t stored = 0;
  for (int i = 0; i < 8; ++i) size |= static_cast<uint64_t>(t[i]) << (8 * i);
  for (int i = 0; i < 4; ++i) stored |= static_cast<uint32_t>(t[8 + i]) << (8 * i);
  const size_t content = n - kChecksumTrailerSize;
  if (size != content)
    throw DamagedFileError(path + ": damaged " + what + " (its trailer records " + std::to_string(size) +
                           " bytes of content, the file holds " + std::to_string(content) + ")");
  const uint32_t computed = crc32(bytes.substr(0, content));
  if (computed != stored)
    throw DamagedFileError(path + ": damaged " + what + " (CRC-32 " + hex32(computed) + ", expected " +
                           hex32(stored) + ")");
  return {content, true};
}

}  // namespace flowscope
