// Tests for core/io/AtomicFile: the replace-or-nothing guarantee, including when the write
// itself fails halfway (simulated with RLIMIT_FSIZE) and when the final rename fails.

#include "core/io/AtomicFile.h"
#include "core/io/NpyFileWriter.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/util/Error.h"

namespace fs = std::filesystem;
using flowscope::AtomicFileWriter;
using flowscope::FileError;
using flowscope::readFileBytes;
using flowscope::writeFileAtomic;
using flowscope::encodeNpy;
using flowscope::NpyDtype;
using flowscope::NpyFileWriter;

namespace {

// A fresh directory per test, removed afterwards.
class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("flowscope-AtomicFileTest-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(dir_, ec);
  }

  std::string file(const std::string& name) const { return (dir_ / name).string(); }

  // Every entry in the test directory, so leftover temp files are caught.
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

  static std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }

  static void spit(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
  }

  fs::path dir_;
};

// Makes writes past `bytes` fail with EFBIG for the lifetime of the guard.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    oldHandler_ = std::signal(SIGXFSZ, SIG_IGN);  // otherwise the process is killed
    ::getrlimit(RLIMIT_FSIZE, &old_);
    rlimit limit = old_;
    limit.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, oldHandler_);
  }

 private:
  rlimit old_{};
  void (*oldHandler_)(int) = nullptr;
};

std::string pattern(size_t size) {
  std::string s(size, '\0');
  for (size_t i = 0; i < size; ++i) s[i] = static_cast<char>((i * 7919) % 251);
  return s;
}

template <typename F>
std::string fileErrorMessage(F&& f) {
  try {
    f();
  } catch (const FileError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a FileError";
  return {};
}

TEST_F(AtomicFileTest, WritesNewFileWithoutLeftovers) {
  const std::string bytes = pattern(100000);  // binary, with NULs
  writeFileAtomic(file("out.bin"), bytes);
  EXPECT_EQ(slurp(file("out.bin")), bytes);
  EXPECT_EQ(entries(), std::vector<std::string>{"out.bin"});
}

TEST_F(AtomicFileTest, ReplacesExistingFile) {
  spit(file("out.txt"), "old content that is longer than the new one");
  writeFileAtomic(file("out.txt"), "new");
  EXPECT_EQ(slurp(file("out.txt")), "new");
  writeFileAtomic(file("out.txt"), "");
  EXPECT_EQ(slurp(file("out.txt")), "");
  EXPECT_EQ(entries(), std::vector<std::string>{"out.txt"});
}

TEST_F(AtomicFileTest, KeepsPermissionsOfReplacedFile) {
  spit(file("secret"), "x");
  fs::permissions(file("secret"), fs::perms::owner_read | fs::perms::owner_write);
  writeFileAtomic(file("secret"), "y");
  EXPECT_EQ(fs::status(file("secret")).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(AtomicFileTest, NonexistentDirectoryThrowsAndCreatesNothing) {
  const std::string path = file("missing/out.txt");
  const std::string msg = fileErrorMessage([&] { writeFileAtomic(path, "data"); });
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("No such file or directory"), std::string::npos) << msg;
  EXPECT_TRUE(entries().empty());
}

TEST_F(AtomicFileTest, FailedWriteLeavesOldContentAndNoTempFile) {
  spit(file("data.bin"), "precious");
  const std::string path = file("data.bin");
  std::string msg;
  {
    FileSizeLimit limit(4096);
    msg = fileErrorMessage([&] { writeFileAtomic(path, pattern(100000)); });
  }
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("File too large"), std::string::npos) << msg;
  EXPECT_EQ(slurp(path), "precious");
  EXPECT_EQ(entries(), std::vector<std::string>{"data.bin"});
}

TEST_F(AtomicFileTest, FailedRenameLeavesTargetAndNoTempFile) {
  // A non-empty directory cannot be replaced by a file: the rename is what fails.
  fs::create_directories(file("target/child"));
  const std::string path = file("target");
  const std::string msg = fileErrorMessage([&] { writeFileAtomic(path, "data"); });
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_TRUE(fs::is_directory(file("target/child")));
  EXPECT_EQ(entries(), std::vector<std::string>{"target"});
}

TEST_F(AtomicFileTest, UnwritableDirectoryLeavesOldContent) {
  spit(file("keep.txt"), "old");
  fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec);
  if (::access(dir_.c_str(), W_OK) == 0) {
    fs::permissions(dir_, fs::perms::owner_all);
    GTEST_SKIP() << "running with privileges that ignore directory permissions";
  }
  const std::string msg = fileErrorMessage([&] { writeFileAtomic(file("keep.txt"), "new"); });
  fs::permissions(dir_, fs::perms::owner_all);
  EXPECT_NE(msg.find(file("keep.txt")), std::string::npos) << msg;
  EXPECT_NE(msg.find("Permission denied"), std::string::npos) << msg;
  EXPECT_EQ(slurp(file("keep.txt")), "old");
  EXPECT_EQ(entries(), std::vector<std::string>{"keep.txt"});
}

