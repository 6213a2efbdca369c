#include "core/images/JpegDecoder.h"

#include <csetjmp>
#include <cstddef>
#include <cstdio>
// jpeglib.h needs FILE and size_t declared first.
#include <jpeglib.h>

#include <new>

#include "core/util/Error.h"

namespace flowscope {
namespace {

struct ErrorManager {
  jpeg_error_mgr pub;  // first, so libjpeg's pointer to it is a pointer to this
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void onErrorExit(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

void onMessage(j_common_ptr cinfo, int level) {
  if (level < 0) onErrorExit(cinfo);  // a warning: corrupt or truncated data
}

struct JpegJob {
  jpeg_decompress_struct* cinfo;
  ErrorManager* err;
  const unsigned char* data;
  unsigned long size;
  int channels;
  JDIMENSION width = 0, height = 0;
  int components = 0;
};

// The two functions that call libjpeg. They hold no C++ objects with destructors, so the
// longjmp back to their setjmp skips none; buffers live in decodeJpeg's frame. Each returns
// false when libjpeg failed (the reason is in ErrorManager::message).
bool readHeader(JpegJob& job) {
  if (setjmp(job.err->jump)) return false;
  jpeg_create_decompress(job.cinfo);
  // libjpeg's own allocations (progressive coefficient buffers) are capped too.
  job.cinfo->mem->max_memory_to_use = 1L << 30;
  jpeg_mem_src(job.cinfo, job.data, job.size);
  jpeg_read_header(job.cinfo, TRUE);
  job.cinfo->out_color_space = job.channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_calc_output_dimensions(job.cinfo);
  job.width = job.cinfo->output_width;
  job.height = job.cinfo->output_height;
  return true;
}

bool readScanlines(JpegJob& job, unsigned char* out) {
  if (setjmp(job.err->jump)) return false;
  jpeg_start_decompress(job.cinfo);
  job.components = job.cinfo->output_components;
  if (job.components != job.channels || job.cinfo->output_width != job.width) return true;  // checked by the caller
  const size_t rowBytes = static_cast<size_t>(job.width) * static_cast<size_t>(job.channels);
  while (job.cinfo->output_scanline < job.cinfo->output_height) {
    JSAMPROW row = out + static_cast<size_t>(job.cinfo->output_scanline) * rowBytes;
    jpeg_read_scanlines(job.cinfo, &row, 1);
  }
  jpeg_finish_decompress(job.cinfo);
  return true;
}

// jpeg_destroy_decompress is a no-op on a struct jpeg_create_decompress never set up (mem null).
struct DecompressStruct {
  jpeg_decompress_struct cinfo{};
  ~DecompressStruct() { jpeg_destroy_decompress(&cinfo); }
};

}  // namespace

bool isJpeg(std::string_view bytes) {
  return bytes.size() >= 3 && static_cast<unsigned char>(bytes[0]) == 0xff &&
         static_cast<unsigned char>(bytes[1]) == 0xd8 && static_cast<unsigned char>(bytes[2]) == 0xff;
}

Image decodeJpeg(std::string_view bytes, const std::string& name, int channels, const ImageDecodeLimits& limits) {
  if (channels != 1 && channels != 3) throw InputError(name + ": JPEG channels " + std::to_string(channels) + " (expected 1 or 3)");
  if (!isJpeg(bytes)) throw FileError(name + ": not a JPEG file (expected the start-of-image marker FF D8 FF)");
  if (bytes.size() > static_cast<size_t>(static_cast<unsigned long>(-1))) throw FileError(name + ": JPEG file too large");
  ErrorManager err{};
  DecompressStruct d;
  d.cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = onErrorExit;
  err.pub.emit_message = onMessage;

  JpegJob job{&d.cinfo, &err, reinterpret_cast<const unsigned char*>(bytes.data()),
              static_cast<unsigned long>(bytes.size()), channels};
  const auto corrupt = [&] { return FileError(name + ": corrupt JPEG: " + err.message); };
  if (!readHeader(job)) throw corrupt();
  if (static_cast<int64_t>(job.width) * static_cast<int64_t>(job.height) > limits.maxPixels) {
    throw FileError(name + ": JPEG of " + std::to_string(job.width) + "x" + std::to_string(job.height) +
                    " pixels, more than the limit of " + std::to_string(limits.maxPixels));
  }
  std::vector<uint8_t> interleaved(static_cast<size_t>(job.width) * job.height * static_cast<size_t>(channels));
  if (!readScanlines(job, interleaved.data())) throw corrupt();
  if (job.components != channels) {
    throw FileError(name + ": JPEG decodes to " + std::to_string(job.components) + " components (expected " +
                    std::to_string(channels) + ")");
  }
  return planarFromInterleaved(interleaved.data(), job.height, job.width, channels);
}

}  // namespace flowscope
