#include "core/io/NpyFileWriter.h"

#include <algorithm>
#include <stdexcept>

namespace flowscope {

NpyFileWriter::NpyFileWriter(const std::string& path, std::vector<int64_t> shape, NpyDtype dtype)
    : file_(path), shape_(std::move(shape)), dtype_(dtype) {
  const std::string head = encodeNpyHeader(shape_, dtype_);  // validates the shape
  total_ = 1;
  for (int64_t d : shape_) total_ *= d;
  file_.writeAt(0, head.data(), head.size());
  dataOffset_ = head.size();
}

template <typename T>
void NpyFileWriter::writeBlock(int64_t first, const T* data, int64_t count, NpyDtype dtype) {
  if (dtype != dtype_) throw std::logic_error(file_.path() + ": element type differs from the file's dtype");
  if (first < 0 || count < 0 || first > total_ - count)
    throw std::logic_error(file_.path() + ": block [" + std::to_string(first) + ", +" + std::to_string(count) +
                           ") outside the array of " + std::to_string(total_) + " elements");
  if (count == 0) return;
  const auto at = std::lower_bound(blocks_.begin(), blocks_.end(), std::make_pair(first, int64_t{0}));
  const bool overlapsNext = at != blocks_.end() && at->first < first + count;
  const bool overlapsPrev = at != blocks_.begin() && std::prev(at)->second > first;
  if (overlapsNext || overlapsPrev)
    throw std::logic_error(file_.path() + ": block at element " + std::to_string(first) + " overlaps an earlier one");
  blocks_.insert(at, {first, first + count});
  buffer_.clear();
  buffer_.reserve(static_cast<size_t>(count) * sizeof(T));
  appendNpyData(buffer_, data, count);
  file_.writeAt(dataOffset_ + static_cast<uint64_t>(first) * sizeof(T), buffer_.data(), buffer_.size());
  written_ += count;
}

void NpyFileWriter::write(int64_t first, const float* data, int64_t count) {
  writeBlock(first, data, count, NpyDtype::F32);
}
void NpyFileWriter::write(int64_t first, const double* data, int64_t count) {
  writeBlock(first, data, count, NpyDtype::F64);
}

void NpyFileWriter::commit() {
  if (written_ != total_)
    throw std::logic_error(file_.path() + ": " + std::to_string(written_) + " of " + std::to_string(total_) +
                           " elements written before commit");
  file_.commit();
}

}  // namespace flowscope