TEST_F(AtomicFileTest, WriterCommitWritesStreamedContent) {
  spit(file("log.csv"), "old");
  const std::string big = pattern(300000);  // several times the writer's buffer
  {
    AtomicFileWriter writer(file("log.csv"));
    writer.stream() << "header\n";
    writer.stream().write(big.data(), static_cast<std::streamsize>(big.size()));
    for (int i = 0; i < 1000; ++i) writer.stream() << i << ',';
    EXPECT_EQ(slurp(file("log.csv")), "old");  // nothing visible before commit
    writer.commit();
  }
  std::string expected = "header\n" + big;
  for (int i = 0; i < 1000; ++i) expected += std::to_string(i) + ",";
  EXPECT_EQ(slurp(file("log.csv")), expected);
  EXPECT_EQ(entries(), std::vector<std::string>{"log.csv"});
}

TEST_F(AtomicFileTest, WriterWithoutCommitLeavesNothing) {
  {
    AtomicFileWriter writer(file("new.txt"));
    writer.stream() << "never committed";
    writer.stream().flush();
    EXPECT_EQ(entries().size(), 1u);  // the temp file exists while writing
  }
  EXPECT_TRUE(entries().empty());
}

TEST_F(AtomicFileTest, WriterWithoutCommitKeepsOldContent) {
  spit(file("old.txt"), "old");
  {
    AtomicFileWriter writer(file("old.txt"));
    writer.stream() << pattern(200000);
  }
  EXPECT_EQ(slurp(file("old.txt")), "old");
  EXPECT_EQ(entries(), std::vector<std::string>{"old.txt"});
}

TEST_F(AtomicFileTest, WriterInNonexistentDirectoryThrows) {
  const std::string path = file("nope/x.txt");
  const std::string msg = fileErrorMessage([&] { AtomicFileWriter writer(path); });
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_TRUE(entries().empty());
}

TEST_F(AtomicFileTest, WriterFailedWriteThrowsOnCommitAndCleansUp) {
  spit(file("w.bin"), "precious");
  std::string msg;
  {
    FileSizeLimit limit(4096);
    AtomicFileWriter writer(file("w.bin"));
    writer.stream() << pattern(200000);
    msg = fileErrorMessage([&] { writer.commit(); });
  }
  EXPECT_NE(msg.find(file("w.bin")), std::string::npos) << msg;
  EXPECT_NE(msg.find("File too large"), std::string::npos) << msg;
  EXPECT_EQ(slurp(file("w.bin")), "precious");
  EXPECT_EQ(entries(), std::vector<std::string>{"w.bin"});
}

