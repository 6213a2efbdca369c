#pragma once
// NumPy .npy files: the exchange format for point clouds, samples and trajectories, so users can
// move data between FlowScope and Python with np.load / np.save and nothing else.
//
// Reading accepts format versions 1.0, 2.0 and 3.0 and converts every supported dtype to float.
// Fortran-ordered arrays are transposed on read, so NpyArray::data is always in C order.
// Writing produces version 1.0 files byte-identical to what np.save writes for the same array.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flowscope {

/// An n-dimensional array in C (row-major) order. A 0-d array has shape {} and one element;
/// data.size() is always the product of shape.
struct NpyArray {
  std::vector<int64_t> shape;
  std::vector<float> data;
};

/// Parses the bytes of a .npy file. Supported dtypes: little-endian (or native '=') f4, f8,
/// i1, i2, i4, i8, u1, u2, u4, u8 and b1; values are converted to float (f8 and 64-bit integers
/// lose precision; NaN and infinity pass through unchanged). Throws FileError naming
/// `sourceName` for anything else: bad magic, unknown version, malformed header, big-endian or
/// non-numeric dtype, negative or overflowing shape, truncated or trailing data. The declared
/// size is checked against the bytes present before anything is allocated.
NpyArray parseNpy(std::string_view bytes, const std::string& sourceName);

/// Reads and parses a .npy file. Throws FileError naming `path`.
NpyArray readNpy(const std::string& path);

/// What parseNpy checks before converting: the header, validated against the bytes present
/// (same FileErrors as parseNpy), for callers that want the data as stored, e.g. uint8 images
/// of a few GB that float conversion would quadruple.
struct NpyHeader {
  std::string descr;       ///< as written: "|u1", "<i8", ...
  char kind = 'f';         ///< 'f' float, 'i' signed, 'u' unsigned, 'b' bool
  size_t itemSize = 0;     ///< bytes per element
  bool fortranOrder = false;
  std::vector<int64_t> shape;
  uint64_t count = 0;      ///< product of shape
  size_t dataOffset = 0;   ///< the data is bytes[dataOffset, dataOffset + count * itemSize), the rest of the file
};
NpyHeader parseNpyHeader(std::string_view bytes, const std::string& sourceName);

/// A uint8 array in C order, as stored (no conversion).
struct NpyU8Array {
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;
};

/// Parses a .npy file of dtype u1 without converting it; Fortran order is transposed to C order.
/// Any other dtype is a FileError naming `sourceName` and the dtype found.
NpyU8Array parseNpyU8(std::string_view bytes, const std::string& sourceName);

/// Parses a .npy file of integers (any integer width, or bool) exactly, in C order; float arrays
/// are accepted when every value is an integer that fits in int64. Anything else, including a
/// uint64 above INT64_MAX, is a FileError naming `sourceName`.
std::vector<int64_t> parseNpyIntegers(std::string_view bytes, const std::string& sourceName,
                                      std::vector<int64_t>* shape = nullptr);

/// Encodes an array as a version 1.0 .npy file with dtype '<f4' (float) or '<f8' (double).
/// `data` holds the product of `shape` values in C order (it may be null when that is 0).
/// Throws std::invalid_argument for a negative or overflowing shape or more than 64 dimensions.
std::string encodeNpy(const std::vector<int64_t>& shape, const float* data);
std::string encodeNpy(const std::vector<int64_t>& shape, const double* data);

enum class NpyDtype { F32, F64 };

/// The version 1.0 header (magic to padding newline) of an array of `shape` and `dtype`, as
/// encodeNpy writes it: the data follows it directly. Throws std::invalid_argument as encodeNpy.
std::string encodeNpyHeader(const std::vector<int64_t>& shape, NpyDtype dtype);

/// Appends `count` values to `out` as little-endian bytes (the .npy data section).
template <typename T>
void appendNpyData(std::string& out, const T* data, int64_t count);

/// encodeNpy + writeFileAtomic. Throws FileError (I/O) or std::invalid_argument (bad shape).
void writeNpy(const std::string& path, const std::vector<int64_t>& shape, const float* data);
void writeNpy(const std::string& path, const std::vector<int64_t>& shape, const double* data);

}  // namespace flowscope
