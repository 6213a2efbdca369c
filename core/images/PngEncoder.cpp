#include "core/images/PngEncoder.h"

#include <png.h>

#include <vector>

#include "core/io/AtomicFile.h"
#include "core/util/Error.h"

namespace flowscope {

std::string encodePng(const Image& image) {
  if (image.channels != 1 && image.channels != 3)
    throw InputError("PNG: " + std::to_string(image.channels) + " channels (expected 1 or 3)");
  if (image.height <= 0 || image.width <= 0 || image.width > 1 << 24 || image.height > 1 << 24)
    throw InputError("PNG: a " + std::to_string(image.width) + " x " + std::to_string(image.height) +
                     " image (expected 1 to 2^24 pixels a side)");
  const auto plane = static_cast<size_t>(image.height * image.width);
  const auto c = static_cast<size_t>(image.channels);
  if (image.pixels.size() != plane * c)
    throw InputError("PNG: " + std::to_string(image.pixels.size()) + " bytes for a " +
                     std::to_string(image.channels) + " x " + std::to_string(image.height) + " x " +
                     std::to_string(image.width) + " image");
  // libpng's simplified API takes rows of interleaved pixels.
  std::vector<uint8_t> interleaved(plane * c);
  for (size_t p = 0; p < plane; ++p)
    for (size_t k = 0; k < c; ++k) interleaved[p * c + k] = image.pixels[k * plane + p];

  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(image.width);
  png.height = static_cast<png_uint_32>(image.height);
  png.format = image.channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&png, nullptr, &size, 0, interleaved.data(), 0, nullptr))
    throw InputError(std::string("PNG: ") + png.message);
  std::string bytes(size, '\0');
  if (!png_image_write_to_memory(&png, bytes.data(), &size, 0, interleaved.data(), 0, nullptr))
    throw InputError(std::string("PNG: ") + png.message);
  bytes.resize(size);
  png_image_free(&png);
  return bytes;
}

void writePngAtomic(const std::string& path, const Image& image) {
  writeFileAtomic(path, encodePng(image));
}

}  // namespace flowscope
