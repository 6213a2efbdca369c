#include "core/images/ImageFolder.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <vector>

#include "core/images/JpegDecoder.h"
#include "core/images/PngDecoder.h"
#include "core/io/AtomicFile.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxImageFileBytes = size_t{256} << 20;

bool isImageFile(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

bool isHidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return !name.empty() && name[0] == '.';
}

// The image files below `dir`, sorted by path; hidden files and folders skipped.
std::vector<fs::path> imageFiles(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  // Symlinked folders are not followed: a link to a parent would never end.
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec), end;
  if (ec) throw FileError(dir.string() + ": cannot list folder: " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) throw FileError(dir.string() + ": cannot list folder: " + ec.message());
    std::error_code kindError;  // a dangling link is skipped, not an error
    if (isHidden(it->path())) {
      if (it->is_directory(kindError)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(kindError) && isImageFile(it->path())) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

Image decodeImage(std::string_view bytes, const std::string& name, int channels, const ImageDecodeLimits& limits) {
  if (isPng(bytes)) return decodePng(bytes, name, channels, limits);
  if (isJpeg(bytes)) return decodeJpeg(bytes, name, channels, limits);
  throw FileError(name + ": neither a PNG nor a JPEG file (no PNG signature or JPEG FF D8 FF marker at the start)");
}

ImageSet readImageFolder(const std::string& dir, int64_t size, ResizeFilter filter, bool classFromSubfolder,
                         int channels, const ImageDecodeLimits& limits) {
  if (size < 1 || size > 4096) throw InputError(dir + ": image size " + std::to_string(size) + " (expected 1..4096)");
  if (channels != 1 && channels != 3) throw InputError(dir + ": channels " + std::to_string(channels) + " (expected 1 or 3)");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw FileError(dir + ": not a folder (expected a folder of .png/.jpg files)");

  // (file, label) in the final order.
  std::vector<std::pair<fs::path, int64_t>> files;
  ImageSet set;
  if (classFromSubfolder) {
    std::vector<fs::path> classDirs;
    fs::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      const fs::directory_entry& e = *it;
      std::error_code kindError;
      if (isHidden(e.path())) continue;
      if (e.is_directory(kindError)) {  // a symlinked class folder counts
        classDirs.push_back(e.path());
      } else if (e.is_regular_file(kindError) && isImageFile(e.path())) {
        throw FileError(e.path().string() + ": an image directly in " + dir +
                        ", where each class is a sub-folder (expected DIR/CLASS/IMAGE)");
      }
    }
    if (ec) throw FileError(dir + ": cannot list folder: " + ec.message());
    std::sort(classDirs.begin(), classDirs.end());
    for (const fs::path& cd : classDirs) {
      const std::vector<fs::path> images = imageFiles(cd);
      if (images.empty()) throw FileError(cd.string() + ": class folder without .png/.jpg/.jpeg files");
      for (const fs::path& f : images) files.emplace_back(f, static_cast<int64_t>(set.classNames.size()));
      set.classNames.push_back(cd.filename().string());
    }
    if (classDirs.empty()) throw FileError(dir + ": no class sub-folders (expected DIR/CLASS/IMAGE)");
    set.classes = static_cast<int64_t>(classDirs.size());
  } else {
    for (const fs::path& f : imageFiles(dir)) files.emplace_back(f, 0);
    set.classes = 1;
  }
  if (files.empty()) throw FileError(dir + ": no .png, .jpg or .jpeg files");

  set.count = static_cast<int64_t>(files.size());
  set.channels = channels;
  set.height = set.width = size;
  set.source = dir;
  set.pixels.resize(static_cast<size_t>(set.count) * set.imageBytes());
  set.labels.reserve(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string path = files[i].first.string();
    const Image decoded = decodeImage(readBoundedFile(path, kMaxImageFileBytes, "image file"), path, channels, limits);
    const Image resized = cropAndResize(decoded, size, filter);
    std::copy(resized.pixels.begin(), resized.pixels.end(), set.pixels.begin() + static_cast<std::ptrdiff_t>(i * set.imageBytes()));
    set.labels.push_back(files[i].second);
  }
  validateImageSet(set);
  return set;
}

}  // namespace flowscope
