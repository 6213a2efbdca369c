// libFuzzer harness for ZipArchive and the .npz reader on top of it: the central directory,
// every member (stored or deflated, CRC-checked), then readImageNetNpz at 2x2 pixels. Any crash,
// sanitizer report, leak or exception other than FileError is a bug; a member that reads must
// have its declared size, and an accepted npz must give a valid ImageSet.

#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/images/ImageNetNpz.h"
#include "core/images/ZipArchive.h"
#include "core/util/Error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  flowscope::ZipLimits limits;
  limits.maxMemberBytes = 64 << 20;  // libFuzzer's memory limit is 2 GB
  try {
    const flowscope::ZipArchive zip =
        flowscope::ZipArchive::fromBytes(std::string(reinterpret_cast<const char*>(data), size), "fuzz.npz", limits);
    for (const flowscope::ZipEntry& e : zip.entries()) {
      try {
        if (zip.read(e).size() != e.uncompressedSize) std::abort();
      } catch (const flowscope::FileError&) {
      }
    }
    const flowscope::ImageSet set = flowscope::readImageNetNpz(zip, 2);
    flowscope::validateImageSet(set);
    if (set.channels != 3 || set.height != 2 || set.width != 2 || set.classes != 1000) std::abort();
  } catch (const flowscope::FileError&) {
  }
  return 0;
}
