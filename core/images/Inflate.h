#pragma once
// Bounded zlib inflation for the dataset readers. Callers know how many bytes to expect from a
// header they have checked, read exactly that many into memory they allocated, and then ask
// whether the stream really ends there: a hostile file cannot make a reader allocate or
// inflate without bound, and a stream that is cut short, holds more, or fails its checksum is
// a FileError naming the file.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace flowscope {

enum class DeflateWrapper {
  Raw,   ///< bare deflate (zip members; zlib windowBits -15)
  Gzip,  ///< RFC 1952 gzip, CRC-32 and length checked by zlib at the end (windowBits 15 + 16)
};

/// Deflate compresses at most 1032:1 (a 258-byte match coded in 2 bits), so `compressedBytes`
/// can never inflate to more than this: a header declaring more is refused before allocating.
uint64_t maxInflatedSize(uint64_t compressedBytes);

/// A streaming inflater over input fed in pieces. `source` and `what` ("gzip stream",
/// "member 'data.npy'") name the data in messages: "SOURCE: corrupt WHAT: zlib's reason".
class Inflater {
 public:
  Inflater(DeflateWrapper wrapper, std::string source, std::string what);
  ~Inflater();
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  /// Appends compressed input. The bytes are not copied: they must stay valid until the
  /// inflater has consumed them (inputLeft() == 0).
  void feed(std::string_view input);

  /// Inflates into out[0, n) and returns the bytes written: fewer than n only at the end of
  /// the stream or when the fed input runs out. Throws FileError on corrupt data.
  size_t read(char* out, size_t n);

  /// Whether the end of the stream was reached (for gzip: its CRC-32 and length verified).
  bool finished() const;
  /// Fed bytes not consumed yet; after finished(), bytes that follow the stream.
  size_t inputLeft() const;

  /// After reading all the bytes a header declared: throws FileError unless the stream ends
  /// exactly here ("holds more than N bytes", "truncated: ends without its end marker") and,
  /// when `exactInput`, all input was consumed ("K bytes after the end of the stream").
  void expectEnd(uint64_t declaredBytes, bool exactInput);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Whether `bytes` starts with the gzip magic 1f 8b.
bool isGzip(std::string_view bytes);

}  // namespace flowscope
