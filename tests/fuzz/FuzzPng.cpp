// libFuzzer harness for the image decoders (decodeImage: PNG by libpng, JPEG by libjpeg, told
// apart by their signatures), to gray and to RGB. libpng and libjpeg report errors by longjmp;
// any crash, sanitizer report, leak, libpng/libjpeg abort or exception other than FileError is a
// bug. A decoded image must have C x H x W bytes and survive the crop-and-resize filters.

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/images/ImageFolder.h"
#include "core/images/Resize.h"
#include "core/util/Error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  flowscope::ImageDecodeLimits limits;
  limits.maxPixels = 1 << 22;  // 4 megapixels: libFuzzer's memory limit is 2 GB
  for (const int channels : {1, 3}) {
    try {
      const flowscope::Image img = flowscope::decodeImage(bytes, "fuzz.img", channels, limits);
      if (img.channels != channels || img.height < 1 || img.width < 1 ||
          img.pixels.size() != static_cast<size_t>(img.channels * img.height * img.width)) {
        std::abort();
      }
      if (img.height * img.width <= 4096) {
        for (const auto f : {flowscope::ResizeFilter::Nearest, flowscope::ResizeFilter::Bilinear,
                             flowscope::ResizeFilter::Area}) {
          if (flowscope::cropAndResize(img, 3, f).pixels.size() != static_cast<size_t>(channels * 9)) std::abort();
        }
      }
    } catch (const flowscope::FileError&) {
    }
  }
  return 0;
}
