// Tests for core/io/Npy: byte-exact agreement with numpy, round trips, and one FileError per
// category of malformed input, each naming the source.

#include "core/io/Npy.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "core/util/Error.h"

namespace fs = std::filesystem;
using flowscope::encodeNpy;
using flowscope::FileError;
using flowscope::NpyArray;
using flowscope::parseNpy;
using flowscope::readNpy;
using flowscope::writeNpy;

namespace {

// ---- fixtures produced by numpy ------------------------------------------------------------
// Generated once with numpy 1.24.2 (/usr/bin/python3) by saving each array into an io.BytesIO
// and printing the bytes as C string literals:
//   np.save(f, np.array([[0, 1.5, -2], [3.25, 1e-3, 100]], dtype='<f4'))        -> kF4_2x3
//   np.save(f, np.array([1, -0.5, 2.25], dtype='<f8'))                           -> kF8_3
//   np.save(f, np.array(7.5, dtype='<f4'))                                       -> kF4_0d
//   np.save(f, np.zeros((0,), dtype='<f4'))                                      -> kF4_empty
//   np.save(f, np.zeros((2, 0, 3), dtype='<f4'))                                 -> kF4_2x0x3
//   np.save(f, np.asfortranarray(np.arange(6, dtype='<f4').reshape(2, 3)))       -> kF4_fortran
//   np.save(f, np.asfortranarray(np.arange(24, dtype='<f4').reshape(2, 3, 4)))   -> kF4_fortran3d
//   np.save(f, np.array([-128, -1, 0, 127], dtype='i1'))                         -> kI1
//   np.save(f, np.array([0, 1, 255], dtype='u1'))                                -> kU1
//   np.save(f, np.array([-32768, 32767], dtype='<i2'))                           -> kI2
//   np.save(f, np.array([0, 65535], dtype='<u2'))                                -> kU2
//   np.save(f, np.array([-2147483648, 2147483647], dtype='<i4'))                 -> kI4
//   np.save(f, np.array([-(2**40), 2**40], dtype='<i8'))                         -> kI8
//   np.save(f, np.array([True, False, True], dtype='?'))                         -> kB1
//   np.lib.format.write_array(f, np.array([[1, 2]], dtype='<f4'), version=(2, 0)) -> kV2
//   np.lib.format.write_array(f, np.array([[1, 2]], dtype='<f4'), version=(3, 0)) -> kV3
//   np.save(f, np.array([1.0], dtype='>f8'))                                     -> kBigEndian
//   np.save(f, np.array(['ab'], dtype='<U2'))                                    -> kUnicode

// 152 bytes
const char kF4_2x3[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
    "                                                          \x0a\x00\x00\x00\x00\x00"
    "\x00\xc0?\x00\x00\x00\xc0\x00\x00P@o\x12\x83:\x00\x00\xc8\x42";
// 152 bytes
const char kF8_3[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }  "
    "                                                          \x0a\x00\x00\x00\x00\x00"
    "\x00\xf0?\x00\x00\x00\x00\x00\x00\xe0\xbf\x00\x00\x00\x00\x00\x00\x02@";
// 132 bytes
const char kF4_0d[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': False, 'shape': (), }    "
    "                                                          \x0a\x00\x00\xf0@";
// 128 bytes
const char kF4_empty[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }  "
    "                                                          \x0a";
// 128 bytes
const char kF4_2x0x3[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': False, 'shape': (2, 0, 3)"
    ", }                                                       \x0a";
// 152 bytes
const char kF4_fortran[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), } "
    "                                                          \x0a\x00\x00\x00\x00\x00"
    "\x00@@\x00\x00\x80?\x00\x00\x80@\x00\x00\x00@\x00\x00\xa0@";
// 224 bytes
const char kF4_fortran3d[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3, 4),"
    " }                                                        \x0a\x00\x00\x00\x00\x00"
    "\x00@A\x00\x00\x80@\x00\x00\x80\x41\x00\x00\x00\x41\x00\x00\xa0\x41\x00\x00\x80?\x00"
    "\x00PA\x00\x00\xa0@\x00\x00\x88\x41\x00\x00\x10\x41\x00\x00\xa8\x41\x00\x00\x00@\x00"
    "\x00`A\x00\x00\xc0@\x00\x00\x90\x41\x00\x00 A\x00\x00\xb0\x41\x00\x00@@\x00\x00pA"
    "\x00\x00\xe0@\x00\x00\x98\x41\x00\x00\x30\x41\x00\x00\xb8\x41";
// 132 bytes
const char kI1[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '|i1', 'fortran_order': False, 'shape': (4,), }  "
    "                                                          \x0a\x80\xff\x00\x7f";
// 131 bytes
const char kU1[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }  "
    "                                                          \x0a\x00\x01\xff";
// 132 bytes
const char kI2[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }  "
    "                                                          \x0a\x00\x80\xff\x7f";
// 132 bytes
const char kU2[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '<u2', 'fortran_order': False, 'shape': (2,), }  "
    "                                                          \x0a\x00\x00\xff\xff";
// 136 bytes
const char kI4[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }  "
    "                                                          \x0a\x00\x00\x00\x80\xff"
    "\xff\xff\x7f";
// 144 bytes
const char kI8[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }  "
    "                                                          \x0a\x00\x00\x00\x00\x00"
    "\xff\xff\xff\x00\x00\x00\x00\x00\x01\x00\x00";
// 131 bytes
const char kB1[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }  "
    "                                                          \x0a\x01\x00\x01";
// 136 bytes
const char kV2[] =
    "\x93NUMPY\x02\x00t\x00\x00\x00{'descr': '<f4', 'fortran_order': False, 'shape': ("
    "1, 2), }                                                        \x0a\x00\x00\x80?"
    "\x00\x00\x00@";
// 136 bytes
const char kV3[] =
    "\x93NUMPY\x03\x00t\x00\x00\x00{'descr': '<f4', 'fortran_order': False, 'shape': ("
    "1, 2), }                                                        \x0a\x00\x00\x80?"
    "\x00\x00\x00@";
// 136 bytes
const char kBigEndian[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }  "
    "                                                          \x0a?\xf0\x00\x00\x00\x00"
    "\x00\x00";
// 136 bytes
const char kUnicode[] =
    "\x93NUMPY\x01\x00v\x00{'descr': '<U2', 'fortran_order': False, 'shape': (1,), }  "
    "                                                          \x0a\x61\x00\x00\x00\x62"
    "\x00\x00\x00";

template <size_t N>
std::string bytesOf(const char (&literal)[N]) {
  return std::string(literal, N - 1);  // the literals contain NULs
}

// Builds a .npy file around an arbitrary header text, with a correct header length field.
std::string makeNpy(const std::string& header, const std::string& payload, int major = 1) {
  std::string out = std::string("\x93NUMPY", 6) + static_cast<char>(major) + '\0';
  const size_t len = header.size();
  out += static_cast<char>(len & 0xff);
  out += static_cast<char>((len >> 8) & 0xff);
  if (major > 1) {
    out += static_cast<char>((len >> 16) & 0xff);
    out += static_cast<char>((len >> 24) & 0xff);
  }
  return out + header + payload;
}

std::string dict(const std::string& descr, const std::string& shape, const std::string& order = "False") {
  return "{'descr': '" + descr + "', 'fortran_order': " + order + ", 'shape': " + shape + ", }\n";
}

// The FileError message parseNpy gives for `bytes`, or a test failure if it accepts them.
std::string npyError(const std::string& bytes, const std::string& source = "points.npy") {
  try {
    parseNpy(bytes, source);
  } catch (const FileError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind(source + ": ", 0), 0u) << "message does not start with the source: " << msg;
    return msg;
  }
  ADD_FAILURE() << "parseNpy accepted malformed input";
  return {};
}

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

// ---- writing ---------------------------------------------------------------------------------

TEST(NpyEncode, MatchesNumpyBytesExactly) {
  const float f2x3[] = {0.0f, 1.5f, -2.0f, 3.25f, 1e-3f, 100.0f};
  EXPECT_EQ(encodeNpy({2, 3}, f2x3), bytesOf(kF4_2x3));
  const double f3[] = {1.0, -0.5, 2.25};
  EXPECT_EQ(encodeNpy({3}, f3), bytesOf(kF8_3));
  const float scalar = 7.5f;
  EXPECT_EQ(encodeNpy({}, &scalar), bytesOf(kF4_0d));
  EXPECT_EQ(encodeNpy({0}, static_cast<const float*>(nullptr)), bytesOf(kF4_empty));
  EXPECT_EQ(encodeNpy({2, 0, 3}, static_cast<const float*>(nullptr)), bytesOf(kF4_2x0x3));
}

TEST(NpyEncode, DataIsAlignedTo64BytesAfterNewline) {
  const std::vector<std::vector<int64_t>> shapes = {
      {}, {0}, {7}, {0, 1234567890123456789}, {1, 2, 3, 1, 5, 1, 7, 1, 1, 10}, std::vector<int64_t>(64, 1)};
  for (const auto& shape : shapes) {
    int64_t count = 1;
    for (int64_t d : shape) count *= d;
    std::vector<float> data(static_cast<size_t>(count), 1.0f);
    const std::string bytes = encodeNpy(shape, data.data());
    const size_t headerEnd = bytes.size() - data.size() * sizeof(float);
    EXPECT_EQ(headerEnd % 64, 0u);
    EXPECT_EQ(bytes[headerEnd - 1], '\n');
    EXPECT_EQ(bytes[6], '\x01');
    EXPECT_EQ(static_cast<size_t>(static_cast<unsigned char>(bytes[8]) |
                                  (static_cast<unsigned char>(bytes[9]) << 8)),
              headerEnd - 10);
  }
}

TEST(NpyEncode, RejectsInvalidShapes) {
  const float x = 0;
  EXPECT_THROW(encodeNpy({-1}, &x), std::invalid_argument);
  EXPECT_THROW(encodeNpy({int64_t{1} << 40, int64_t{1} << 40}, &x), std::invalid_argument);
  EXPECT_THROW(encodeNpy(std::vector<int64_t>(65, 1), &x), std::invalid_argument);
  EXPECT_THROW(encodeNpy({2}, static_cast<const float*>(nullptr)), std::invalid_argument);
}

// ---- reading numpy's files -------------------------------------------------------------------

TEST(NpyParse, ReadsNumpyFloatFiles) {
  NpyArray a = parseNpy(bytesOf(kF4_2x3), "a.npy");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(a.data, (std::vector<float>{0.0f, 1.5f, -2.0f, 3.25f, 1e-3f, 100.0f}));

  a = parseNpy(bytesOf(kF8_3), "b.npy");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{3}));
  EXPECT_EQ(a.data, (std::vector<float>{1.0f, -0.5f, 2.25f}));

