#include "core/images/Inflate.h"

#include <zlib.h>

#include <algorithm>
#include <limits>
#include <new>
#include <stdexcept>

#include "core/util/Error.h"

namespace flowscope {

uint64_t maxInflatedSize(uint64_t compressedBytes) {
  // + 1 KiB covers the stream's first literals and the wrapper; saturate instead of wrapping.
  constexpr uint64_t kRatio = 1032, kSlack = 1024;
  if (compressedBytes > (std::numeric_limits<uint64_t>::max() - kSlack) / kRatio) return std::numeric_limits<uint64_t>::max();
  return compressedBytes * kRatio + kSlack;
}

bool isGzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f && static_cast<unsigned char>(bytes[1]) == 0x8b;
}

struct Inflater::Impl {
  z_stream z{};
  std::string source, what;
  std::string_view pending;  // fed input not handed to zlib yet (avail_in is 32-bit)
  bool finished = false;

  [[noreturn]] void corrupt(int rc) const {
    if (rc == Z_MEM_ERROR) throw std::bad_alloc();
    throw FileError(source + ": corrupt " + what + ": " + (z.msg ? z.msg : zError(rc)));
  }
};

Inflater::Inflater(DeflateWrapper wrapper, std::string source, std::string what) : impl_(std::make_unique<Impl>()) {
  impl_->source = std::move(source);
  impl_->what = std::move(what);
  const int windowBits = wrapper == DeflateWrapper::Raw ? -15 : 15 + 16;
  const int rc = inflateInit2(&impl_->z, windowBits);
  if (rc != Z_OK) impl_->corrupt(rc);
}

Inflater::~Inflater() { inflateEnd(&impl_->z); }

void Inflater::feed(std::string_view input) {
  // Only whole pieces are queued: callers feed the next piece once inputLeft() is 0.
  if (impl_->z.avail_in != 0 || !impl_->pending.empty()) {
    throw std::logic_error("Inflater::feed: previous input not consumed yet");
  }
  impl_->pending = input;
}

size_t Inflater::read(char* out, size_t n) {
  Impl& s = *impl_;
  constexpr size_t kChunk = size_t{1} << 30;  // what fits in zlib's uInt counters
  size_t produced = 0;
  while (produced < n && !s.finished) {
    if (s.z.avail_in == 0) {
      if (s.pending.empty()) break;
      const size_t take = std::min(s.pending.size(), kChunk);
      s.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.pending.data()));
      s.z.avail_in = static_cast<uInt>(take);
      s.pending.remove_prefix(take);
    }
    const size_t room = std::min(n - produced, kChunk);
    s.z.next_out = reinterpret_cast<Bytef*>(out + produced);
    s.z.avail_out = static_cast<uInt>(room);
    const int rc = ::inflate(&s.z, Z_NO_FLUSH);
    produced += room - s.z.avail_out;
    if (rc == Z_STREAM_END) {
      s.finished = true;
    } else if (rc == Z_BUF_ERROR) {
      // No progress possible: zlib wants input (refilled above, or none left).
      if (s.z.avail_in != 0 && s.z.avail_out != 0) s.corrupt(rc);
    } else if (rc != Z_OK) {
      s.corrupt(rc == Z_NEED_DICT ? Z_DATA_ERROR : rc);
    }
  }
  return produced;
}

bool Inflater::finished() const { return impl_->finished; }

size_t Inflater::inputLeft() const { return impl_->z.avail_in + impl_->pending.size(); }

void Inflater::expectEnd(uint64_t declaredBytes, bool exactInput) {
  const Impl& s = *impl_;
  char extra;
  if (read(&extra, 1) != 0) {
    throw FileError(s.source + ": " + s.what + " holds more than the " + std::to_string(declaredBytes) +
                    " bytes its header declares");
  }
  if (!s.finished) {
    throw FileError(s.source + ": truncated " + s.what + ": the compressed data ends without its end marker" +
                    " (the file was cut short?)");
  }
  if (exactInput && inputLeft() != 0) {
    throw FileError(s.source + ": " + std::to_string(inputLeft()) + " unexpected bytes after the end of the " + s.what);
  }
}

}  // namespace flowscope
