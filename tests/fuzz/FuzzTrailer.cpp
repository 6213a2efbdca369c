// libFuzzer harness for the checksum trailer every checkpoint carries (checkChecksumTrailer).
// Only DamagedFileError may escape. An accepted trailer's content length must be the bytes before
// it and its CRC must match them; any input with a fresh trailer appended must verify, and one
// flipped content byte must then be caught.

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/io/ChecksumTrailer.h"
#include "core/io/Crc32.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace flowscope;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const TrailerCheck t = checkChecksumTrailer(bytes, "fuzz.pt", "checkpoint");
    if (t.present && (t.contentSize + kChecksumTrailerSize != size)) std::abort();
    if (!t.present && t.contentSize != size) std::abort();
    if (t.present && checksumTrailer(bytes.substr(0, t.contentSize)) != bytes.substr(t.contentSize)) std::abort();
  } catch (const DamagedFileError&) {
  }
  std::string sealed(bytes);
  sealed += checksumTrailer(bytes);
  const TrailerCheck again = checkChecksumTrailer(sealed, "sealed.pt", "checkpoint");
  if (!again.present || again.contentSize != size) std::abort();
  if (size > 0) {
    sealed[size / 2] = static_cast<char>(sealed[size / 2] ^ 0x01);
    try {
      checkChecksumTrailer(sealed, "flipped.pt", "checkpoint");
      std::abort();  // CRC-32 detects every single-bit error
    } catch (const DamagedFileError&) {
    }
  }
  return 0;
}