  a = parseNpy(bytesOf(kF4_0d), "c.npy");
  EXPECT_TRUE(a.shape.empty());
  EXPECT_EQ(a.data, (std::vector<float>{7.5f}));

  a = parseNpy(bytesOf(kF4_empty), "d.npy");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{0}));
  EXPECT_TRUE(a.data.empty());

  a = parseNpy(bytesOf(kF4_2x0x3), "e.npy");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 0, 3}));
  EXPECT_TRUE(a.data.empty());
}

TEST(NpyParse, TransposesFortranOrderIntoCOrder) {
  NpyArray a = parseNpy(bytesOf(kF4_fortran), "f.npy");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(a.data, (std::vector<float>{0, 1, 2, 3, 4, 5}));

  a = parseNpy(bytesOf(kF4_fortran3d), "f3.npy");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 3, 4}));
  std::vector<float> expected(24);
  for (int i = 0; i < 24; ++i) expected[static_cast<size_t>(i)] = static_cast<float>(i);
  EXPECT_EQ(a.data, expected);
}

TEST(NpyParse, ConvertsIntegerAndBoolDtypes) {
  EXPECT_EQ(parseNpy(bytesOf(kI1), "x").data, (std::vector<float>{-128, -1, 0, 127}));
  EXPECT_EQ(parseNpy(bytesOf(kU1), "x").data, (std::vector<float>{0, 1, 255}));
  EXPECT_EQ(parseNpy(bytesOf(kI2), "x").data, (std::vector<float>{-32768, 32767}));
  EXPECT_EQ(parseNpy(bytesOf(kU2), "x").data, (std::vector<float>{0, 65535}));
  EXPECT_EQ(parseNpy(bytesOf(kI4), "x").data,
            (std::vector<float>{-2147483648.0f, 2147483647.0f}));
  EXPECT_EQ(parseNpy(bytesOf(kI8), "x").data,
            (std::vector<float>{-1099511627776.0f, 1099511627776.0f}));
  EXPECT_EQ(parseNpy(bytesOf(kB1), "x").data, (std::vector<float>{1, 0, 1}));
}

