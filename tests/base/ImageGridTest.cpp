// PNG writing and sample grids: what an exported picture holds is exactly the engine's pixels.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "core/images/ImageGrid.h"
#include "core/images/PngDecoder.h"
#include "core/images/PngEncoder.h"
#include "core/images/Preprocess.h"
#include "core/io/AtomicFile.h"
#include "core/util/Error.h"

namespace fs = std::filesystem;
using namespace flowscope;

namespace {

Image randomImage(int64_t c, int64_t h, int64_t w, uint32_t seed) {
  std::mt19937 rng(seed);
  Image im;
  im.channels = c;
  im.height = h;
  im.width = w;
  im.pixels.resize(static_cast<size_t>(c * h * w));
  for (auto& p : im.pixels) p = static_cast<uint8_t>(rng() & 0xff);
  return im;
}

}  // namespace

TEST(PngEncoder, GreyAndRgbRoundTripThroughTheDecoderExactly) {
  for (int64_t c : {1, 3}) {
    SCOPED_TRACE(c);
    const Image im = randomImage(c, 5, 7, static_cast<uint32_t>(c));
    const std::string bytes = encodePng(im);
    ASSERT_EQ(bytes.substr(1, 3), "PNG");
    const Image back = decodePng(bytes, "mem.png", static_cast<int>(c));
    EXPECT_EQ(back.channels, c);
    EXPECT_EQ(back.height, 5);
    EXPECT_EQ(back.width, 7);
    EXPECT_EQ(back.pixels, im.pixels);  // planar in, planar out: the channels are not swapped
  }
}

TEST(PngEncoder, BadImagesAreErrorsAndFilesAreWrittenWhole) {
  Image two = randomImage(2, 2, 2, 1);
  EXPECT_THROW(encodePng(two), InputError);
  Image wrong = randomImage(3, 2, 2, 1);
  wrong.pixels.pop_back();
  EXPECT_THROW(encodePng(wrong), InputError);
  const fs::path dir = fs::temp_directory_path() / ("flowscope_png_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const Image im = randomImage(3, 4, 4, 2);
  writePngAtomic((dir / "a.png").string(), im);
  EXPECT_EQ(decodePng(readFileBytes((dir / "a.png").string()), "a.png", 3).pixels, im.pixels);
  EXPECT_THROW(writePngAtomic((dir / "missing" / "b.png").string(), im), FileError);
  fs::remove_all(dir);
}

TEST(ImageGrid, ByteOfValueInvertsThePixelMapOfEq37) {
  for (int k = 0; k < 256; ++k) {
    const auto byte = static_cast<uint8_t>(k);
    float centre = 0;
    pixelsToCentered(&byte, 1, &centre);
    EXPECT_EQ(byteOfValue(centre), k);
    // Any value in the bin [2k/256 - 1, 2(k+1)/256 - 1) maps back to k.
    EXPECT_EQ(byteOfValue(static_cast<float>(2.0 * k / 256 - 1 + 1e-6)), k);
    EXPECT_EQ(byteOfValue(static_cast<float>(2.0 * (k + 1) / 256 - 1 - 1e-6)), k);
  }
  EXPECT_EQ(byteOfValue(-5.f), 0);
  EXPECT_EQ(byteOfValue(5.f), 255);
  EXPECT_EQ(byteOfValue(1.f), 255);
  EXPECT_EQ(byteOfValue(NAN), 0);
}

TEST(ImageGrid, TilesRowMajorWithPaddingAndWholeFactorScaling) {
  // Five 2x3 RGB images whose value encodes (image, channel): centre of bin 10 * i + c.
  const int64_t n = 5, c = 3, h = 2, w = 3;
  std::vector<float> images(static_cast<size_t>(n * c * h * w));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t k = 0; k < c; ++k)
      for (int64_t p = 0; p < h * w; ++p)
        images[static_cast<size_t>((i * c + k) * h * w + p)] =
            static_cast<float>(2.0 * (10 * i + k + 0.5) / 256 - 1);
  GridLayout layout;
  layout.columns = 2;
  layout.padding = 1;
  layout.scale = 2;
  layout.background = 200;
  const Image g = tileImages(images.data(), n, c, h, w, layout);
  // 2 columns x 3 rows of 6 x 4 cells, padding 1 around and between.
  EXPECT_EQ(g.width, 2 * 6 + 3);
  EXPECT_EQ(g.height, 3 * 4 + 4);
  const auto at = [&](int64_t k, int64_t y, int64_t x) {
    return static_cast<int>(g.pixels[static_cast<size_t>((k * g.height + y) * g.width + x)]);
  };
  for (int64_t i = 0; i < n; ++i) {
    const int64_t x0 = 1 + (i % 2) * 7, y0 = 1 + (i / 2) * 5;
    for (int64_t k = 0; k < c; ++k)
      for (int64_t y = 0; y < 4; ++y)
        for (int64_t x = 0; x < 6; ++x) EXPECT_EQ(at(k, y0 + y, x0 + x), 10 * i + k);
  }
  EXPECT_EQ(at(0, 0, 0), 200);          // the border
  EXPECT_EQ(at(1, 1, 7), 200);          // between columns
  EXPECT_EQ(at(2, 13, 9), 200);         // the empty sixth cell
  EXPECT_THROW(tileImages(images.data(), 0, c, h, w), InputError);
  layout.columns = 0;
  EXPECT_THROW(tileImages(images.data(), n, c, h, w, layout), InputError);
}
