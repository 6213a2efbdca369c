#include "core/io/Npy.h"
#include "core/io/Printable.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <stdexcept>
#include <type_traits>

#include "core/io/AtomicFile.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicLen = 6;
constexpr size_t kAlign = 64;           // numpy's ARRAY_ALIGN: data starts on a 64-byte boundary
constexpr size_t kGrowthDigits = 21;    // numpy's GROWTH_AXIS_MAX_DIGITS header slack
constexpr size_t kMaxDims = 64;         // numpy's NPY_MAXDIMS
constexpr const char* kExpectedDtype = "expected little-endian float or integer";

std::string printable(std::string_view s) { return printableExcerpt(s, 80); }

std::string shapeRepr(const std::vector<int64_t>& shape) {
  // Python's tuple repr: (), (3,), (2, 3).
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(shape[i]);
  }
  if (shape.size() == 1) s += ",";
  return s + ")";
}

// Element count of a valid shape, or nullopt when it does not fit in int64.
std::optional<int64_t> elementCount(const std::vector<int64_t>& shape) {
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d == 0) return 0;
  }
  for (int64_t d : shape) {
    if (count > std::numeric_limits<int64_t>::max() / d) return std::nullopt;
    count *= d;
  }
  return count;
}

// ---- header dictionary ---------------------------------------------------------------------

struct Header {
  std::string descr;
  bool fortranOrder = false;
  std::vector<int64_t> shape;
};

// Parses the subset of Python literal syntax np.save writes:
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  Header parse() {
    Header h;
    bool seenDescr = false, seenOrder = false, seenShape = false;
    skipSpace();
    expect('{', "'{' opening the header dictionary");
    for (;;) {
      skipSpace();
      if (peek() == '}') break;
      const std::string key = parseString("a quoted key");
      skipSpace();
      expect(':', "':' after key '" + printable(key) + "'");
      skipSpace();
      if (key == "descr") {
        if (seenDescr) fail("duplicate key 'descr'");
        seenDescr = true;
        if (peek() == '[') {
          throw FileError(source_ + ": unsupported dtype: structured arrays are not supported (" +
                          kExpectedDtype + ")");
        }
        h.descr = parseString("a quoted dtype string such as '<f4'");
      } else if (key == "fortran_order") {
        if (seenOrder) fail("duplicate key 'fortran_order'");
        seenOrder = true;
        h.fortranOrder = parseBool();
      } else if (key == "shape") {
        if (seenShape) fail("duplicate key 'shape'");
        seenShape = true;
        h.shape = parseShape();
      } else {
        fail("unexpected key '" + printable(key) +
             "' (expected only 'descr', 'fortran_order' and 'shape')");
      }
      skipSpace();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != '}') fail("expected ',' or '}' after the value of '" + key + "'");
    }
    ++pos_;  // '}'
    skipSpace();
    if (pos_ != text_.size()) fail("unexpected text after the closing '}'");
    if (!seenDescr) fail("missing key 'descr'");
    if (!seenOrder) fail("missing key 'fortran_order'");
    if (!seenShape) fail("missing key 'shape'");
    return h;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw FileError(source_ + ": malformed .npy header at character " + std::to_string(pos_) +
                    ": " + what + " (header: \"" + printable(text_) + "\")");
  }

  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  void skipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  void expect(char c, const std::string& what) {
    if (pos_ >= text_.size() || text_[pos_] != c) fail("expected " + what);
    ++pos_;
  }

  std::string parseString(const std::string& what) {
    const char quote = peek();
    if (quote != '\'' && quote != '"') fail("expected " + what);
    const size_t start = ++pos_;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      // No valid key or dtype needs escapes; refusing them keeps the parser trivial.
      if (text_[pos_] == '\\' || text_[pos_] == '\n') fail("unsupported character in string");
      ++pos_;
    }
    if (pos_ >= text_.size()) fail("unterminated string");
    return std::string(text_.substr(start, pos_++ - start));
  }

  bool parseBool() {
    if (text_.substr(pos_, 4) == "True") {
      pos_ += 4;
      return true;
    }
    if (text_.substr(pos_, 5) == "False") {
      pos_ += 5;
      return false;
    }
    fail("expected True or False for 'fortran_order'");
  }

  int64_t parseDim() {
    if (peek() == '-') fail("negative dimension in 'shape' (expected non-negative integers)");
    if (peek() < '0' || peek() > '9') fail("expected a non-negative integer in 'shape'");
    int64_t value = 0;
    while (peek() >= '0' && peek() <= '9') {
      const int digit = peek() - '0';
      if (value > (std::numeric_limits<int64_t>::max() - digit) / 10) {
        fail("dimension in 'shape' does not fit in 64 bits");
      }
      value = value * 10 + digit;
      ++pos_;
    }
    if (peek() == 'L' || peek() == 'l') ++pos_;  // Python 2 long suffix, written by old numpy
    return value;
  }

  std::vector<int64_t> parseShape() {
    expect('(', "'(' starting the 'shape' tuple");
    std::vector<int64_t> shape;
    bool trailingComma = false;
    for (;;) {
      skipSpace();
      if (peek() == ')') break;
      if (shape.size() == kMaxDims) {
        fail("'shape' has more than " + std::to_string(kMaxDims) + " dimensions");
      }
      shape.push_back(parseDim());
      skipSpace();
      trailingComma = peek() == ',';
      if (trailingComma) {
        ++pos_;
      } else if (peek() != ')') {
        fail("expected ',' or ')' in 'shape'");
      }
    }
    // "(3)" is the integer 3 in Python, not a tuple; numpy rejects it too.
    if (shape.size() == 1 && !trailingComma) fail("'shape' (n) must be written as a tuple (n,)");
    ++pos_;  // ')'
    return shape;
  }

  std::string_view text_;
  const std::string& source_;
  size_t pos_ = 0;
};