TEST(NpyParse, AcceptsNativeOrderAndUnsigned32And64) {
  const std::string four = std::string("\x01\x00\x00\x00\xff\xff\xff\xff", 8);
  EXPECT_EQ(parseNpy(makeNpy(dict("=u4", "(2,)"), four), "x").data,
            (std::vector<float>{1.0f, 4294967295.0f}));
  EXPECT_EQ(parseNpy(makeNpy(dict("<u8", "(1,)"), std::string(8, '\xff')), "x").data,
            (std::vector<float>{18446744073709551615.0f}));
  EXPECT_EQ(parseNpy(makeNpy(dict("=i4", "(2,)"), four), "x").data, (std::vector<float>{1, -1}));
  // Double quotes, no trailing comma, other key order and 'L' suffixes are all valid Python.
  const std::string loose = "{\"shape\": (1L, 2L), \"fortran_order\": False, \"descr\": \"<i4\"}";
  NpyArray a = parseNpy(makeNpy(loose, four), "x");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(a.data, (std::vector<float>{1, -1}));
}

TEST(NpyParse, ReadsFormatVersions2And3) {
  for (const std::string& bytes : {bytesOf(kV2), bytesOf(kV3)}) {
    NpyArray a = parseNpy(bytes, "v.npy");
    EXPECT_EQ(a.shape, (std::vector<int64_t>{1, 2}));
    EXPECT_EQ(a.data, (std::vector<float>{1, 2}));
  }
  EXPECT_EQ(bytesOf(kV2)[6], '\x02');
  EXPECT_EQ(bytesOf(kV3)[6], '\x03');
}

