#include "core/images/PngDecoder.h"

#include <png.h>

#include <cstdio>
#include <cstring>
#include <limits>

#include "core/util/Error.h"

namespace flowscope {
namespace {

constexpr png_uint_32 kMaxSide = 1u << 20;

struct PngInput {
  const char* data;
  size_t size;
  size_t pos;
  char message[256];  // libpng's reason, kept for the FileError
};

[[noreturn]] void onError(png_structp png, png_const_charp message) {
  auto* in = static_cast<PngInput*>(png_get_error_ptr(png));
  std::snprintf(in->message, sizeof in->message, "%s", message ? message : "unknown error");
  png_longjmp(png, 1);
}

void onWarning(png_structp, png_const_charp) {}  // ancillary-chunk trouble is not worth stderr

void readBytes(png_structp png, png_bytep out, png_size_t n) {
  auto* in = static_cast<PngInput*>(png_get_io_ptr(png));
  if (in->size - in->pos < n) png_error(png, "truncated file (read past its end)");
  std::memcpy(out, in->data + in->pos, n);
  in->pos += n;
}

// What the decode stages below exchange with decodePng.
struct PngJob {
  png_structp png;
  png_infop info;
  int channels;           // requested
  int64_t maxPixels;
  png_uint_32 width = 0, height = 0;
  size_t rowBytes = 0;
  bool tooLarge = false;
};

// The two functions that call libpng. They hold no C++ objects with destructors, so the
// longjmp out of libpng back to their setjmp skips none; buffers live in decodePng's frame.
// Each returns false when libpng failed (the reason is in PngInput::message).
bool readHeader(PngJob& job) {
  if (setjmp(png_jmpbuf(job.png))) return false;
  png_set_user_limits(job.png, kMaxSide, kMaxSide);
  png_set_chunk_malloc_max(job.png, 64u << 20);  // iCCP, zTXt, ... chunks
  png_read_info(job.png, job.info);
  png_uint_32 w = 0, h = 0;
  int depth = 0, color = 0;
  png_get_IHDR(job.png, job.info, &w, &h, &depth, &color, nullptr, nullptr, nullptr);
  // Every format to 8-bit gray or RGB, no alpha.
  if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(job.png);
  if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(job.png);
  if (png_get_valid(job.png, job.info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(job.png);
  if (depth == 16) png_set_scale_16(job.png);
  const bool colorIn = (color & PNG_COLOR_MASK_COLOR) != 0;
  if (job.channels == 3 && !colorIn) png_set_gray_to_rgb(job.png);
  if (job.channels == 1 && colorIn) png_set_rgb_to_gray_fixed(job.png, 1, -1, -1);  // Rec. 709 weights
  png_color_16 black{};
  png_set_background(job.png, &black, PNG_BACKGROUND_GAMMA_SCREEN, 0, 1.0);  // composite alpha, if any
  png_set_interlace_handling(job.png);
  png_read_update_info(job.png, job.info);
  job.width = w;
  job.height = h;
  job.rowBytes = png_get_rowbytes(job.png, job.info);
  job.tooLarge = static_cast<int64_t>(w) * static_cast<int64_t>(h) > job.maxPixels;
  return true;
}

bool readRows(PngJob& job, png_bytepp rows) {
  if (setjmp(png_jmpbuf(job.png))) return false;
  png_read_image(job.png, rows);
  png_read_end(job.png, nullptr);
  return true;
}

struct ReadStruct {
  png_structp png = nullptr;
  png_infop info = nullptr;
  ~ReadStruct() { png_destroy_read_struct(&png, info ? &info : nullptr, nullptr); }
};

}  // namespace

bool isPng(std::string_view bytes) {
  return bytes.size() >= 8 && png_sig_cmp(reinterpret_cast<png_const_bytep>(bytes.data()), 0, 8) == 0;
}

Image decodePng(std::string_view bytes, const std::string& name, int channels, const ImageDecodeLimits& limits) {
  if (channels != 1 && channels != 3) throw InputError(name + ": PNG channels " + std::to_string(channels) + " (expected 1 or 3)");
  if (!isPng(bytes)) throw FileError(name + ": not a PNG file (expected the signature \\x89PNG\\r\\n\\x1a\\n)");
  PngInput in{bytes.data(), bytes.size(), 0, {}};
  ReadStruct rs;
  rs.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &in, onError, onWarning);
  if (!rs.png) throw std::bad_alloc();
  rs.info = png_create_info_struct(rs.png);
  if (!rs.info) throw std::bad_alloc();
  png_set_read_fn(rs.png, &in, readBytes);

  PngJob job{rs.png, rs.info, channels, limits.maxPixels};
  const auto corrupt = [&] { return FileError(name + ": corrupt PNG: " + in.message); };
  if (!readHeader(job)) throw corrupt();
  if (job.tooLarge) {
    throw FileError(name + ": PNG of " + std::to_string(job.width) + "x" + std::to_string(job.height) +
                    " pixels, more than the limit of " + std::to_string(limits.maxPixels));
  }
  if (job.rowBytes != static_cast<size_t>(job.width) * static_cast<size_t>(channels)) {
    throw FileError(name + ": PNG rows of " + std::to_string(job.rowBytes) + " bytes after conversion (expected " +
                    std::to_string(job.width * static_cast<size_t>(channels)) + ")");
  }
  std::vector<uint8_t> interleaved(job.rowBytes * job.height);
  std::vector<png_bytep> rows(job.height);
  for (png_uint_32 y = 0; y < job.height; ++y) rows[y] = interleaved.data() + y * job.rowBytes;
  if (!readRows(job, rows.data())) throw corrupt();

  return planarFromInterleaved(interleaved.data(), job.height, job.width, channels);
}

}  // namespace flowscope
