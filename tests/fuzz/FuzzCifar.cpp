// libFuzzer harness for parseCifar10Batch. Any crash, sanitizer report, leak or exception other
// than FileError is a bug. Accepted inputs must give a valid ImageSet whose records re-encode to
// the input byte for byte.

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/images/Cifar10.h"
#include "core/util/Error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  flowscope::ImageSet set;
  try {
    set = flowscope::parseCifar10Batch(bytes, "fuzz.bin");
  } catch (const flowscope::FileError&) {
    return 0;
  }
  flowscope::validateImageSet(set);  // InputError escapes: a bug
  std::string again;
  for (int64_t i = 0; i < set.count; ++i) {
    again += static_cast<char>(set.labels[static_cast<size_t>(i)]);
    again.append(reinterpret_cast<const char*>(set.image(i)), set.imageBytes());
  }
  if (again != bytes) std::abort();
  return 0;
}