// ---- malformed input -------------------------------------------------------------------------

TEST(NpyMalformed, BadMagicAndTruncatedPrefix) {
  EXPECT_CONTAINS(npyError("PK\x03\x04 not numpy"), "not a .npy file");
  EXPECT_CONTAINS(npyError(""), "truncated");
  EXPECT_CONTAINS(npyError(std::string("\x93NUMPY", 6)), "truncated");
  EXPECT_CONTAINS(npyError(std::string("\x93NUMPY\x01\x00\x10", 9)), "truncated");
  EXPECT_CONTAINS(npyError(std::string("\x93NUMPY\x02\x00\x10\x00\x00", 11)), "truncated");
}

TEST(NpyMalformed, UnsupportedVersion) {
  std::string bytes = bytesOf(kF4_2x3);
  bytes[6] = '\x04';
  EXPECT_CONTAINS(npyError(bytes), "unsupported .npy format version 4.0");
  bytes[6] = '\x01';
  bytes[7] = '\x01';
  EXPECT_CONTAINS(npyError(bytes), "version 1.1");
}

TEST(NpyMalformed, HeaderLengthBeyondFile) {
  std::string bytes = bytesOf(kF4_2x3);
  bytes[8] = '\xff';
  bytes[9] = '\xff';
  EXPECT_CONTAINS(npyError(bytes), "truncated .npy header");
  // Version 2 has a 4-byte length: 4 GiB must be rejected without reading or allocating.
  EXPECT_CONTAINS(npyError(std::string("\x93NUMPY\x02\x00\xff\xff\xff\xff{}", 14)),
                  "truncated .npy header");
}

