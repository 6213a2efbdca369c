// Tests for core/images: every reader on tiny files written here (IDX raw and gzip, CIFAR-10
// records, zips from our own writer with stored, deflated and zip64 members, PNG through libpng,
// JPEG through libjpeg), read back pixel for pixel; and for each format the broken variants
// (truncated at several offsets, wrong magic, wrong sizes, bad CRC, missing members, corrupt
// chunks) rejected with a FileError naming the file. Checksums in the writers come from zlib,
// not from the code under test.

#include <gtest/gtest.h>
#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/images/Cifar10.h"
#include "core/images/Idx.h"
#include "core/images/ImageFolder.h"
#include "core/images/ImageNetNpz.h"
#include "core/images/ImageSet.h"
#include "core/images/Inflate.h"
#include "core/images/JpegDecoder.h"
#include "core/images/PngDecoder.h"
#include "core/images/Preprocess.h"
#include "core/images/Resize.h"
#include "core/images/ZipArchive.h"
#include "core/io/Npy.h"
#include "core/util/Error.h"

namespace fs = std::filesystem;
using namespace flowscope;

namespace {

// ---- helpers -----------------------------------------------------------------------------

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "flowscope-ImageData-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  fs::path operator/(const std::string& name) const { return path_ / name; }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void writeFile(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << p;
}

// Expects `f` to throw FileError whose message contains every one of `parts`.
template <typename F>
void expectFileError(F&& f, const std::vector<std::string>& parts) {
  try {
    f();
    ADD_FAILURE() << "no FileError (expected one mentioning '" << parts.front() << "')";
  } catch (const FileError& e) {
    const std::string msg = e.what();
    for (const std::string& p : parts) EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
  }
}

// zlib with windowBits 31 (gzip wrapper) or -15 (raw deflate).
std::string deflateBytes(const std::string& in, int windowBits) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, in.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}
std::string gzip(const std::string& in) { return deflateBytes(in, 31); }
std::string rawDeflate(const std::string& in) { return deflateBytes(in, -15); }

