// libFuzzer harness for parseNpy. Any crash, sanitizer report, leak or exception other than
// FileError is a bug. Accepted inputs must also satisfy the NpyArray invariant and survive an
// encode/parse round trip bit for bit.

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "core/io/Npy.h"
#include "core/util/Error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  flowscope::NpyArray array;
  try {
    array = flowscope::parseNpy(bytes, "fuzz.npy");
  } catch (const flowscope::FileError&) {
    return 0;  // rejecting malformed input is the expected outcome
  }

  // Empty arrays may declare huge other dimensions, e.g. (0, 2**62, 2**62): count them as 0
  // before multiplying. Otherwise the product cannot overflow, as the data is in memory.
  bool empty = false;
  for (int64_t d : array.shape) {
    if (d < 0) std::abort();
    empty = empty || d == 0;
  }
  int64_t count = empty ? 0 : 1;
  if (!empty) {
    for (int64_t d : array.shape) count *= d;
  }
  if (static_cast<size_t>(count) != array.data.size()) std::abort();

  const std::string encoded = flowscope::encodeNpy(array.shape, array.data.data());
  const flowscope::NpyArray again = flowscope::parseNpy(encoded, "re-encoded");
  if (again.shape != array.shape || again.data.size() != array.data.size()) std::abort();
  if (!array.data.empty() &&
      std::memcmp(again.data.data(), array.data.data(), array.data.size() * sizeof(float)) != 0) {
    std::abort();  // memcmp, not ==, so NaN payloads are compared too
  }
  return 0;
}
