#include "core/images/Idx.h"

#include <algorithm>
#include <limits>

#include "core/images/Inflate.h"
#include "core/io/AtomicFile.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

constexpr uint32_t kLabelsMagic = 0x00000801, kImagesMagic = 0x00000803;

uint32_t bigEndian32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return uint32_t{u[0]} << 24 | uint32_t{u[1]} << 16 | uint32_t{u[2]} << 8 | uint32_t{u[3]};
}

std::string hex32(uint32_t v) {
  static const char digits[] = "0123456789abcdef";
  std::string s = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) s += digits[(v >> shift) & 0xf];
  return s;
}

// Reads exactly `n` header bytes from the raw bytes or the gzip stream.
class HeaderReader {
 public:
  HeaderReader(std::string_view bytes, Inflater* inflater) : bytes_(bytes), inflater_(inflater) {}
  bool read(char* out, size_t n) {
    if (inflater_) return inflater_->read(out, n) == n;
    if (bytes_.size() - pos_ < n) return false;
    std::copy_n(bytes_.data() + pos_, n, out);
    pos_ += n;
    return true;
  }
  size_t pos() const { return pos_; }

 private:
  std::string_view bytes_;
  Inflater* inflater_;
  size_t pos_ = 0;
};

}  // namespace

IdxArray parseIdx(std::string_view bytes, const std::string& name) {
  const bool gzip = isGzip(bytes);
  Inflater inflater(DeflateWrapper::Gzip, name, "gzip stream");
  if (gzip) inflater.feed(bytes);
  HeaderReader in(bytes, gzip ? &inflater : nullptr);
  const std::string form = gzip ? "gzip'ed IDX file" : "IDX file";

  char magicBytes[4];
  if (!in.read(magicBytes, 4)) {
    throw FileError(name + ": truncated " + form + ": no 4-byte magic (expected 0x00000803 for images or 0x00000801 for labels)");
  }
  const uint32_t magic = bigEndian32(magicBytes);
  if (magic != kImagesMagic && magic != kLabelsMagic) {
    throw FileError(name + ": not an IDX file of unsigned bytes: magic " + hex32(magic) +
                    " (expected 0x00000803 for images or 0x00000801 for labels)");
  }
  const size_t ndims = magic & 0xff;
  IdxArray out;
  uint64_t count = 1;
  char dimBytes[12];
  if (!in.read(dimBytes, 4 * ndims)) {
    throw FileError(name + ": truncated " + form + ": header ends before its " + std::to_string(ndims) +
                    " 4-byte dimensions");
  }
  for (size_t k = 0; k < ndims; ++k) {
    const uint32_t d = bigEndian32(dimBytes + 4 * k);
    if (d > static_cast<uint32_t>(std::numeric_limits<int32_t>::max())) {
      throw FileError(name + ": dimension " + std::to_string(k) + " is " + std::to_string(d) +
                      " (expected a non-negative signed 32-bit count)");
    }
    if (k > 0 && d == 0) {
      throw FileError(name + ": image dimension " + std::to_string(k) + " is 0 (expected rows and columns >= 1)");
    }
    out.dims.push_back(d);
    if (d != 0 && count > (uint64_t{1} << 62) / d) {
      throw FileError(name + ": dimensions multiply to more than 2^62 bytes");
    }
    count *= d;
  }
  const size_t headerBytes = 4 + 4 * ndims;

  // Everything sized by the header is checked against the input before it is allocated.
  if (!gzip) {
    if (bytes.size() - headerBytes != count) {
      throw FileError(name + ": " + (bytes.size() - headerBytes < count ? "truncated " : "") + form + ": " +
                      std::to_string(bytes.size() - headerBytes) + " data bytes after the header, expected " +
                      std::to_string(count) + " for dimensions " + [&] {
                        std::string s;
                        for (size_t k = 0; k < out.dims.size(); ++k) s += (k ? "x" : "") + std::to_string(out.dims[k]);
                        return s;
                      }());
    }
    const auto* p = reinterpret_cast<const uint8_t*>(bytes.data() + headerBytes);
    out.data.assign(p, p + count);
    return out;
  }
  if (headerBytes + count > maxInflatedSize(bytes.size())) {
    throw FileError(name + ": header declares " + std::to_string(count) + " data bytes, more than " +
                    std::to_string(bytes.size()) + " gzip'ed bytes can hold (deflate compresses at most 1032:1)");
  }
  out.data.resize(static_cast<size_t>(count));
  const size_t got = inflater.read(reinterpret_cast<char*>(out.data.data()), out.data.size());
  if (got != count) {
    throw FileError(name + ": truncated " + form + ": " + std::to_string(got) + " data bytes, expected " +
                    std::to_string(count) + " from the header");
  }
  inflater.expectEnd(headerBytes + count, /*exactInput=*/true);
  return out;
}

ImageSet parseIdxImages(std::string_view bytes, const std::string& name) {
  IdxArray a = parseIdx(bytes, name);
  if (a.dims.size() != 3) {
    throw FileError(name + ": an IDX labels file (magic 0x00000801) where images (magic 0x00000803) were expected");
  }
  ImageSet set;
  set.count = a.dims[0];
  set.channels = 1;
  set.height = a.dims[1];
  set.width = a.dims[2];
  set.pixels = std::move(a.data);
  set.source = name;
  return set;
}

std::vector<int64_t> parseIdxLabels(std::string_view bytes, const std::string& name) {
  const IdxArray a = parseIdx(bytes, name);
  if (a.dims.size() != 1) {
    throw FileError(name + ": an IDX images file (magic 0x00000803) where labels (magic 0x00000801) were expected");
  }
  return std::vector<int64_t>(a.data.begin(), a.data.end());
}

ImageSet readIdxImages(const std::string& path) { return parseIdxImages(readFileBytes(path), path); }

std::vector<int64_t> readIdxLabels(const std::string& path) { return parseIdxLabels(readFileBytes(path), path); }

ImageSet readIdxDataset(const std::string& imagesPath, const std::string& labelsPath) {
  ImageSet set = readIdxImages(imagesPath);
  std::vector<int64_t> labels = readIdxLabels(labelsPath);
  if (labels.size() != static_cast<size_t>(set.count)) {
    throw FileError(labelsPath + ": " + std::to_string(labels.size()) + " labels for the " + std::to_string(set.count) +
                    " images of " + imagesPath + " (expected one label per image)");
  }
  set.classes = labels.empty() ? 0 : *std::max_element(labels.begin(), labels.end()) + 1;
  set.labels = std::move(labels);
  set.source = imagesPath + ", " + labelsPath;
  validateImageSet(set);
  return set;
}

}  // namespace flowscope
