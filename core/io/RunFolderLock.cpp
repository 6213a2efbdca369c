#include "core/io/RunFolderLock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <string_view>
#include <system_error>

#include "core/io/Printable.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

std::string osError(int err) { return std::generic_category().message(err); }

std::string readAll(int fd) {
  std::string out;
  char buf[1024];
  for (off_t at = 0; out.size() < 4096;) {
    const ssize_t n = ::pread(fd, buf, sizeof buf, at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    at += n;
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\0')) out.pop_back();
  return out;
}

// "pid 123 on host, since 2026-01-01T00:00:00Z: flowscope-cli train --out runs/a"
std::string holderRecord() {
  char host[256] = "?";
  (void)::gethostname(host, sizeof host - 1);
  host[sizeof host - 1] = '\0';
  std::string command;
  const int fd = ::open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    command = readAll(fd);
    ::close(fd);
    for (char& c : command)
      if (c == '\0') c = ' ';
  }
  char since[32] = "?";
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  if (::gmtime_r(&now, &tm)) std::strftime(since, sizeof since, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return "pid " + std::to_string(::getpid()) + " on " + host + ", since " + since + ": " +
         printableExcerpt(command.empty() ? "?" : command, 300) + "\n";
}

}  // namespace

std::string RunFolderLock::lockPath(const std::string& runDir) {
  return (runDir.empty() || runDir.back() == '/' ? runDir : runDir + "/") + ".flowscope-lock";
}

RunFolderLock::RunFolderLock(const std::string& runDir) {
  const std::string path = lockPath(runDir);
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd_ < 0) throw FileError(path + ": cannot create the run folder's lock file: " + osError(errno));
  // flock belongs to the open file description: a second open in this process (another job of
  // the app) conflicts as well as another process does.
  int rc;
  do rc = ::flock(fd_, LOCK_EX | LOCK_NB);
  while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    const int err = errno;
    const std::string holder = err == EWOULDBLOCK ? readAll(fd_) : "";
    ::close(fd_);
    fd_ = -1;
    if (err != EWOULDBLOCK) throw FileError(path + ": cannot lock the run folder: " + osError(err));
    throw InputError(runDir + ": the run folder is in use by another writer (" +
                     (holder.empty() ? std::string("starting up") : holder) +
                     "); wait for it to finish or stop it, or choose another run folder");
  }
  staleHolder_ = readAll(fd_);
  const std::string me = holderRecord();
  // The record only improves messages; the lock is held whether or not it is written.
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] const ssize_t written = ::pwrite(fd_, me.data(), me.size(), 0);
  }
}

RunFolderLock::~RunFolderLock() {
  if (fd_ < 0) return;
  [[maybe_unused]] const int cleared = ::ftruncate(fd_, 0);
  ::close(fd_);  // releases the flock
}

}  // namespace flowscope