// ---- dtypes --------------------------------------------------------------------------------

enum class Kind { Float, Signed, Unsigned, Bool };

struct Dtype {
  Kind kind;
  size_t size;
};

Dtype parseDtype(const std::string& descr, const std::string& source) {
  auto unsupported = [&](const std::string& why) -> FileError {
    return FileError(source + ": unsupported dtype '" + printable(descr) + "'" + why + " (" +
                     kExpectedDtype + ")");
  };
  std::string_view d = descr;
  char order = '=';  // np.dtype('f4') is valid without an order character
  if (!d.empty() && (d[0] == '<' || d[0] == '>' || d[0] == '|' || d[0] == '=')) {
    order = d[0];
    d.remove_prefix(1);
  }
  static const struct {
    const char* name;
    Kind kind;
    size_t size;
  } known[] = {{"f4", Kind::Float, 4},    {"f8", Kind::Float, 8},    {"i1", Kind::Signed, 1},
               {"i2", Kind::Signed, 2},   {"i4", Kind::Signed, 4},   {"i8", Kind::Signed, 8},
               {"u1", Kind::Unsigned, 1}, {"u2", Kind::Unsigned, 2}, {"u4", Kind::Unsigned, 4},
               {"u8", Kind::Unsigned, 8}, {"b1", Kind::Bool, 1}};
  for (const auto& k : known) {
    if (d != k.name) continue;
    // Byte order only matters for multi-byte types; numpy writes '|' for single bytes.
    if (k.size > 1 && order == '>') throw unsupported(": big-endian data is not supported");
    if (k.size > 1 && order == '|') throw unsupported(": byte order '|' needs a 1-byte type");
    return {k.kind, k.size};
  }
  throw unsupported("");
}

// Reads one little-endian element and converts it to float.
float decodeElement(const unsigned char* p, const Dtype& t) {
  uint64_t bits = 0;
  for (size_t i = 0; i < t.size; ++i) bits |= static_cast<uint64_t>(p[i]) << (8 * i);
  switch (t.kind) {
    case Kind::Float:
      if (t.size == 4) {
        const auto u = static_cast<uint32_t>(bits);
        float f;
        std::memcpy(&f, &u, sizeof f);
        return f;
      } else {
        double f;
        std::memcpy(&f, &bits, sizeof f);
        return static_cast<float>(f);
      }
    case Kind::Signed: {
      // Sign-extend from t.size bytes.
      const unsigned shift = static_cast<unsigned>(64 - 8 * t.size);
      const auto v = static_cast<int64_t>(bits << shift) >> shift;
      return static_cast<float>(v);
    }
    case Kind::Unsigned:
      return static_cast<float>(bits);
    case Kind::Bool:
      return bits != 0 ? 1.0f : 0.0f;
  }
  return 0.0f;
}

