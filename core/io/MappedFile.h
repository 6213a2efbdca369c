#pragma once
// A read-only memory map of a whole file, so a large input (a .npy of many millions of points)
// is read a chunk at a time through the page cache instead of being copied into memory at once.
//
//   const MappedFile file("points.npy");
//   const NpyHeader h = parseNpyHeader(file.bytes(), file.path());

#include <string>
#include <string_view>

namespace flowscope {

class MappedFile {
 public:
  /// Maps `path` (a regular file; an empty file maps to no bytes). Throws FileError naming it.
  explicit MappedFile(std::string path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view bytes() const noexcept { return {data_, size_}; }
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
  const char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace flowscope