TEST_F(AtomicFileTest, WriterCommitTwiceIsALogicError) {
  AtomicFileWriter writer(file("twice.txt"));
  writer.stream() << "a";
  writer.commit();
  EXPECT_THROW(writer.commit(), std::logic_error);
  EXPECT_EQ(slurp(file("twice.txt")), "a");
}

TEST_F(AtomicFileTest, WriterMoveTransfersOwnership) {
  {
    AtomicFileWriter a(file("moved.txt"));
    a.stream() << "moved";
    AtomicFileWriter b(std::move(a));
    b.stream() << "!";
    b.commit();
  }  // destroying the moved-from `a` must not touch the committed file
  EXPECT_EQ(slurp(file("moved.txt")), "moved!");
  EXPECT_EQ(entries(), std::vector<std::string>{"moved.txt"});
}

TEST_F(AtomicFileTest, ReadFileBytesReadsAndReportsErrors) {
  const std::string bytes = pattern(70000);
  spit(file("in.bin"), bytes);
  EXPECT_EQ(readFileBytes(file("in.bin")), bytes);

  std::string msg = fileErrorMessage([&] { readFileBytes(file("absent.bin")); });
  EXPECT_NE(msg.find(file("absent.bin")), std::string::npos) << msg;
  EXPECT_NE(msg.find("No such file or directory"), std::string::npos) << msg;

  msg = fileErrorMessage([&] { readFileBytes(dir_.string()); });
  EXPECT_NE(msg.find("Is a directory"), std::string::npos) << msg;
}

// ---- NpyFileWriter: a .npy written in blocks, out of order, committed atomically -----------

TEST_F(AtomicFileTest, NpyFileWriterBlocksOutOfOrderEqualOneShotEncoding) {
  const std::vector<int64_t> shape{3, 5, 2};
  std::vector<float> values(30);
  for (size_t i = 0; i < values.size(); ++i) values[i] = 0.25f * static_cast<float>(i) - 3.0f;
  {
    NpyFileWriter out(file("a.npy"), shape, NpyDtype::F32);
    out.write(20, values.data() + 20, 10);
    out.write(0, values.data(), 7);
    out.write(7, values.data() + 7, 13);
    EXPECT_FALSE(fs::exists(file("a.npy")));  // nothing at the path before commit
    out.commit();
  }
  EXPECT_EQ(readFileBytes(file("a.npy")), encodeNpy(shape, values.data()));
  EXPECT_EQ(entries(), std::vector<std::string>{"a.npy"});

  std::vector<double> d{1.5, -2.0, 1e-310};
  NpyFileWriter f64(file("b.npy"), {3}, NpyDtype::F64);
  f64.write(0, d.data(), 3);
  f64.commit();
  EXPECT_EQ(readFileBytes(file("b.npy")), encodeNpy({3}, d.data()));
}

TEST_F(AtomicFileTest, NpyFileWriterRefusesGapsOverlapsAndWrongTypes) {
  std::vector<float> v(10, 1.0f);
  {
    NpyFileWriter out(file("gap.npy"), {10}, NpyDtype::F32);
    out.write(0, v.data(), 4);
    EXPECT_THROW(out.write(3, v.data(), 2), std::logic_error);   // overlaps [0, 4)
    EXPECT_THROW(out.write(8, v.data(), 3), std::logic_error);   // past the end
    EXPECT_THROW(out.write(-1, v.data(), 1), std::logic_error);
    const double one = 1;
    EXPECT_THROW(out.write(5, &one, 1), std::logic_error);        // f8 into an f4 file
    out.write(6, v.data(), 4);
    EXPECT_EQ(out.elementsWritten(), 8);
    EXPECT_THROW(out.commit(), std::logic_error);                // [4, 6) never written
  }
  // A writer that never committed leaves neither the file nor its temp file.
  EXPECT_TRUE(entries().empty());
  EXPECT_THROW(NpyFileWriter(file("missing/x.npy"), {1}, NpyDtype::F32), FileError);
}

}  // namespace