char kindChar(Kind k) {
  switch (k) {
    case Kind::Float: return 'f';
    case Kind::Signed: return 'i';
    case Kind::Unsigned: return 'u';
    case Kind::Bool: return 'b';
  }
  return 'f';
}

Kind kindOf(char c) {
  return c == 'i' ? Kind::Signed : c == 'u' ? Kind::Unsigned : c == 'b' ? Kind::Bool : Kind::Float;
}

// Fortran order stores the first index fastest; reorder into C order (last index fastest).
template <typename T>
std::vector<T> fortranToC(const std::vector<T>& f, const std::vector<int64_t>& shape) {
  std::vector<T> c(f.size());
  if (f.empty()) return c;
  const size_t n = shape.size();
  std::vector<int64_t> fStride(n, 1), index(n, 0);
  for (size_t k = 1; k < n; ++k) fStride[k] = fStride[k - 1] * shape[k - 1];
  int64_t fOffset = 0;
  for (T& out : c) {
    out = f[static_cast<size_t>(fOffset)];
    // Advance the C-order multi-index, keeping the Fortran offset in step.
    for (size_t k = n; k-- > 0;) {
      fOffset += fStride[k];
      if (++index[k] < shape[k]) break;
      fOffset -= fStride[k] * shape[k];
      index[k] = 0;
    }
  }
  return c;
}

// ---- writing -------------------------------------------------------------------------------

void appendLittleEndian(std::string& out, uint64_t bits, size_t size) {
  for (size_t i = 0; i < size; ++i) out += static_cast<char>((bits >> (8 * i)) & 0xff);
}

std::string header(const std::vector<int64_t>& shape, size_t itemSize, const char* descr) {
  if (shape.size() > kMaxDims) {
    throw std::invalid_argument("encodeNpy: shape has " + std::to_string(shape.size()) +
                                " dimensions (expected at most " + std::to_string(kMaxDims) + ")");
  }
  for (int64_t d : shape) {
    if (d < 0) {
      throw std::invalid_argument("encodeNpy: negative dimension in shape " + shapeRepr(shape));
    }
  }
  const auto count = elementCount(shape);
  if (!count || static_cast<uint64_t>(*count) > std::numeric_limits<size_t>::max() / itemSize) {
    throw std::invalid_argument("encodeNpy: shape " + shapeRepr(shape) + " has too many elements");
  }
  // Same text, key order and padding as numpy's _write_array_header, so files are byte-identical.
  std::string dict = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " +
                     shapeRepr(shape) + ", }";
  if (!shape.empty()) dict.append(kGrowthDigits - std::to_string(shape[0]).size(), ' ');
  const size_t prefixLen = kMagicLen + 2 + 2;  // magic, version, uint16 header length
  const size_t hlen = dict.size() + 1;         // + '\n'
  const size_t pad = kAlign - (prefixLen + hlen) % kAlign;
  const size_t headerLen = hlen + pad;  // < 65536: at most 64 dims of at most 19 digits

  std::string out;
  out.append(kMagic, kMagicLen);
  out += '\x01';
  out += '\x00';
  appendLittleEndian(out, headerLen, 2);
  out += dict;
  out.append(pad, ' ');
  out += '\n';
  return out;
}

template <typename T>
std::string encode(const std::vector<int64_t>& shape, const T* data, const char* descr) {
  std::string out = header(shape, sizeof(T), descr);
  const int64_t count = *elementCount(shape);  // checked by header()
  if (count > 0 && data == nullptr) {
    throw std::invalid_argument("encodeNpy: null data for shape " + shapeRepr(shape));
  }
  out.reserve(out.size() + static_cast<size_t>(count) * sizeof(T));
  appendNpyData(out, data, count);
  return out;
}

}  // namespace