TEST(NpyMalformed, MalformedHeaderDicts) {
  const std::string data(8, '\0');
  const std::vector<std::string> headers = {
      "",
      "[]",
      "{'descr': '<f4', 'fortran_order': False}",                          // missing shape
      "{'descr': '<f4', 'shape': (2,)}",                                    // missing order
      "{'fortran_order': False, 'shape': (2,)}",                            // missing descr
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}",    // unknown key
      "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}",
      "{'descr': '<f4', 'fortran_order': false, 'shape': (2,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2)}",             // not a tuple
      "{'descr': '<f4', 'fortran_order': False, 'shape': [2]}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2.0,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2 3)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)",             // no closing brace
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} junk",
      "{'descr': '<f4', 'fortran_order': False 'shape': (2,)}",
      "{'descr: '<f4', 'fortran_order': False, 'shape': (2,)}",             // broken quoting
      "{'descr': '<f\\x34', 'fortran_order': False, 'shape': (2,)}",
      "{descr: '<f4', fortran_order: False, shape: (2,)}",
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}" + std::string(1, '\0'),
  };
  for (const std::string& header : headers) {
    const std::string msg = npyError(makeNpy(header, data));
    EXPECT_CONTAINS(msg, "malformed .npy header");
  }
}

TEST(NpyMalformed, UnsupportedDtypes) {
  std::string msg = npyError(bytesOf(kBigEndian));
  EXPECT_EQ(msg.rfind("points.npy: unsupported dtype '>f8'", 0), 0u) << msg;
  EXPECT_CONTAINS(msg, "expected little-endian float or integer");
  EXPECT_CONTAINS(npyError(bytesOf(kUnicode)), "unsupported dtype '<U2'");
  EXPECT_CONTAINS(npyError(makeNpy(dict("|O", "(1,)"), std::string(8, '\0'))), "unsupported dtype '|O'");
  EXPECT_CONTAINS(npyError(makeNpy(dict("|S4", "(1,)"), std::string(4, 'a'))), "unsupported dtype");
  EXPECT_CONTAINS(npyError(makeNpy(dict("<c8", "(1,)"), std::string(8, '\0'))), "unsupported dtype");
  EXPECT_CONTAINS(npyError(makeNpy(dict("<f2", "(1,)"), std::string(2, '\0'))), "unsupported dtype");
  EXPECT_CONTAINS(npyError(makeNpy(dict("|f4", "(1,)"), std::string(4, '\0'))), "unsupported dtype");
  EXPECT_CONTAINS(npyError(makeNpy(dict("", "(1,)"), std::string(4, '\0'))), "unsupported dtype");
  EXPECT_CONTAINS(
      npyError(makeNpy("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (1,)}", "")),
      "structured");
}

TEST(NpyMalformed, TruncatedAndTrailingData) {
  const std::string good = bytesOf(kF4_2x3);
  std::string msg = npyError(good.substr(0, good.size() - 1));
  EXPECT_CONTAINS(msg, "truncated data");
  EXPECT_CONTAINS(msg, "needs 24 bytes, file has 23");
  EXPECT_CONTAINS(npyError(good + "x"), "1 unexpected bytes after the array data");
  EXPECT_CONTAINS(npyError(bytesOf(kF4_0d).substr(0, 130)), "truncated data");
}

TEST(NpyMalformed, NegativeOverflowingAndAbsurdShapes) {
  EXPECT_CONTAINS(npyError(makeNpy(dict("<f4", "(-1,)"), "")), "negative dimension");
  EXPECT_CONTAINS(npyError(makeNpy(dict("<f4", "(2, -3)"), "")), "negative dimension");
  EXPECT_CONTAINS(npyError(makeNpy(dict("<f4", "(99999999999999999999,)"), "")),
                  "does not fit in 64 bits");
  EXPECT_CONTAINS(npyError(makeNpy(dict("<f4", "(4294967296, 4294967296)"), "")),
                  "too many elements");
  // Declares ~4 TB: must be a clean error, never an allocation attempt.
  EXPECT_CONTAINS(npyError(makeNpy(dict("<f4", "(1000000000000,)"), std::string(16, '\0'))),
                  "truncated data");
  EXPECT_CONTAINS(npyError(makeNpy(dict("<f8", "(3037000499, 3037000499)"), "")), "truncated data");
  std::string manyDims = "(";
  for (int i = 0; i < 65; ++i) manyDims += "1,";
  EXPECT_CONTAINS(npyError(makeNpy(dict("<f4", manyDims + ")"), std::string(4, '\0'))),
                  "more than 64 dimensions");
}

