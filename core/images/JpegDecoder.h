#pragma once
// JPEG decoding with libjpeg(-turbo) to 8-bit gray or RGB planes. libjpeg's default error
// handler calls exit(); ours longjmps back and the error becomes a FileError. Its "corrupt
// data" warnings (a truncated file, bad Huffman codes) are errors too: libjpeg would otherwise
// hand back an image padded with gray.

#include <string>
#include <string_view>

#include "core/images/Image.h"

namespace flowscope {

/// Decodes the JPEG in `bytes` to `channels` (1: gray, 3: RGB) planes. Throws FileError naming
/// `name` and libjpeg's reason (CMYK images included: libjpeg cannot convert them to RGB).
Image decodeJpeg(std::string_view bytes, const std::string& name, int channels, const ImageDecodeLimits& limits = {});

/// Whether `bytes` start with a JPEG start-of-image marker (FF D8 FF).
bool isJpeg(std::string_view bytes);

}  // namespace flowscope