std::string encodeNpyHeader(const std::vector<int64_t>& shape, NpyDtype dtype) {
  return dtype == NpyDtype::F32 ? header(shape, 4, "<f4") : header(shape, 8, "<f8");
}

template <typename T>
void appendNpyData(std::string& out, const T* data, int64_t count) {
  for (int64_t i = 0; i < count; ++i) {
    std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t> bits;
    std::memcpy(&bits, &data[i], sizeof bits);
    appendLittleEndian(out, bits, sizeof bits);
  }
}
template void appendNpyData<float>(std::string&, const float*, int64_t);
template void appendNpyData<double>(std::string&, const double*, int64_t);

NpyHeader parseNpyHeader(std::string_view bytes, const std::string& sourceName) {
  const std::string& src = sourceName;
  const std::string_view magic(kMagic, kMagicLen);
  if (bytes.substr(0, kMagicLen) != magic.substr(0, bytes.size())) {
    throw FileError(src + ": not a .npy file (expected the magic bytes \\x93NUMPY at the start)");
  }
  if (bytes.size() < kMagicLen + 2) {
    throw FileError(src + ": truncated .npy file (" + std::to_string(bytes.size()) +
                    " bytes, expected at least the magic, version and header length)");
  }
  const auto major = static_cast<unsigned char>(bytes[kMagicLen]);
  const auto minor = static_cast<unsigned char>(bytes[kMagicLen + 1]);
  if (major < 1 || major > 3 || minor != 0) {
    throw FileError(src + ": unsupported .npy format version " + std::to_string(major) + "." +
                    std::to_string(minor) + " (expected 1.0, 2.0 or 3.0)");
  }
  const size_t lenBytes = major == 1 ? 2 : 4;
  const size_t prefixLen = kMagicLen + 2 + lenBytes;
  if (bytes.size() < prefixLen) {
    throw FileError(src + ": truncated .npy header (file has " + std::to_string(bytes.size()) +
                    " bytes, expected at least " + std::to_string(prefixLen) + ")");
  }
  size_t headerLen = 0;
  for (size_t i = 0; i < lenBytes; ++i) {
    headerLen |= static_cast<size_t>(static_cast<unsigned char>(bytes[kMagicLen + 2 + i])) << (8 * i);
  }
  if (headerLen > bytes.size() - prefixLen) {
    throw FileError(src + ": truncated .npy header (declares " + std::to_string(headerLen) +
                    " header bytes, only " + std::to_string(bytes.size() - prefixLen) +
                    " present)");
  }
  const Header h = HeaderParser(bytes.substr(prefixLen, headerLen), src).parse();
  const Dtype dtype = parseDtype(h.descr, src);

  const auto count = elementCount(h.shape);
  if (!count) {
    throw FileError(src + ": shape " + shapeRepr(h.shape) +
                    " has too many elements (product overflows 64 bits)");
  }
  // Compare against the bytes present before anything sized by the header is allocated.
  const std::string_view payload = bytes.substr(prefixLen + headerLen);
  const auto n = static_cast<uint64_t>(*count);
  if (n > payload.size() / dtype.size) {
    throw FileError(src + ": truncated data: shape " + shapeRepr(h.shape) + " of '" +
                    printable(h.descr) + "' needs " +
                    (n > std::numeric_limits<uint64_t>::max() / dtype.size
                         ? std::string("more than 2^64")
                         : std::to_string(n * dtype.size)) +
                    " bytes, file has " + std::to_string(payload.size()));
  }
  if (payload.size() != n * dtype.size) {
    throw FileError(src + ": " + std::to_string(payload.size() - n * dtype.size) +
                    " unexpected bytes after the array data (expected exactly " +
                    std::to_string(n * dtype.size) + " data bytes for shape " +
                    shapeRepr(h.shape) + " of '" + printable(h.descr) + "')");
  }
  NpyHeader out;
  out.descr = h.descr;
  out.kind = kindChar(dtype.kind);
  out.itemSize = dtype.size;
  out.fortranOrder = h.fortranOrder;
  out.shape = h.shape;
  out.count = n;
  out.dataOffset = prefixLen + headerLen;
  return out;
}

