#pragma once
// A .npy file written in pieces, for outputs larger than memory (`sample --n 1000000000`): the
// header for the full shape first, then blocks of elements at any offset, committed atomically
// like every other output (a killed or failed writer leaves no file at `path`).
//
//   NpyFileWriter out("samples.npy", {n, 2}, NpyDtype::F32);
//   for (each chunk) out.write(first * 2, chunk.data(), chunk.size());
//   out.commit();  // throws unless all n * 2 elements were written

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/io/AtomicFile.h"
#include "core/io/Npy.h"

namespace flowscope {

class NpyFileWriter {
 public:
  /// Creates the temp file and writes the header. Throws FileError or std::invalid_argument.
  NpyFileWriter(const std::string& path, std::vector<int64_t> shape, NpyDtype dtype);

  /// Writes `count` elements at element offset `first` (C order). The type must match the
  /// dtype; blocks must lie inside the array and not overlap (std::logic_error otherwise).
  void write(int64_t first, const float* data, int64_t count);
  void write(int64_t first, const double* data, int64_t count);

  /// fsync + rename. Throws std::logic_error if some element was never written.
  void commit();

  int64_t elementCount() const noexcept { return total_; }
  int64_t elementsWritten() const noexcept { return written_; }

 private:
  template <typename T>
  void writeBlock(int64_t first, const T* data, int64_t count, NpyDtype dtype);

  AtomicFileWriter file_;
  std::vector<int64_t> shape_;
  NpyDtype dtype_;
  uint64_t dataOffset_ = 0;
  int64_t total_ = 0;
  int64_t written_ = 0;
  std::vector<std::pair<int64_t, int64_t>> blocks_;  ///< [first, end) written, to refuse overlaps
  std::string buffer_;
};

}  // namespace flowscope