TEST(NpyMalformed, HostileBytesAreEscapedInMessages) {
  const std::string msg = npyError(makeNpy(dict("<\x01\xff", "(1,)"), ""));
  EXPECT_CONTAINS(msg, "'<\\x01\\xff'");
}

// ---- files -----------------------------------------------------------------------------------

class NpyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("flowscope-NpyFileTest-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(NpyFileTest, RoundTripsManyShapes) {
  const std::vector<std::vector<int64_t>> shapes = {{},        {0},          {1},       {5},
                                                    {2, 3},    {2, 0, 3},    {3, 0},    {1, 1, 1, 4},
                                                    {3, 2, 2}, {2, 1, 3, 1, 2}};
  for (const auto& shape : shapes) {
    int64_t count = 1;
    for (int64_t d : shape) count *= d;
    std::vector<float> f(static_cast<size_t>(count));
    std::vector<double> d(f.size());
    for (size_t i = 0; i < f.size(); ++i) {
      f[i] = static_cast<float>(i) * -0.75f + 0.125f;
      d[i] = static_cast<double>(f[i]);
    }
    writeNpy(file("f.npy"), shape, f.data());
    NpyArray a = readNpy(file("f.npy"));
    EXPECT_EQ(a.shape, shape);
    EXPECT_EQ(a.data, f);

    writeNpy(file("d.npy"), shape, d.data());
    a = readNpy(file("d.npy"));
    EXPECT_EQ(a.shape, shape);
    EXPECT_EQ(a.data, f);
  }
}

TEST_F(NpyFileTest, RoundTripsSpecialValues) {
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> values = {-0.0f, inf, -inf, std::numeric_limits<float>::min(),
                                     std::numeric_limits<float>::max(),
                                     std::numeric_limits<float>::denorm_min()};
  writeNpy(file("s.npy"), {static_cast<int64_t>(values.size())}, values.data());
  const NpyArray a = readNpy(file("s.npy"));
  ASSERT_EQ(a.data.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(std::memcmp(&a.data[i], &values[i], sizeof(float)), 0) << i;
  }
  const float nan = std::numeric_limits<float>::quiet_NaN();
  writeNpy(file("n.npy"), {}, &nan);
  EXPECT_TRUE(std::isnan(readNpy(file("n.npy")).data.at(0)));
}

TEST_F(NpyFileTest, ReadErrorsNameThePath) {
  const std::string path = file("missing.npy");
  try {
    readNpy(path);
    FAIL() << "expected FileError";
  } catch (const FileError& e) {
    EXPECT_CONTAINS(e.what(), path);
    EXPECT_CONTAINS(e.what(), "No such file or directory");
  }
  std::ofstream(file("bad.npy")) << "hello";
  try {
    readNpy(file("bad.npy"));
    FAIL() << "expected FileError";
  } catch (const FileError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(file("bad.npy") + ": not a .npy file", 0), 0u) << e.what();
  }
}

TEST_F(NpyFileTest, WriteErrorsNameThePath) {
  const float x = 1;
  const std::string path = file("no/such/dir.npy");
  try {
    writeNpy(path, {1}, &x);
    FAIL() << "expected FileError";
  } catch (const FileError& e) {
    EXPECT_CONTAINS(e.what(), path);
  }
  try {
    writeNpy(file("neg.npy"), {-2}, &x);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_CONTAINS(e.what(), file("neg.npy"));
  }
  EXPECT_FALSE(fs::exists(file("neg.npy")));
}

}  // namespace