NpyArray parseNpy(std::string_view bytes, const std::string& sourceName) {
  const NpyHeader h = parseNpyHeader(bytes, sourceName);
  const Dtype dtype{kindOf(h.kind), h.itemSize};
  NpyArray array;
  array.shape = h.shape;
  array.data.resize(static_cast<size_t>(h.count));
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + h.dataOffset);
  for (size_t i = 0; i < array.data.size(); ++i) array.data[i] = decodeElement(p + i * dtype.size, dtype);
  if (h.fortranOrder && array.shape.size() > 1) array.data = fortranToC(array.data, array.shape);
  return array;
}

NpyU8Array parseNpyU8(std::string_view bytes, const std::string& sourceName) {
  const NpyHeader h = parseNpyHeader(bytes, sourceName);
  if (h.kind != 'u' || h.itemSize != 1) {
    throw FileError(sourceName + ": dtype '" + printable(h.descr) +
                    "' where uint8 was expected ('|u1', 8-bit pixel values)");
  }
  NpyU8Array array;
  array.shape = h.shape;
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data() + h.dataOffset);
  array.data.assign(p, p + h.count);
  if (h.fortranOrder && array.shape.size() > 1) array.data = fortranToC(array.data, array.shape);
  return array;
}

std::vector<int64_t> parseNpyIntegers(std::string_view bytes, const std::string& sourceName,
                                      std::vector<int64_t>* shape) {
  const NpyHeader h = parseNpyHeader(bytes, sourceName);
  std::vector<int64_t> values(static_cast<size_t>(h.count));
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + h.dataOffset);
  for (size_t i = 0; i < values.size(); ++i) {
    const unsigned char* e = p + i * h.itemSize;
    uint64_t bits = 0;
    for (size_t b = 0; b < h.itemSize; ++b) bits |= static_cast<uint64_t>(e[b]) << (8 * b);
    const auto bad = [&](const std::string& what) {
      return FileError(sourceName + ": element " + std::to_string(i) + " " + what +
                       " (expected integers that fit in int64)");
    };
    if (h.kind == 'f') {
      double v;
      if (h.itemSize == 4) {
        float f;
        const auto u = static_cast<uint32_t>(bits);
        std::memcpy(&f, &u, sizeof f);
        v = f;
      } else {
        std::memcpy(&v, &bits, sizeof v);
      }
      // -2^63 <= v < 2^63 and integral; the comparisons are false for NaN.
      if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0) || v != std::floor(v)) {
        throw bad("is " + std::to_string(v) + ", not an integer");
      }
      values[i] = static_cast<int64_t>(v);
    } else if (h.kind == 'i') {
      const unsigned shift = static_cast<unsigned>(64 - 8 * h.itemSize);
      values[i] = static_cast<int64_t>(bits << shift) >> shift;
    } else {
      if (bits > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        throw bad("is " + std::to_string(bits) + ", above INT64_MAX");
      }
      values[i] = h.kind == 'b' ? (bits != 0) : static_cast<int64_t>(bits);
    }
  }
  if (h.fortranOrder && h.shape.size() > 1) values = fortranToC(values, h.shape);
  if (shape) *shape = h.shape;
  return values;
}

NpyArray readNpy(const std::string& path) { return parseNpy(readFileBytes(path), path); }

std::string encodeNpy(const std::vector<int64_t>& shape, const float* data) {
  return encode(shape, data, "<f4");
}

std::string encodeNpy(const std::vector<int64_t>& shape, const double* data) {
  return encode(shape, data, "<f8");
}

namespace {
template <typename T>
void writeImpl(const std::string& path, const std::vector<int64_t>& shape, const T* data) {
  std::string bytes;
  try {
    bytes = encodeNpy(shape, data);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(path + ": " + e.what());
  }
  writeFileAtomic(path, bytes);
}
}  // namespace

void writeNpy(const std::string& path, const std::vector<int64_t>& shape, const float* data) {
  writeImpl(path, shape, data);
}

void writeNpy(const std::string& path, const std::vector<int64_t>& shape, const double* data) {
  writeImpl(path, shape, data);
}

}  // namespace flowscope
