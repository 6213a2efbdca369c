// libFuzzer harness for parseIdx (raw and gzip IDX files). Any crash, sanitizer report, leak or
// exception other than FileError is a bug. Accepted inputs must satisfy the IdxArray invariant
// (data.size() is the product of dims), and images/labels must parse through the typed readers.

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/images/Idx.h"
#include "core/util/Error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  flowscope::IdxArray array;
  try {
    array = flowscope::parseIdx(bytes, "fuzz.idx");
  } catch (const flowscope::FileError&) {
    return 0;
  }
  if (array.dims.size() != 1 && array.dims.size() != 3) std::abort();
  uint64_t count = 1;
  for (const int64_t d : array.dims) {
    if (d < 0) std::abort();
    count *= static_cast<uint64_t>(d);
  }
  if (count != array.data.size()) std::abort();
  if (array.dims.size() == 3) {
    const flowscope::ImageSet set = flowscope::parseIdxImages(bytes, "fuzz.idx");
    flowscope::validateImageSet(set);
    if (set.pixels != array.data) std::abort();
  } else if (flowscope::parseIdxLabels(bytes, "fuzz.idx").size() != array.data.size()) {
    std::abort();
  }
  return 0;
}
