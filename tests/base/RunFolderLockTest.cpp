// Tests for core/io/RunFolderLock (two processes on one run folder, a holder that dies, two
// writers in one process), core/io/Crc32, and the temporary files of core/io/AtomicFile
// (unique per writer, recognised and removed when stale, errors that keep the OS error).

#include "core/io/RunFolderLock.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/io/AtomicFile.h"
#include "core/io/Crc32.h"
#include "core/util/Error.h"

namespace fs = std::filesystem;
using namespace flowscope;

namespace {

class RunFolderLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = (fs::temp_directory_path() /
            ("flowscope-RunFolderLockTest-" + std::string(info->name()) + "-" + std::to_string(::getpid())))
               .string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

// A child process that takes the lock, reports on `ready`, then waits for a byte on `go` and
// exits with _exit (no destructor: the kernel releases the flock, as when a writer is killed).
pid_t spawnHolder(const std::string& dir, int& readyFd, int& goFd) {
  int ready[2], go[2];
  if (::pipe(ready) != 0 || ::pipe(go) != 0) return -1;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(ready[0]);
    ::close(go[1]);
    char ok = 'n';
    try {
      new RunFolderLock(dir);  // leaked on purpose: released only by process exit
      ok = 'y';
    } catch (...) {
    }
    [[maybe_unused]] auto w = ::write(ready[1], &ok, 1);
    char c;
    [[maybe_unused]] auto r = ::read(go[0], &c, 1);
    ::_exit(0);
  }
  ::close(ready[1]);
  ::close(go[0]);
  readyFd = ready[0];
  goFd = go[1];
  return pid;
}

}  // namespace

TEST_F(RunFolderLockTest, SecondProcessIsRefusedNamingTheHolderThenTakesOverWhenItDies) {
  int readyFd = -1, goFd = -1;
  const pid_t child = spawnHolder(dir_, readyFd, goFd);
  ASSERT_GT(child, 0);
  char ok = 0;
  ASSERT_EQ(::read(readyFd, &ok, 1), 1);
  ASSERT_EQ(ok, 'y');
  try {
    RunFolderLock second(dir_);
    ADD_FAILURE() << "a second writer took the lock of a held folder";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(dir_), std::string::npos) << msg;
    EXPECT_NE(msg.find("in use by another writer"), std::string::npos) << msg;
    EXPECT_NE(msg.find("pid " + std::to_string(child)), std::string::npos) << msg;
    EXPECT_NE(msg.find("flowscope_base_tests"), std::string::npos) << msg;  // the command
  }
  // The holder dies without releasing: the lock is free and its record says who it was.
  ASSERT_EQ(::write(goFd, "x", 1), 1);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  RunFolderLock taken(dir_);
  EXPECT_NE(taken.staleHolder().find("pid " + std::to_string(child)), std::string::npos)
      << taken.staleHolder();
  ::close(readyFd);
  ::close(goFd);
}

TEST_F(RunFolderLockTest, TwoWritersInOneProcessConflictAndARelasedLockIsNotStale) {
  {
    RunFolderLock first(dir_);
    EXPECT_TRUE(first.staleHolder().empty());
    EXPECT_THROW(RunFolderLock second(dir_), InputError);
  }
  RunFolderLock again(dir_);
  EXPECT_TRUE(again.staleHolder().empty()) << again.staleHolder();
}

TEST_F(RunFolderLockTest, MissingFolderIsAFileErrorNamingTheLockFile) {
  try {
    RunFolderLock lock(dir_ + "/missing");
    FAIL();
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find(dir_ + "/missing/.flowscope-lock"), std::string::npos) << e.what();
  }
}

TEST(Crc32, MatchesTheStandardCheckValueAndContinues) {
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u);  // the CRC-32/ISO-HDLC check value
  EXPECT_EQ(crc32(""), 0u);
  EXPECT_EQ(crc32("56789", crc32("1234")), 0xCBF43926u);
  EXPECT_NE(crc32("123456788"), crc32("123456789"));
}

TEST_F(RunFolderLockTest, TemporaryNamesAreRecognisedAndStaleOnesRemoved) {
  for (const char* name : {"latest.pt.tmp-link", "step_00000010.pt.tmp-123-0", "config.yaml.tmp-9-41"})
    EXPECT_TRUE(isTemporaryFileName(name)) << name;
  for (const char* name : {"latest.pt", "notes.tmp-x", ".tmp-1-2", "a.tmp-1-", "a.tmp--2", "a.tmp-1-2x"})
    EXPECT_FALSE(isTemporaryFileName(name)) << name;
  for (const char* name : {"latest.pt.tmp-link", "config.yaml.tmp-9-41", "keep.txt", "notes.tmp-x"})
    std::ofstream(dir_ + "/" + name) << "x";
  fs::create_directories(dir_ + "/sub.tmp-1-2");  // a folder is never removed
  auto removed = removeStaleTemporaryFiles(dir_);
  std::sort(removed.begin(), removed.end());
  EXPECT_EQ(removed, (std::vector<std::string>{"config.yaml.tmp-9-41", "latest.pt.tmp-link"}));
  EXPECT_TRUE(fs::exists(dir_ + "/keep.txt"));
  EXPECT_TRUE(fs::exists(dir_ + "/notes.tmp-x"));
  EXPECT_TRUE(fs::exists(dir_ + "/sub.tmp-1-2"));
}

TEST_F(RunFolderLockTest, LinkFileAtomicReplacesTheLinkAndReportsTheRealError) {
  std::ofstream(dir_ + "/a") << "first";
  std::ofstream(dir_ + "/b") << "second";
  linkFileAtomic(dir_ + "/a", dir_ + "/latest");
  linkFileAtomic(dir_ + "/b", dir_ + "/latest");
  EXPECT_TRUE(fs::equivalent(dir_ + "/b", dir_ + "/latest"));
  EXPECT_EQ(removeStaleTemporaryFiles(dir_), std::vector<std::string>{});  // nothing left behind
  // Replacing a folder fails; the message keeps the cause (it used to say "(Success)").
  fs::create_directories(dir_ + "/folder/inner");
  try {
    linkFileAtomic(dir_ + "/a", dir_ + "/folder");
    FAIL();
  } catch (const FileError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find("Success"), std::string::npos) << msg;
    EXPECT_NE(msg.find("Is a directory"), std::string::npos) << msg;
  }
  EXPECT_EQ(removeStaleTemporaryFiles(dir_), std::vector<std::string>{});
}
