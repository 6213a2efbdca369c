#pragma once
// PNG decoding with libpng: 1-16 bit gray, gray+alpha, RGB, RGBA and palette images, interlaced
// or not, to 8-bit gray or RGB. Alpha is composited onto black (training sets have no
// transparency to keep). libpng reports errors by longjmp; they come back as FileErrors.

#include <string>
#include <string_view>

#include "core/images/Image.h"

namespace flowscope {

/// Decodes the PNG in `bytes` to `channels` (1: gray, 3: RGB) planes. A corrupt, truncated or
/// oversized (limits) file is a FileError naming `name` and libpng's reason.
Image decodePng(std::string_view bytes, const std::string& name, int channels, const ImageDecodeLimits& limits = {});

/// Whether `bytes` start with the PNG signature.
bool isPng(std::string_view bytes);

}  // namespace flowscope
