#pragma once
// Writing images as PNG (libpng): 8-bit grey or RGB, lossless, so an exported sample decodes to
// exactly the pixels the engine produced. Torch-free.
//
//   Image grid = tileImages(images, {.columns = 8, .padding = 2});
//   writePngAtomic("samples.png", grid);

#include <string>

#include "core/images/Image.h"

namespace flowscope {

/// The PNG file bytes of `image` (channels 1 or 3). Throws InputError for other channel counts
/// or an empty image.
std::string encodePng(const Image& image);

/// encodePng, written through a temporary file and renamed (core/io/AtomicFile.h): a reader never
/// sees half a file. Throws FileError naming `path`.
void writePngAtomic(const std::string& path, const Image& image);

}  // namespace flowscope