uint32_t zlibCrc(const std::string& s) {
  return static_cast<uint32_t>(::crc32(0L, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

void be32(std::string& s, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((v >> shift) & 0xff);
}
void le16(std::string& s, uint32_t v) {
  s += static_cast<char>(v & 0xff);
  s += static_cast<char>((v >> 8) & 0xff);
}
void le32(std::string& s, uint32_t v) {
  le16(s, v & 0xffff);
  le16(s, v >> 16);
}
void le64(std::string& s, uint64_t v) {
  le32(s, static_cast<uint32_t>(v));
  le32(s, static_cast<uint32_t>(v >> 32));
}

std::string bytesOf(const std::vector<uint8_t>& v) { return std::string(v.begin(), v.end()); }

// ---- IDX ---------------------------------------------------------------------------------

std::string idxImages(uint32_t n, uint32_t h, uint32_t w, const std::vector<uint8_t>& pixels) {
  std::string s;
  be32(s, 0x00000803);
  be32(s, n);
  be32(s, h);
  be32(s, w);
  return s + bytesOf(pixels);
}
std::string idxLabels(const std::vector<uint8_t>& labels) {
  std::string s;
  be32(s, 0x00000801);
  be32(s, static_cast<uint32_t>(labels.size()));
  return s + bytesOf(labels);
}

std::vector<uint8_t> ramp(size_t n, int mul = 7, int add = 3) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>((i * mul + add) % 256);
  return v;
}

TEST(ImageData, IdxRawImagesAndLabelsArePixelExact) {
  TempDir dir;
  const std::vector<uint8_t> pixels = ramp(3 * 2 * 4);
  writeFile(dir / "img.idx", idxImages(3, 2, 4, pixels));
  writeFile(dir / "lab.idx", idxLabels({4, 0, 9}));
  const ImageSet set = readIdxDataset((dir / "img.idx").string(), (dir / "lab.idx").string());
  EXPECT_EQ(set.count, 3);
  EXPECT_EQ(set.channels, 1);
  EXPECT_EQ(set.height, 2);
  EXPECT_EQ(set.width, 4);
  EXPECT_EQ(set.pixels, pixels);
  EXPECT_EQ(set.labels, (std::vector<int64_t>{4, 0, 9}));
  EXPECT_EQ(set.classes, 10);
  EXPECT_NE(set.source.find("img.idx"), std::string::npos);
}

TEST(ImageData, IdxGzipReadsTheSameAsRaw) {
  TempDir dir;
  const std::vector<uint8_t> pixels = ramp(5 * 3 * 3, 11, 1);
  const std::string raw = idxImages(5, 3, 3, pixels);
  ASSERT_TRUE(isGzip(gzip(raw)));
  writeFile(dir / "img.gz", gzip(raw));
  writeFile(dir / "lab.gz", gzip(idxLabels({1, 2, 3, 4, 2})));
  const ImageSet set = readIdxDataset((dir / "img.gz").string(), (dir / "lab.gz").string());
  EXPECT_EQ(set.pixels, pixels);
  EXPECT_EQ(set.labels, (std::vector<int64_t>{1, 2, 3, 4, 2}));
  EXPECT_EQ(set.classes, 5);
}

TEST(ImageData, IdxTruncatedAnywhereIsAFileErrorNamingTheFile) {
  const std::string raw = idxImages(2, 3, 3, ramp(18));
  for (size_t cut = 0; cut < raw.size(); ++cut) {
    SCOPED_TRACE("raw cut at " + std::to_string(cut));
    expectFileError([&] { parseIdx(raw.substr(0, cut), "short.idx"); }, {"short.idx"});
  }
  const std::string gz = gzip(raw);
  for (size_t cut = 2; cut < gz.size(); ++cut) {
    SCOPED_TRACE("gzip cut at " + std::to_string(cut));
    expectFileError([&] { parseIdx(gz.substr(0, cut), "short.gz"); }, {"short.gz"});
  }
}

TEST(ImageData, IdxWrongMagicDimsAndSizesAreRefused) {
  std::string raw = idxImages(2, 2, 2, ramp(8));
  std::string bad = raw;
  bad[2] = 0x0d;  // float data
  expectFileError([&] { parseIdx(bad, "f.idx"); }, {"f.idx", "magic 0x00000d03", "0x00000803"});
  bad = raw;
  bad[3] = 0x02;
  expectFileError([&] { parseIdx(bad, "m.idx"); }, {"m.idx", "magic"});
  expectFileError([&] { parseIdx(raw + "x", "long.idx"); }, {"long.idx", "9 data bytes", "expected 8", "2x2x2"});
  std::string zero = idxImages(2, 0, 2, {});
  expectFileError([&] { parseIdx(zero, "zero.idx"); }, {"zero.idx", "is 0"});
  std::string negative = idxImages(0x80000000u, 1, 1, {});
  expectFileError([&] { parseIdx(negative, "neg.idx"); }, {"neg.idx", "signed 32-bit"});
  // Labels where images are expected, and the other way round.
  expectFileError([&] { parseIdxImages(idxLabels({1}), "l.idx"); }, {"l.idx", "labels file"});
  expectFileError([&] { parseIdxLabels(raw, "i.idx"); }, {"i.idx", "images file"});
}

TEST(ImageData, IdxGzipIsBoundedByItsHeaderAndChecked) {
  // A header declaring far more than the compressed bytes can hold: refused before allocating.
  const std::string huge = gzip(idxImages(1 << 30, 1 << 10, 1 << 10, {}));
  expectFileError([&] { parseIdx(huge, "bomb.gz"); }, {"bomb.gz", "1032:1"});
  // A stream holding more than its header declares.
  std::string longer = idxImages(1, 2, 2, ramp(4)) + "extra";
  expectFileError([&] { parseIdx(gzip(longer), "more.gz"); }, {"more.gz", "holds more than the 20 bytes"});
  // A damaged CRC-32 in the gzip trailer (the last 8 bytes: CRC, then length).
  std::string gz = gzip(idxImages(1, 2, 2, ramp(4)));
  gz[gz.size() - 8] ^= 0x01;
  expectFileError([&] { parseIdx(gz, "crc.gz"); }, {"crc.gz", "corrupt gzip stream"});
  // Bytes after the gzip stream.
  expectFileError([&] { parseIdx(gzip(idxImages(1, 2, 2, ramp(4))) + "junk", "tail.gz"); }, {"tail.gz", "4 unexpected bytes"});
}

TEST(ImageData, IdxDatasetCountsMustAgree) {
  TempDir dir;
  writeFile(dir / "img.idx", idxImages(3, 1, 1, ramp(3)));
  writeFile(dir / "lab.idx", idxLabels({1, 2}));
  expectFileError([&] { readIdxDataset((dir / "img.idx").string(), (dir / "lab.idx").string()); },
                  {"lab.idx", "2 labels for the 3 images"});
  expectFileError([&] { readIdxImages((dir / "missing.idx").string()); }, {"missing.idx"});
}

TEST(ImageData, FashionMnistFromDebian) {
  const fs::path root = "/usr/share/datasets/fashion-mnist";
  if (!fs::exists(root / "train-images-idx3-ubyte.gz")) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  const ImageSet train = readIdxDataset((root / "train-images-idx3-ubyte.gz").string(),
                                        (root / "train-labels-idx1-ubyte.gz").string());
  EXPECT_EQ(train.count, 60000);
  EXPECT_EQ(train.channels, 1);
  EXPECT_EQ(train.height, 28);
  EXPECT_EQ(train.width, 28);
  EXPECT_EQ(train.classes, 10);
  std::vector<int> perClass(10);
  for (const int64_t l : train.labels) {
    ASSERT_GE(l, 0);
    ASSERT_LT(l, 10);
    ++perClass[static_cast<size_t>(l)];
  }
  for (const int c : perClass) EXPECT_EQ(c, 6000);  // Fashion-MNIST is balanced
  const ImageSet test = readIdxDataset((root / "t10k-images-idx3-ubyte.gz").string(),
                                       (root / "t10k-labels-idx1-ubyte.gz").string());
  EXPECT_EQ(test.count, 10000);
  EXPECT_EQ(test.classes, 10);
}

// ---- CIFAR-10 ----------------------------------------------------------------------------

std::string cifarRecords(const std::vector<uint8_t>& labels, int seed) {
  std::string s;
  for (size_t i = 0; i < labels.size(); ++i) {
    s += static_cast<char>(labels[i]);
    s += bytesOf(ramp(3072, 13 + seed, static_cast<int>(i)));
  }
  return s;
}

TEST(ImageData, CifarRecordsArePlanarPixelExact) {
  const std::string bytes = cifarRecords({3, 9}, 0);
  const ImageSet set = parseCifar10Batch(bytes, "batch.bin");
  EXPECT_EQ(set.count, 2);
  EXPECT_EQ(set.channels, 3);
  EXPECT_EQ(set.height, 32);
  EXPECT_EQ(set.width, 32);
  EXPECT_EQ(set.classes, 10);
  EXPECT_EQ(set.labels, (std::vector<int64_t>{3, 9}));
  // Image 1, green plane, row 5, column 7: record byte 1 + 1024 + 5*32 + 7.
  EXPECT_EQ(set.image(1)[1024 + 5 * 32 + 7], static_cast<uint8_t>(bytes[3073 + 1 + 1024 + 5 * 32 + 7]));
  EXPECT_EQ(std::string(set.pixels.begin(), set.pixels.begin() + 3072), bytes.substr(1, 3072));
  EXPECT_EQ(std::string(set.pixels.begin() + 3072, set.pixels.end()), bytes.substr(3074, 3072));
}

TEST(ImageData, CifarWrongSizesAndLabelsAreRefused) {
  const std::string bytes = cifarRecords({1, 2}, 0);
  for (const size_t cut : {size_t{0}, size_t{1}, size_t{3072}, size_t{3074}, bytes.size() - 1}) {
    SCOPED_TRACE(cut);
    expectFileError([&] { parseCifar10Batch(bytes.substr(0, cut), "cut.bin"); }, {"cut.bin", "multiple of 3073"});
  }
  std::string bad = bytes;
  bad[3073] = 10;
  expectFileError([&] { parseCifar10Batch(bad, "label.bin"); }, {"label.bin", "record 1", "label 10", "0-9"});
}

TEST(ImageData, CifarFolderSplitsInOrderAndNamesAMissingFile) {
  TempDir dir;
  for (int b = 1; b <= 5; ++b) writeFile(dir / ("data_batch_" + std::to_string(b) + ".bin"), cifarRecords({static_cast<uint8_t>(b)}, b));
  writeFile(dir / "test_batch.bin", cifarRecords({0, 7, 8}, 9));
  const ImageSet train = readCifar10Folder(dir.path().string(), "train");
  EXPECT_EQ(train.count, 5);
  EXPECT_EQ(train.labels, (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(std::string(train.pixels.begin() + 3 * 3072, train.pixels.begin() + 4 * 3072), cifarRecords({4}, 4).substr(1));
  const ImageSet test = readCifar10Folder(dir.path().string(), "test");
  EXPECT_EQ(test.labels, (std::vector<int64_t>{0, 7, 8}));
  fs::remove(dir / "data_batch_3.bin");
  expectFileError([&] { readCifar10Folder(dir.path().string(), "train"); }, {"data_batch_3.bin", "missing"});
  EXPECT_THROW(readCifar10Folder(dir.path().string(), "validation"), InputError);
}

// ---- zip ---------------------------------------------------------------------------------

struct ZipMember {
  std::string name;
  std::string data;
  bool deflate = false;
  uint16_t method() const { return deflate ? 8 : 0; }
};

struct ZipOptions {
  bool zip64Extra = false;  // central sizes and offset as 0xffffffff + a zip64 extra field
  bool zip64End = false;    // zip64 end record and locator before the end record
  std::string comment;
};

std::string writeZip(const std::vector<ZipMember>& members, const ZipOptions& opt = {}) {
  std::string out, central;
  for (const ZipMember& m : members) {
    const std::string stored = m.deflate ? rawDeflate(m.data) : m.data;
    const uint32_t crc = zlibCrc(m.data);
    const auto offset = static_cast<uint32_t>(out.size());
    le32(out, 0x04034b50);
    le16(out, 20);
    le16(out, 0);
    le16(out, m.method());
    le16(out, 0);
    le16(out, 0x21);
    le32(out, crc);
    le32(out, static_cast<uint32_t>(stored.size()));
    le32(out, static_cast<uint32_t>(m.data.size()));
    le16(out, static_cast<uint32_t>(m.name.size()));
    le16(out, 0);
    out += m.name + stored;

    le32(central, 0x02014b50);
    le16(central, 45);
    le16(central, 20);
    le16(central, 0);
    le16(central, m.method());
    le16(central, 0);
    le16(central, 0x21);
    le32(central, crc);
    le32(central, opt.zip64Extra ? 0xffffffffu : static_cast<uint32_t>(stored.size()));
    le32(central, opt.zip64Extra ? 0xffffffffu : static_cast<uint32_t>(m.data.size()));
    le16(central, static_cast<uint32_t>(m.name.size()));
    le16(central, opt.zip64Extra ? 28 : 0);
    le16(central, 0);
    le16(central, 0);
    le16(central, 0);
    le32(central, 0);
    le32(central, opt.zip64Extra ? 0xffffffffu : offset);
    central += m.name;
    if (opt.zip64Extra) {
      le16(central, 0x0001);
      le16(central, 24);
      le64(central, m.data.size());
      le64(central, stored.size());
      le64(central, offset);
    }
  }
  const uint64_t cdOffset = out.size(), cdSize = central.size();
  out += central;
  if (opt.zip64End) {
    const uint64_t recordOffset = out.size();
    le32(out, 0x06064b50);
    le64(out, 44);
    le16(out, 45);
    le16(out, 45);
    le32(out, 0);
    le32(out, 0);
    le64(out, members.size());
    le64(out, members.size());
    le64(out, cdSize);
    le64(out, cdOffset);
    le32(out, 0x07064b50);
    le32(out, 0);
    le64(out, recordOffset);
    le32(out, 1);
  }
  le32(out, 0x06054b50);
  le16(out, 0);
  le16(out, 0);
  le16(out, opt.zip64End ? 0xffff : static_cast<uint32_t>(members.size()));
  le16(out, opt.zip64End ? 0xffff : static_cast<uint32_t>(members.size()));
  le32(out, opt.zip64End ? 0xffffffffu : static_cast<uint32_t>(cdSize));
  le32(out, opt.zip64End ? 0xffffffffu : static_cast<uint32_t>(cdOffset));
  le16(out, static_cast<uint32_t>(opt.comment.size()));
  return out + opt.comment;
}

const std::string kText = "flow matching, flow matching, flow matching: 0123456789 0123456789";

TEST(ImageData, ZipStoredAndDeflatedMembersReadBack) {
  const std::string zip = writeZip({{"a.txt", kText, false}, {"dir/b.bin", bytesOf(ramp(5000)), true}, {"empty", "", true}},
                                   {false, false, "a comment"});
  const ZipArchive archive = ZipArchive::fromBytes(zip, "t.zip");
  ASSERT_EQ(archive.entries().size(), 3u);
  EXPECT_EQ(archive.entries()[1].method, 8);
  EXPECT_LT(archive.entries()[1].compressedSize, 5000u);
  EXPECT_EQ(archive.read("a.txt"), kText);
  EXPECT_EQ(archive.read("dir/b.bin"), bytesOf(ramp(5000)));
  EXPECT_EQ(archive.read("empty"), "");
  EXPECT_EQ(archive.find("nope"), nullptr);
  expectFileError([&] { archive.read("nope"); }, {"t.zip", "no member 'nope'", "members: a.txt, dir/b.bin, empty"});

  // The same from a file (pread).
  TempDir dir;
  writeFile(dir / "t.zip", zip);
  EXPECT_EQ(ZipArchive::open((dir / "t.zip").string()).read("dir/b.bin"), bytesOf(ramp(5000)));
  expectFileError([&] { ZipArchive::open((dir / "none.zip").string()); }, {"none.zip"});
  expectFileError([&] { ZipArchive::open(dir.path().string()); }, {"not a regular file"});
}

TEST(ImageData, ZipReadsZip64ExtraFieldsAndEndRecords) {
  for (const ZipOptions& opt : {ZipOptions{true, false, ""}, ZipOptions{false, true, ""}, ZipOptions{true, true, "c"}}) {
    SCOPED_TRACE(std::to_string(opt.zip64Extra) + std::to_string(opt.zip64End));
    const ZipArchive archive =
        ZipArchive::fromBytes(writeZip({{"x", kText, true}, {"y", kText, false}}, opt), "z64.zip");
    ASSERT_EQ(archive.entries().size(), 2u);
    EXPECT_EQ(archive.entries()[1].uncompressedSize, kText.size());
    EXPECT_EQ(archive.read("x"), kText);
    EXPECT_EQ(archive.read("y"), kText);
  }
}

TEST(ImageData, ZipBadCrcIsRefused) {
  for (const bool deflate : {false, true}) {
    std::string zip = writeZip({{"m.npy", kText, deflate}});
    // Flip the CRC's low byte in the central directory (the reader checks against it).
    const size_t central = zip.find(std::string("PK\x01\x02", 4));
    zip[central + 16] ^= 0x5a;
    const ZipArchive archive = ZipArchive::fromBytes(zip, "crc.zip");
    expectFileError([&] { archive.read("m.npy"); }, {"crc.zip", "member 'm.npy'", "CRC-32 mismatch"});
  }
  // Damaged stored data: the CRC catches it.
  std::string zip = writeZip({{"m", kText, false}});
  zip[30 + 1 + 5] ^= 0x01;
  expectFileError([&] { ZipArchive::fromBytes(zip, "data.zip").read("m"); }, {"data.zip", "CRC-32 mismatch"});
}

TEST(ImageData, ZipTruncatedAnywhereIsAFileError) {
  const std::string zip = writeZip({{"a", kText, true}, {"b", bytesOf(ramp(300)), false}});
  for (size_t cut = 0; cut < zip.size(); cut += 7) {
    SCOPED_TRACE(cut);
    expectFileError(
        [&] {
          const ZipArchive a = ZipArchive::fromBytes(zip.substr(0, cut), "cut.zip");
          a.read("a");
          a.read("b");
        },
        {"cut.zip"});
  }
}

// Rewrites member 0's central uncompressed size (offset 24 in the entry).
std::string withDeclaredSize(std::string zip, uint32_t size) {
  const size_t central = zip.find(std::string("PK\x01\x02", 4));
  for (int i = 0; i < 4; ++i) zip[central + 24 + static_cast<size_t>(i)] = static_cast<char>((size >> (8 * i)) & 0xff);
  return zip;
}

TEST(ImageData, ZipDeclaredSizesAreCheckedBeforeAllocating) {
  const std::string zip = writeZip({{"d", bytesOf(ramp(4000)), true}});
  // More than the limit.
  ZipLimits small;
  small.maxMemberBytes = 1000;
  expectFileError([&] { ZipArchive::fromBytes(zip, "lim.zip", small).read("d"); }, {"lim.zip", "maxMemberBytes"});
  // More than the deflated bytes can hold (1032:1).
  expectFileError([&] { ZipArchive::fromBytes(withDeclaredSize(zip, 0xfffffff0u), "ratio.zip").read("d"); },
                  {"ratio.zip", "1032:1"});
  // Less than the stream holds, and more.
  expectFileError([&] { ZipArchive::fromBytes(withDeclaredSize(zip, 3999), "less.zip").read("d"); },
                  {"less.zip", "holds more than the 3999 bytes"});
  expectFileError([&] { ZipArchive::fromBytes(withDeclaredSize(zip, 4001), "more.zip").read("d"); },
                  {"more.zip", "truncated"});
  // Stored with sizes that differ.
  expectFileError([&] { ZipArchive::fromBytes(withDeclaredSize(writeZip({{"s", kText}}), 5), "st.zip").read("s"); },
                  {"st.zip", "sizes differ"});
}

TEST(ImageData, ZipUnsupportedAndMalformedArchivesAreRefused) {
  expectFileError([&] { ZipArchive::fromBytes("PK", "tiny.zip"); }, {"tiny.zip", "22-byte"});
  expectFileError([&] { ZipArchive::fromBytes(std::string(100, 'x'), "junk.zip"); }, {"junk.zip", "end-of-central-directory"});
  std::string zip = writeZip({{"m", kText, false}});
  const size_t central = zip.find(std::string("PK\x01\x02", 4));
  std::string method = zip;
  method[central + 10] = 12;  // bzip2
  expectFileError([&] { ZipArchive::fromBytes(method, "bz.zip").read("m"); }, {"bz.zip", "compression method 12"});
  std::string encrypted = zip;
  encrypted[central + 8] = 1;
  expectFileError([&] { ZipArchive::fromBytes(encrypted, "enc.zip").read("m"); }, {"enc.zip", "encrypted"});
  std::string local = zip;
  local[0] = 'X';
  expectFileError([&] { ZipArchive::fromBytes(local, "loc.zip").read("m"); }, {"loc.zip", "no local header"});
}

// A zip written by Python's zipfile the way numpy.savez writes .npz members (force_zip64: zip64
// extra fields in the local headers), when python3 is available.
TEST(ImageData, ZipWrittenByPythonZipfile) {
  if (std::system("python3 -c 'import zipfile' >/dev/null 2>&1") != 0) GTEST_SKIP() << "no python3";
  TempDir dir;
  const fs::path zip = dir / "py.zip";
  const std::string script =
      "import zipfile,sys\n"
      "z=zipfile.ZipFile(sys.argv[1],'w',compression=zipfile.ZIP_DEFLATED)\n"
      "f=z.open('data.npy','w',force_zip64=True); f.write(bytes(range(256))*40); f.close()\n"
      "z.writestr(zipfile.ZipInfo('stored.txt'), b'plain')\n"
      "z.close()\n";
  writeFile(dir / "w.py", script);
  ASSERT_EQ(std::system(("python3 '" + (dir / "w.py").string() + "' '" + zip.string() + "'").c_str()), 0);
  const ZipArchive archive = ZipArchive::open(zip.string());
  std::string expected;
  for (int r = 0; r < 40; ++r)
    for (int b = 0; b < 256; ++b) expected += static_cast<char>(b);
  EXPECT_EQ(archive.read("data.npy"), expected);
  EXPECT_EQ(archive.read("stored.txt"), "plain");
}

// ---- npy additions -----------------------------------------------------------------------

std::string npyHeader(const std::string& descr, const std::string& shape) {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  const size_t total = 10 + dict.size() + 1;
  dict.append((64 - total % 64) % 64, ' ');
  dict += '\n';
  std::string s = "\x93NUMPY\x01";
  s += '\0';
  le16(s, static_cast<uint32_t>(dict.size()));
  return s + dict;
}
std::string npyU8(const std::vector<int64_t>& shape, const std::vector<uint8_t>& data) {
  std::string t = "(";
  for (size_t i = 0; i < shape.size(); ++i) t += (i ? ", " : "") + std::to_string(shape[i]);
  t += shape.size() == 1 ? ",)" : ")";
  return npyHeader("|u1", t) + bytesOf(data);
}
std::string npyI8(const std::vector<int64_t>& values) {
  std::string s = npyHeader("<i8", "(" + std::to_string(values.size()) + ",)");
  for (const int64_t v : values) le64(s, static_cast<uint64_t>(v));
  return s;
}

TEST(ImageData, NpyU8AndIntegersReadWithoutConversion) {
  const std::string u8 = npyU8({2, 3}, {0, 1, 2, 253, 254, 255});
  const NpyHeader h = parseNpyHeader(u8, "u8.npy");
  EXPECT_EQ(h.kind, 'u');
  EXPECT_EQ(h.itemSize, 1u);
  EXPECT_EQ(h.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(h.count, 6u);
  EXPECT_EQ(h.dataOffset % 64, 0u);
  EXPECT_EQ(h.dataOffset + 6, u8.size());
  const NpyU8Array a = parseNpyU8(u8, "u8.npy");
  EXPECT_EQ(a.data, (std::vector<uint8_t>{0, 1, 2, 253, 254, 255}));
  expectFileError([&] { parseNpyU8(npyI8({1}), "i8.npy"); }, {"i8.npy", "'<i8'", "uint8"});
  // Large int64 values stay exact (float would round 2^53 + 1).
  const int64_t big = (int64_t{1} << 53) + 1;
  std::vector<int64_t> shape;
  EXPECT_EQ(parseNpyIntegers(npyI8({-5, big, 1000}), "i.npy", &shape), (std::vector<int64_t>{-5, big, 1000}));
  EXPECT_EQ(shape, (std::vector<int64_t>{3}));
  EXPECT_EQ(parseNpyIntegers(u8, "u8.npy"), (std::vector<int64_t>{0, 1, 2, 253, 254, 255}));
  std::string f8 = npyHeader("<f8", "(2,)");
  double vals[2] = {3.0, 2.5};
  f8.append(reinterpret_cast<const char*>(vals), sizeof vals);
  expectFileError([&] { parseNpyIntegers(f8, "f8.npy"); }, {"f8.npy", "element 1", "not an integer"});
  // Fortran order is transposed for uint8 too.
  std::string fortran = npyU8({2, 3}, {0, 3, 1, 4, 2, 5});
  fortran.replace(fortran.find("False"), 5, "True ");
  EXPECT_EQ(parseNpyU8(fortran, "f.npy").data, (std::vector<uint8_t>{0, 1, 2, 3, 4, 5}));
  // Truncated data: the same FileError as parseNpy.
  expectFileError([&] { parseNpyU8(u8.substr(0, u8.size() - 1), "cut.npy"); }, {"cut.npy", "truncated data"});
}

// ---- downsampled ImageNet ----------------------------------------------------------------

std::string imagenetNpz(int64_t n, int s, const std::vector<int64_t>& labels, bool deflate, bool fourD = false,
                        bool withData = true) {
  std::vector<ZipMember> members;
  members.push_back({"labels.npy", npyI8(labels), deflate});
  const std::vector<uint8_t> pixels = ramp(static_cast<size_t>(n * 3 * s * s), 5, static_cast<int>(n));
  if (withData) {
    members.push_back({"data.npy", fourD ? npyU8({n, 3, s, s}, pixels) : npyU8({n, 3 * s * s}, pixels), deflate});
  }
  return writeZip(members);
}

TEST(ImageData, ImageNetNpzPixelsAndZeroBasedLabels) {
  for (const bool deflate : {false, true}) {
    for (const bool fourD : {false, true}) {
      SCOPED_TRACE(std::to_string(deflate) + std::to_string(fourD));
      const ImageSet set = readImageNetNpz(ZipArchive::fromBytes(imagenetNpz(3, 2, {1, 1000, 17}, deflate, fourD), "b.npz"), 2);
      EXPECT_EQ(set.count, 3);
      EXPECT_EQ(set.channels, 3);
      EXPECT_EQ(set.height, 2);
      EXPECT_EQ(set.width, 2);
      EXPECT_EQ(set.classes, 1000);
      EXPECT_EQ(set.labels, (std::vector<int64_t>{0, 999, 16}));
      EXPECT_EQ(set.pixels, ramp(3 * 12, 5, 3));
    }
  }
}

TEST(ImageData, ImageNetNpzErrorsNameTheArchive) {
  expectFileError([&] { readImageNetNpz(ZipArchive::fromBytes(imagenetNpz(1, 2, {1}, true, false, false), "x.npz"), 2); },
                  {"x.npz: no data.npy member (members: labels.npy)"});
  expectFileError([&] { readImageNetNpz(ZipArchive::fromBytes(imagenetNpz(1, 2, {0}, false), "l0.npz"), 2); },
                  {"l0.npz", "label 0 of image 0", "1..1000"});
  expectFileError([&] { readImageNetNpz(ZipArchive::fromBytes(imagenetNpz(2, 2, {5, 1001}, false), "l.npz"), 2); },
                  {"l.npz", "label 1001 of image 1"});
  expectFileError([&] { readImageNetNpz(ZipArchive::fromBytes(imagenetNpz(2, 4, {1, 2}, false), "res.npz"), 2); },
                  {"res.npz", "data.npy", "(2, 48)", "(N, 12)"});
  expectFileError([&] { readImageNetNpz(ZipArchive::fromBytes(imagenetNpz(2, 2, {1, 2, 3}, false), "n.npz"), 2); },
                  {"n.npz: data.npy", "2 images but labels.npy has 3 labels"});
  // Labels for far more images than data.npy can hold: refused before the pixels are allocated.
  expectFileError([&] { readImageNetNpz(ZipArchive::fromBytes(imagenetNpz(1, 2, std::vector<int64_t>(50, 1), false), "big.npz"), 2); },
                  {"big.npz", "data.npy holds", "50 images of 12 bytes"});
  // data.npy of floats.
  std::string f4 = npyHeader("<f4", "(1, 12)") + std::string(48, '\0');
  expectFileError([&] { readImageNetNpz(ZipArchive::fromBytes(writeZip({{"data.npy", f4}, {"labels.npy", npyI8({1})}}), "f.npz"), 2); },
                  {"f.npz: data.npy", "'<f4'", "uint8"});
}

TEST(ImageData, ImageNetFolderConcatenatesBatchesInOrder) {
  TempDir dir;
  for (int b = 1; b <= 10; ++b) {
    writeFile(dir / ("train_data_batch_" + std::to_string(b) + ".npz"), imagenetNpz(b % 3 + 1, 2, std::vector<int64_t>(b % 3 + 1, b), b % 2 == 0));
  }
  writeFile(dir / "val_data.npz", imagenetNpz(2, 2, {7, 8}, true));
  const ImageSet train = readImageNetFolder(dir.path().string(), 2, "train");
  std::vector<int64_t> labels;
  std::vector<uint8_t> pixels;
  for (int b = 1; b <= 10; ++b) {
    const int n = b % 3 + 1;
    for (int i = 0; i < n; ++i) labels.push_back(b - 1);
    const std::vector<uint8_t> p = ramp(static_cast<size_t>(n * 12), 5, n);
    pixels.insert(pixels.end(), p.begin(), p.end());
  }
  EXPECT_EQ(train.labels, labels);
  EXPECT_EQ(train.pixels, pixels);
  EXPECT_EQ(train.count, static_cast<int64_t>(labels.size()));
  const ImageSet val = readImageNetFolder(dir.path().string(), 2, "val");
  EXPECT_EQ(val.labels, (std::vector<int64_t>{6, 7}));
  fs::remove(dir / "train_data_batch_7.npz");
  expectFileError([&] { readImageNetFolder(dir.path().string(), 2, "train"); }, {"train_data_batch_7.npz", "missing"});
}

// numpy.savez_compressed's own output, when numpy is installed.
TEST(ImageData, ImageNetNpzWrittenByNumpy) {
  if (std::system("python3 -c 'import numpy' >/dev/null 2>&1") != 0) GTEST_SKIP() << "no python3 with numpy";
  TempDir dir;
  const fs::path npz = dir / "np.npz";
  const std::string cmd = "python3 -c \"import numpy as np, sys; np.savez_compressed(sys.argv[1], "
                          "data=np.arange(2*12, dtype=np.uint8).reshape(2, 12), labels=np.array([3, 1000]))\" '" +
                          npz.string() + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const ImageSet set = readImageNetNpz(npz.string(), 2);
  EXPECT_EQ(set.labels, (std::vector<int64_t>{2, 999}));
  EXPECT_EQ(set.pixels, ramp(24, 1, 0));
}

// ---- PNG ---------------------------------------------------------------------------------

struct PngSpec {
  int width = 0, height = 0, colorType = PNG_COLOR_TYPE_RGB, depth = 8;
  bool interlace = false;
  std::vector<png_color> palette;
  std::vector<uint8_t> rows;  // height * rowbytes, as stored in the file (16-bit big-endian)
};

void pngWrite(png_structp png, png_bytep data, png_size_t n) {
  static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<const char*>(data), n);
}

std::string writePng(const PngSpec& spec) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  std::vector<png_bytep> rows(static_cast<size_t>(spec.height));
  const size_t rowBytes = spec.rows.size() / static_cast<size_t>(spec.height);
  for (int y = 0; y < spec.height; ++y) rows[static_cast<size_t>(y)] = const_cast<png_bytep>(spec.rows.data()) + y * rowBytes;
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    ADD_FAILURE() << "libpng could not write the test image";
    return "";
  }
  png_set_write_fn(png, &out, pngWrite, nullptr);
  png_set_IHDR(png, info, static_cast<png_uint_32>(spec.width), static_cast<png_uint_32>(spec.height), spec.depth,
               spec.colorType, spec.interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  if (!spec.palette.empty()) png_set_PLTE(png, info, spec.palette.data(), static_cast<int>(spec.palette.size()));
  png_write_info(png, info);
  png_write_image(png, rows.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

// A 3x2 RGB image with distinct channels; `rgb` interleaved, the expected planes.
PngSpec rgbSpec(std::vector<uint8_t>& planes) {
  PngSpec s;
  s.width = 3;
  s.height = 2;
  s.rows = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 250, 251, 252};
  planes = {10, 40, 70, 100, 130, 250, 20, 50, 80, 110, 140, 251, 30, 60, 90, 120, 150, 252};
  return s;
}

TEST(ImageData, PngRgbGrayPaletteAnd16BitDecodeExactly) {
  std::vector<uint8_t> planes;
  const std::string rgb = writePng(rgbSpec(planes));
  const Image img = decodePng(rgb, "rgb.png", 3);
  EXPECT_EQ(img.channels, 3);
  EXPECT_EQ(img.height, 2);
  EXPECT_EQ(img.width, 3);
  EXPECT_EQ(img.pixels, planes);

  PngSpec gray;
  gray.width = 2;
  gray.height = 2;
  gray.colorType = PNG_COLOR_TYPE_GRAY;
  gray.rows = {0, 77, 200, 255};
  EXPECT_EQ(decodePng(writePng(gray), "g.png", 1).pixels, (std::vector<uint8_t>{0, 77, 200, 255}));
  EXPECT_EQ(decodePng(writePng(gray), "g.png", 3).pixels,
            (std::vector<uint8_t>{0, 77, 200, 255, 0, 77, 200, 255, 0, 77, 200, 255}));
  // Gray from RGB: equal channels give the same value back.
  PngSpec equal;
  equal.width = 2;
  equal.height = 1;
  equal.rows = {9, 9, 9, 180, 180, 180};
  EXPECT_EQ(decodePng(writePng(equal), "e.png", 1).pixels, (std::vector<uint8_t>{9, 180}));

  PngSpec palette;
  palette.width = 4;
  palette.height = 1;
  palette.colorType = PNG_COLOR_TYPE_PALETTE;
  palette.palette = {{255, 0, 0}, {0, 255, 0}, {1, 2, 3}};
  palette.rows = {2, 0, 1, 2};
  EXPECT_EQ(decodePng(writePng(palette), "p.png", 3).pixels,
            (std::vector<uint8_t>{1, 255, 0, 1, 2, 0, 255, 2, 3, 0, 0, 3}));

  PngSpec deep;  // 16-bit RGB: v * 257 scales back to v exactly
  deep.width = 2;
  deep.height = 1;
  deep.depth = 16;
  for (const int v : {3, 100, 200, 0, 255, 128}) {
    deep.rows.push_back(static_cast<uint8_t>(v));
    deep.rows.push_back(static_cast<uint8_t>(v));
  }
  EXPECT_EQ(decodePng(writePng(deep), "d.png", 3).pixels, (std::vector<uint8_t>{3, 0, 100, 255, 200, 128}));

  PngSpec bits;  // 1-bit gray
  bits.width = 8;
  bits.height = 1;
  bits.colorType = PNG_COLOR_TYPE_GRAY;
  bits.depth = 1;
  bits.rows = {0xa5};
  EXPECT_EQ(decodePng(writePng(bits), "b.png", 1).pixels, (std::vector<uint8_t>{255, 0, 255, 0, 0, 255, 0, 255}));
}

TEST(ImageData, PngAlphaIsCompositedOnBlackAndInterlacingWorks) {
  PngSpec rgba;
  rgba.width = 2;
  rgba.height = 1;
  rgba.colorType = PNG_COLOR_TYPE_RGBA;
  rgba.rows = {10, 20, 30, 255, 200, 100, 50, 0};
  EXPECT_EQ(decodePng(writePng(rgba), "a.png", 3).pixels, (std::vector<uint8_t>{10, 0, 20, 0, 30, 0}));

  PngSpec inter;
  inter.width = 9;
  inter.height = 7;
  inter.colorType = PNG_COLOR_TYPE_GRAY;
  inter.interlace = true;
  inter.rows = ramp(63, 17, 5);
  EXPECT_EQ(decodePng(writePng(inter), "i.png", 1).pixels, ramp(63, 17, 5));
}

// Byte offset of the first chunk of `type`'s data.
size_t chunkData(const std::string& png, const std::string& type) {
  const size_t at = png.find(type);
  EXPECT_NE(at, std::string::npos);
  return at + 4;
}

TEST(ImageData, CorruptAndTruncatedPngsAreFileErrors) {
  std::vector<uint8_t> planes;
  PngSpec spec = rgbSpec(planes);
  const std::string png = writePng(spec);
  std::string idat = png;
  idat[chunkData(png, "IDAT") + 3] ^= 0x40;  // the chunk's CRC no longer matches
  expectFileError([&] { decodePng(idat, "idat.png", 3); }, {"idat.png", "corrupt PNG"});
  std::string ihdr = png;
  ihdr[chunkData(png, "IHDR") + 8] = 7;  // bit depth 7
  expectFileError([&] { decodePng(ihdr, "ihdr.png", 3); }, {"ihdr.png", "corrupt PNG"});
  for (size_t cut = 0; cut < png.size(); cut += 5) {
    SCOPED_TRACE(cut);
    expectFileError([&] { decodePng(png.substr(0, cut), "cut.png", 3); }, {"cut.png"});
  }
  expectFileError([&] { decodeImage("GIF89a......", "x.gif", 3); }, {"x.gif", "neither a PNG nor a JPEG"});

  // A valid header declaring 20000 x 20000: refused by the limit, before any allocation.
  std::string big = png;
  const size_t d = chunkData(png, "IHDR");
  std::string dims;
  be32(dims, 20000);
  be32(dims, 20000);
  big.replace(d, 8, dims);
  const uint32_t crc = zlibCrc(big.substr(d - 4, 4 + 13));
  std::string crcBytes;
  be32(crcBytes, crc);
  big.replace(d + 13, 4, crcBytes);
  expectFileError([&] { decodePng(big, "big.png", 3); }, {"big.png", "20000x20000", "limit"});
}

// ---- JPEG --------------------------------------------------------------------------------

std::string writeJpeg(int w, int h, int components, const std::vector<uint8_t>& interleaved) {
  jpeg_compress_struct c{};
  jpeg_error_mgr err{};
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&c, &buf, &size);
  c.image_width = static_cast<JDIMENSION>(w);
  c.image_height = static_cast<JDIMENSION>(h);
  c.input_components = components;
  c.in_color_space = components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, 100, TRUE);
  for (int i = 0; i < c.num_components; ++i) c.comp_info[i].h_samp_factor = c.comp_info[i].v_samp_factor = 1;  // 4:4:4
  jpeg_start_compress(&c, TRUE);
  while (c.next_scanline < c.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(interleaved.data()) + c.next_scanline * static_cast<size_t>(w * components);
    jpeg_write_scanlines(&c, &row, 1);
  }
  jpeg_finish_compress(&c);
  std::string out(reinterpret_cast<const char*>(buf), size);
  std::free(buf);
  jpeg_destroy_compress(&c);
  return out;
}

// A smooth 16x16 RGB image whose channels differ strongly (so a swapped channel order fails).
std::vector<uint8_t> smoothRgb(int w, int h) {
  std::vector<uint8_t> v;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      v.push_back(static_cast<uint8_t>(16 * x));
      v.push_back(static_cast<uint8_t>(255 - 12 * y));
      v.push_back(static_cast<uint8_t>(60 + 4 * (x + y)));
    }
  return v;
}

TEST(ImageData, JpegDecodesWithinQuality100Tolerance) {
  const int w = 16, h = 12;
  const std::vector<uint8_t> rgb = smoothRgb(w, h);
  const Image img = decodeJpeg(writeJpeg(w, h, 3, rgb), "rgb.jpg", 3);
  ASSERT_EQ(img.channels, 3);
  ASSERT_EQ(img.height, h);
  ASSERT_EQ(img.width, w);
  int worst = 0;
  for (int c = 0; c < 3; ++c)
    for (int p = 0; p < w * h; ++p)
      worst = std::max(worst, std::abs(int{img.pixels[static_cast<size_t>(c * w * h + p)]} - int{rgb[static_cast<size_t>(p * 3 + c)]}));
  EXPECT_LE(worst, 4);

  std::vector<uint8_t> gray(static_cast<size_t>(w * h));
  for (size_t i = 0; i < gray.size(); ++i) gray[i] = static_cast<uint8_t>(8 * (i % 16) + 40);
  const Image g = decodeJpeg(writeJpeg(w, h, 1, gray), "g.jpg", 1);
  for (size_t i = 0; i < gray.size(); ++i) EXPECT_NEAR(g.pixels[i], gray[i], 3) << i;
  // Gray to RGB replicates; through decodeImage (sniffed).
  const Image g3 = decodeImage(writeJpeg(w, h, 1, gray), "g.jpg", 3);
  EXPECT_EQ(std::vector<uint8_t>(g3.pixels.begin(), g3.pixels.begin() + w * h), g.pixels);
  EXPECT_EQ(std::vector<uint8_t>(g3.pixels.begin() + 2 * w * h, g3.pixels.end()), g.pixels);
}

TEST(ImageData, CorruptAndTruncatedJpegsAreFileErrors) {
  const std::string jpg = writeJpeg(16, 12, 3, smoothRgb(16, 12));
  for (const size_t cut : {size_t{3}, size_t{20}, size_t{100}, jpg.size() / 2, jpg.size() - 2}) {
    SCOPED_TRACE(cut);
    expectFileError([&] { decodeJpeg(jpg.substr(0, cut), "cut.jpg", 3); }, {"cut.jpg", "corrupt JPEG"});
  }
  std::string sof = jpg;
  const size_t at = sof.find("\xff\xc0");
  ASSERT_NE(at, std::string::npos);
  sof[at + 4] = 0x0c;  // 12-bit precision: not in an 8-bit libjpeg
  expectFileError([&] { decodeJpeg(sof, "sof.jpg", 3); }, {"sof.jpg", "corrupt JPEG"});
  expectFileError([&] { decodeJpeg("\xff\xd8\xff", "tiny.jpg", 3); }, {"tiny.jpg"});
}

// ---- resizing ----------------------------------------------------------------------------

Image grayImage(int64_t h, int64_t w, std::vector<uint8_t> pixels) {
  Image img;
  img.channels = 1;
  img.height = h;
  img.width = w;
  img.pixels = std::move(pixels);
  return img;
}

TEST(ImageData, ResizeFiltersOnHandComputedCases) {
  const Image four = grayImage(4, 4, {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 151});
  EXPECT_EQ(resizeImage(four, 2, 2, ResizeFilter::Nearest).pixels, (std::vector<uint8_t>{50, 70, 130, 151}));
  // Box means: (0+10+40+50)/4 = 25, (20+30+60+70)/4 = 45, 105, (100+110+140+151)/4 = 125.25.
  EXPECT_EQ(resizeImage(four, 2, 2, ResizeFilter::Area).pixels, (std::vector<uint8_t>{25, 45, 105, 125}));
  // 3 -> 2 columns: output 0 covers source [0, 1.5): (2*a + b)/3 weights 2/3, 1/3.
  const Image three = grayImage(1, 3, {0, 90, 30});
  EXPECT_EQ(resizeImage(three, 1, 2, ResizeFilter::Area).pixels, (std::vector<uint8_t>{30, 50}));
  // Bilinear 2 -> 4 with half-pixel centres: x = -0.25, 0.25, 0.75, 1.25 -> clamp, 25, 75, clamp.
  EXPECT_EQ(resizeImage(grayImage(1, 2, {0, 100}), 1, 4, ResizeFilter::Bilinear).pixels,
            (std::vector<uint8_t>{0, 25, 75, 100}));
  // Same size is the identity for every filter; upsampling a constant stays constant.
  for (const ResizeFilter f : {ResizeFilter::Nearest, ResizeFilter::Bilinear, ResizeFilter::Area}) {
    EXPECT_EQ(resizeImage(four, 4, 4, f).pixels, four.pixels) << resizeFilterName(f);
    EXPECT_EQ(resizeImage(grayImage(1, 1, {77}), 3, 3, f).pixels, std::vector<uint8_t>(9, 77)) << resizeFilterName(f);
  }
  EXPECT_EQ(parseResizeFilter("area"), ResizeFilter::Area);
  EXPECT_THROW(parseResizeFilter("lanczos"), InputError);
}

TEST(ImageData, CenterCropKeepsTheMiddleSquare) {
  const Image wide = grayImage(2, 5, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  EXPECT_EQ(centerCropSquare(wide).pixels, (std::vector<uint8_t>{1, 2, 6, 7}));
  const Image tall = grayImage(4, 2, {0, 1, 2, 3, 4, 5, 6, 7});
  EXPECT_EQ(centerCropSquare(tall).pixels, (std::vector<uint8_t>{2, 3, 4, 5}));
  EXPECT_EQ(cropAndResize(wide, 1, ResizeFilter::Area).pixels, (std::vector<uint8_t>{4}));  // (1+2+6+7)/4
}

// ---- image folders -----------------------------------------------------------------------

std::string grayPng(int w, int h, const std::vector<uint8_t>& pixels) {
  PngSpec s;
  s.width = w;
  s.height = h;
  s.colorType = PNG_COLOR_TYPE_GRAY;
  s.rows = pixels;
  return writePng(s);
}

TEST(ImageData, ImageFolderClassesFromSubfoldersInNameOrder) {
  TempDir dir;
  std::vector<uint8_t> planes;
  writeFile(dir / "b_dogs" / "x.png", writePng(rgbSpec(planes)));  // 3x2: cropped to its middle 2x2
  writeFile(dir / "a_cats" / "z.png", grayPng(2, 2, {1, 2, 3, 4}));
  writeFile(dir / "a_cats" / "sub" / "y.PNG", grayPng(2, 2, {5, 6, 7, 8}));
  writeFile(dir / "a_cats" / "notes.txt", "not an image");
  writeFile(dir / "a_cats" / ".hidden.png", "garbage");
  writeFile(dir / ".git" / "k.png", "garbage");
  const ImageSet set = readImageFolder(dir.path().string(), 2, ResizeFilter::Nearest, true, 3);
  EXPECT_EQ(set.count, 3);
  EXPECT_EQ(set.classes, 2);
  EXPECT_EQ(set.classNames, (std::vector<std::string>{"a_cats", "b_dogs"}));
  // Sorted by path: a_cats/sub/y.PNG < a_cats/z.png < b_dogs/x.png.
  EXPECT_EQ(set.labels, (std::vector<int64_t>{0, 0, 1}));
  EXPECT_EQ(std::vector<uint8_t>(set.image(0), set.image(0) + 4), (std::vector<uint8_t>{5, 6, 7, 8}));
  EXPECT_EQ(std::vector<uint8_t>(set.image(1) + 8, set.image(1) + 12), (std::vector<uint8_t>{1, 2, 3, 4}));
  // The RGB image's red plane 10 40 70 / 100 130 250 cropped to columns 0..1 (odd column right).
  EXPECT_EQ(std::vector<uint8_t>(set.image(2), set.image(2) + 4), (std::vector<uint8_t>{10, 40, 100, 130}));

  const ImageSet flat = readImageFolder(dir.path().string(), 1, ResizeFilter::Area, false, 1);
  EXPECT_EQ(flat.count, 3);
  EXPECT_EQ(flat.classes, 1);
  EXPECT_EQ(flat.labels, (std::vector<int64_t>{0, 0, 0}));
  EXPECT_EQ(flat.pixels[0], 7);  // mean of 5 6 7 8 = 6.5, rounded half up
}

TEST(ImageData, ImageFolderErrorsNameTheFileOrFolder) {
  TempDir dir;
  writeFile(dir / "c" / "good.png", grayPng(2, 2, {1, 2, 3, 4}));
  std::string bad = grayPng(2, 2, {1, 2, 3, 4});
  bad[chunkData(bad, "IDAT") + 2] ^= 0x11;
  writeFile(dir / "c" / "bad.png", bad);
  expectFileError([&] { readImageFolder(dir.path().string(), 2, ResizeFilter::Area, true); }, {"bad.png", "corrupt PNG"});
  fs::remove(dir / "c" / "bad.png");
  fs::create_directories(dir / "empty_class");
  expectFileError([&] { readImageFolder(dir.path().string(), 2, ResizeFilter::Area, true); }, {"empty_class", "without"});
  TempDir none;
  expectFileError([&] { readImageFolder(none.path().string(), 2, ResizeFilter::Area, false); }, {"no .png"});
  expectFileError([&] { readImageFolder((none / "absent").string(), 2, ResizeFilter::Area, false); }, {"absent", "not a folder"});
}

// ---- preprocessing -----------------------------------------------------------------------

TEST(ImageData, CenteredScalingIsTheBinCentre) {
  const uint8_t k[] = {0, 127, 128, 255};
  float y[4];
  pixelsToCentered(k, 4, y);
  EXPECT_EQ(y[0], -1.0f + 1.0f / 256);
  EXPECT_EQ(y[1], -1.0f / 256);
  EXPECT_EQ(y[2], 1.0f / 256);
  EXPECT_EQ(y[3], 1.0f - 1.0f / 256);
}

TEST(ImageData, DequantizationIsSeededUniformWithinEachBin) {
  // uniform01 is 53 bits of one mt19937_64 draw: the standard's first output for seed 5489.
  std::mt19937_64 first(5489);
  EXPECT_EQ(uniform01(first), static_cast<double>(14514284786278117030ull >> 11) * 0x1.0p-53);

  std::vector<uint8_t> k(20000);
  for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<uint8_t>(i % 256);
  std::vector<float> a(k.size()), b(k.size()), c(k.size());
  std::mt19937_64 r1(7), r2(7), r3(8);
  pixelsToDequantized(k.data(), k.size(), a.data(), r1);
  pixelsToDequantized(k.data(), k.size(), b.data(), r2);
  pixelsToDequantized(k.data(), k.size(), c.data(), r3);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  double meanU = 0;
  for (size_t i = 0; i < k.size(); ++i) {
    const double u = (static_cast<double>(a[i]) + 1.0) * 128.0 - k[i];  // back to u in [0, 1)
    ASSERT_GE(u, -1e-4) << i;
    ASSERT_LT(u, 1.0) << i;
    ASSERT_LT(a[i], 1.0f);
    meanU += u / static_cast<double>(k.size());
  }
  EXPECT_NEAR(meanU, 0.5, 0.01);  // sd of the mean: 0.29 / sqrt(20000) = 0.002
}

TEST(ImageData, DequantizationOffsetIsSevenBitsPerDim) {
  EXPECT_DOUBLE_EQ(dequantLogDetPerDim(), -std::log(128.0));
  EXPECT_DOUBLE_EQ(dequantLogDet(3072), -7.0 * 3072 * std::log(2.0));
  // BPD = -(log p_model + logdet) / (d log 2) = -log p_model / (d log 2) + offset.
  const double logModel = -5000.0, d = 3072;
  EXPECT_NEAR(-(logModel + dequantLogDet(3072)) / (d * std::log(2.0)), -logModel / (d * std::log(2.0)) + bitsPerDimOffset(), 1e-12);
}

TEST(ImageData, FlipAndBatchesAreDeterministic) {
  float img[] = {1, 2, 3, 4, 5, 6};  // 1 channel, 2 rows, 3 columns
  flipHorizontal(img, 1, 2, 3);
  EXPECT_EQ(std::vector<float>(img, img + 6), (std::vector<float>{3, 2, 1, 6, 5, 4}));

  ImageSet set;
  set.count = 2;
  set.channels = 1;
  set.height = 1;
  set.width = 3;
  set.pixels = {0, 100, 200, 10, 20, 30};
  set.source = "mem";
  const int64_t idx[] = {1, 0, 1, 1, 0, 0, 1, 0};
  std::vector<float> out(8 * 3), again(8 * 3);
  PreprocessOptions opt;
  opt.dequantize = false;
  opt.randomFlip = true;
  std::mt19937_64 r1(3), r2(3);
  preprocessBatch(set, idx, 8, out.data(), opt, r1);
  preprocessBatch(set, idx, 8, again.data(), opt, r2);
  EXPECT_EQ(out, again);
  int flipped = 0;
  for (int b = 0; b < 8; ++b) {
    float plain[3];
    pixelsToCentered(set.image(idx[b]), 3, plain);
    const std::vector<float> got(out.begin() + 3 * b, out.begin() + 3 * b + 3);
    if (got == std::vector<float>{plain[2], plain[1], plain[0]}) {
      ++flipped;
    } else {
      EXPECT_EQ(got, (std::vector<float>{plain[0], plain[1], plain[2]})) << b;
    }
  }
  EXPECT_GT(flipped, 0);
  EXPECT_LT(flipped, 8);
  const int64_t badIdx[] = {2};
  EXPECT_THROW(preprocessBatch(set, badIdx, 1, out.data(), opt, r1), InputError);
}

TEST(ImageData, ValidateImageSetNamesTheBrokenInvariant) {
  ImageSet set;
  set.count = 2;
  set.channels = 1;
  set.height = set.width = 2;
  set.pixels.resize(8);
  set.source = "s";
  EXPECT_NO_THROW(validateImageSet(set));
  set.labels = {0, 3};
  set.classes = 3;
  EXPECT_THROW(validateImageSet(set), InputError);
  set.classes = 4;
  EXPECT_NO_THROW(validateImageSet(set));
  set.pixels.resize(7);
  EXPECT_THROW(validateImageSet(set), InputError);
}

}  // namespace

// The fuzzers' checked-in seeds (tests/fuzz/make_image_seeds.py) are what their names say: the
// valid ones read, the broken ones are FileErrors, so each corpus reaches both paths.
namespace {

std::string seed(const std::string& corpus, const std::string& name) {
  std::ifstream in(fs::path(FLOWSCOPE_SOURCE_DIR) / "tests/fuzz/corpus" / corpus / name, std::ios::binary);
  EXPECT_TRUE(in.good()) << corpus << "/" << name;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(ImageData, FuzzSeedsAreValidOrBrokenAsNamed) {
  for (const char* name : {"images_raw.idx", "images.idx.gz", "labels_raw.idx", "labels.idx.gz"})
    EXPECT_NO_THROW(parseIdx(seed("idx", name), name)) << name;
  for (const char* name : {"bad_magic.idx", "truncated.idx.gz", "huge_dims.idx.gz"})
    EXPECT_THROW(parseIdx(seed("idx", name), name), FileError) << name;
  EXPECT_EQ(parseCifar10Batch(seed("cifar", "two_records.bin"), "c").count, 2);
  for (const char* name : {"bad_label.bin", "truncated.bin"})
    EXPECT_THROW(parseCifar10Batch(seed("cifar", name), name), FileError) << name;
  for (const char* name : {"imagenet_stored.npz", "imagenet_deflated_zip64.npz"}) {
    const ImageSet set = readImageNetNpz(ZipArchive::fromBytes(seed("zip", name), name), 2);
    EXPECT_EQ(set.labels, (std::vector<int64_t>{0, 999})) << name;
    EXPECT_EQ(set.pixels, ramp(24)) << name;
  }
  for (const char* name : {"no_data.npz", "bad_crc.npz", "truncated.npz"})
    EXPECT_THROW(readImageNetNpz(ZipArchive::fromBytes(seed("zip", name), name), 2), FileError) << name;
  for (const char* name : {"rgb.png", "gray16.png", "palette.png", "rgba.png", "rgb.jpg", "gray.jpg"})
    EXPECT_NO_THROW(decodeImage(seed("png", name), name, 3)) << name;
  for (const char* name : {"bad_crc.png", "truncated.png", "truncated.jpg"})
    EXPECT_THROW(decodeImage(seed("png", name), name, 3), FileError) << name;
}

}  // namespace
