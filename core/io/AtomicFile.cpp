#include "core/io/AtomicFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <streambuf>
#include <system_error>
#include <utility>

#include "core/util/Error.h"

namespace flowscope {
namespace {

// std::generic_category().message is the thread-safe spelling of strerror.
std::string osError(int err) { return std::generic_category().message(err); }

[[noreturn]] void fail(const std::string& path, const std::string& what, int err) {
  throw FileError(path + ": " + what + ": " + osError(err));
}

// Returns 0 or the errno of the failed write; retries short writes and EINTR.
// Writes all of `data` at the file position, or at byte `offset` (pwrite) when it is >= 0.
int writeAll(int fd, const char* data, size_t size, int64_t offset = -1) {
  while (size > 0) {
    const ssize_t n = offset < 0 ? ::write(fd, data, size) : ::pwrite(fd, data, size, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return EIO;
    data += n;
    size -= static_cast<size_t>(n);
    if (offset >= 0) offset += n;
  }
  return 0;
}

struct TempFile {
  int fd = -1;
  std::string path;
};

// The name is unique per process and call, so concurrent writers of the same target (threads or
// processes) never share a temp file; O_EXCL guards against a stale file left by a crash.
std::string temporaryName(const std::string& target) {
  static std::atomic<unsigned long> counter{0};
  return target + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

TempFile createTempFile(const std::string& target) {
  int err = 0;
  std::string tmp;
  for (int attempt = 0; attempt < 100; ++attempt) {
    tmp = temporaryName(target);
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      // Keep the permissions of the file being replaced, as an in-place write would.
      struct stat st {};
      if (::stat(target.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
        (void)::fchmod(fd, st.st_mode & 07777);
      }
      return {fd, tmp};
    }
    err = errno;
    if (err != EEXIST) break;
  }
  fail(target, "cannot create temporary file '" + tmp + "'", err);
}

void discardTempFile(TempFile& tmp) {
  if (tmp.fd >= 0) ::close(tmp.fd);
  tmp.fd = -1;
  if (!tmp.path.empty()) ::unlink(tmp.path.c_str());
  tmp.path.clear();
}

// fsync + close + rename. On failure removes the temp file and throws.
void finishTempFile(TempFile& tmp, const std::string& target) {
  if (::fsync(tmp.fd) != 0) {
    const int err = errno;
    discardTempFile(tmp);
    fail(target, "cannot flush to disk (fsync)", err);
  }
  const int fd = tmp.fd;
  tmp.fd = -1;
  if (::close(fd) != 0) {
    const int err = errno;
    discardTempFile(tmp);
    fail(target, "cannot close temporary file", err);
  }
  if (std::rename(tmp.path.c_str(), target.c_str()) != 0) {
    const int err = errno;
    discardTempFile(tmp);
    fail(target, "cannot replace file with temporary file", err);
  }
  tmp.path.clear();
  // Persist the rename itself. Best effort: the new content is already in place, so a failure
  // here must not report the write as failed.
  const auto slash = target.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : target.substr(0, slash);
  const int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirFd >= 0) {
    (void)::fsync(dirFd);
    ::close(dirFd);
  }
}

// Buffered stream buffer over a file descriptor. It remembers the first errno, so commit() can
// report the real cause (ENOSPC, EFBIG, ...) rather than just "the stream went bad".
class FdStreamBuf : public std::streambuf {
 public:
  FdStreamBuf() { setp(buffer_, buffer_ + sizeof(buffer_)); }
  void setFd(int fd) { fd_ = fd; }
  int error() const noexcept { return error_; }

 protected:
  int_type overflow(int_type ch) override {
    if (!flushBuffer()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }

  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (n < static_cast<std::streamsize>(epptr() - pptr())) return std::streambuf::xsputn(s, n);
    if (!flushBuffer()) return 0;
    if (fd_ < 0) return 0;
    error_ = writeAll(fd_, s, static_cast<size_t>(n));
    return error_ == 0 ? n : 0;
  }

  int sync() override { return flushBuffer() ? 0 : -1; }

 private:
  bool flushBuffer() {
    if (error_ != 0 || fd_ < 0) return false;
    const size_t pending = static_cast<size_t>(pptr() - pbase());
    if (pending > 0) error_ = writeAll(fd_, pbase(), pending);
    setp(buffer_, buffer_ + sizeof(buffer_));
    return error_ == 0;
  }

  char buffer_[1 << 16];
  int fd_ = -1;
  int error_ = 0;
};

}  // namespace

std::string readFileBytes(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(path, "cannot open file", errno);
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    fail(path, "cannot read file", EISDIR);
  }
  std::string bytes;
  if (S_ISREG(st.st_mode) && st.st_size > 0) bytes.reserve(static_cast<size_t>(st.st_size));
  char chunk[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof(chunk));
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      fail(path, "cannot read file", err);
    }
    bytes.append(chunk, static_cast<size_t>(n));
  }
  ::close(fd);
  return bytes;
}

namespace {

std::string fileKind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a pipe";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

}  // namespace

std::string readBoundedFile(const std::string& path, size_t maxBytes, const std::string& what) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is rejected below.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) fail(path, "cannot open " + what, errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    fail(path, "cannot read " + what, err);
  }
  auto reject = [&](const std::string& why) {
    ::close(fd);
    throw FileError(path + ": " + why);
  };
  if (!S_ISREG(st.st_mode))
    reject("is " + fileKind(st.st_mode) + " (expected a regular file: the " + what + ")");
  const std::string limit = std::to_string(maxBytes) + " bytes";
  if (static_cast<unsigned long long>(st.st_size) > maxBytes)
    reject("is " + std::to_string(st.st_size) + " bytes (expected at most " + limit + " for the " +
           what + ")");
  std::string bytes;
  bytes.reserve(static_cast<size_t>(st.st_size));
  char chunk[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof(chunk));
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      fail(path, "cannot read " + what, err);
    }
    bytes.append(chunk, static_cast<size_t>(n));
    if (bytes.size() > maxBytes) reject("grew beyond " + limit + " while being read (expected at most " + limit + " for the " + what + ")");
  }
  ::close(fd);
  return bytes;
}

void writeFileAtomic(const std::string& path, std::string_view bytes) {
  TempFile tmp = createTempFile(path);
  if (const int err = writeAll(tmp.fd, bytes.data(), bytes.size()); err != 0) {
    discardTempFile(tmp);
    fail(path, "cannot write temporary file", err);
  }
  finishTempFile(tmp, path);
}

void linkFileAtomic(const std::string& target, const std::string& link) {
  std::string tmp;
  int err = EEXIST;
  for (int attempt = 0; attempt < 100 && err == EEXIST; ++attempt) {
    tmp = temporaryName(link);
    err = ::link(target.c_str(), tmp.c_str()) == 0 ? 0 : errno;
  }
  if (err != 0 && err != EEXIST) {
    // No hard links here (some network and FUSE file systems): an atomic copy instead.
    try {
      const std::string bytes = readFileBytes(target);
      writeFileAtomic(link, bytes);
      return;
    } catch (const FileError& e) {
      throw FileError(link + ": cannot update link to " + target + " (" + osError(err) +
                      "; copying failed too: " + e.what() + ")");
    }
  }
  if (err != 0) fail(link, "cannot create temporary link '" + tmp + "'", err);
  if (std::rename(tmp.c_str(), link.c_str()) != 0) {
    err = errno;  // saved first: unlink below may change errno
    ::unlink(tmp.c_str());
    fail(link, "cannot replace file with link to " + target, err);
  }
}

bool isTemporaryFileName(const std::string& name) {
  // NAME.tmp-PID-N, and the shared name of older versions, NAME.tmp-link.
  const size_t at = name.rfind(".tmp-");
  if (at == std::string::npos || at == 0) return false;
  const std::string tail = name.substr(at + 5);
  if (tail == "link") return true;
  const size_t dash = tail.find('-');
  if (dash == std::string::npos || dash == 0 || dash + 1 == tail.size()) return false;
  for (size_t i = 0; i < tail.size(); ++i)
    if (i != dash && (tail[i] < '0' || tail[i] > '9')) return false;
  return true;
}

std::vector<std::string> removeStaleTemporaryFiles(const std::string& dir) {
  std::vector<std::string> removed;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    std::error_code kind;
    if (!isTemporaryFileName(name) || !entry.is_regular_file(kind)) continue;
    if (::unlink(entry.path().c_str()) == 0) removed.push_back(name);
  }
  return removed;
}

struct AtomicFileWriter::Impl {
  explicit Impl(const std::string& target) : path(target), tmp(createTempFile(target)) {
    buf.setFd(tmp.fd);
  }
  ~Impl() { discardTempFile(tmp); }  // no-op after a successful commit

  std::string path;
  TempFile tmp;
  FdStreamBuf buf;
  std::ostream os{&buf};
  bool committed = false;
};

AtomicFileWriter::AtomicFileWriter(const std::string& path) : impl_(std::make_unique<Impl>(path)) {}
AtomicFileWriter::~AtomicFileWriter() = default;
AtomicFileWriter::AtomicFileWriter(AtomicFileWriter&&) noexcept = default;
AtomicFileWriter& AtomicFileWriter::operator=(AtomicFileWriter&&) noexcept = default;

std::ostream& AtomicFileWriter::stream() {
  if (!impl_) throw std::logic_error("AtomicFileWriter::stream() on a moved-from writer");
  return impl_->os;
}

const std::string& AtomicFileWriter::path() const noexcept {
  static const std::string empty;
  return impl_ ? impl_->path : empty;
}

void AtomicFileWriter::writeAt(uint64_t offset, const void* data, size_t size) {
  if (!impl_) throw std::logic_error("AtomicFileWriter::writeAt() on a moved-from writer");
  Impl& d = *impl_;
  if (d.committed || d.tmp.fd < 0) throw std::logic_error("AtomicFileWriter::writeAt() after commit for " + d.path);
  d.os.flush();
  if (const int err = writeAll(d.tmp.fd, static_cast<const char*>(data), size, static_cast<int64_t>(offset)); err != 0)
    fail(d.path, "cannot write temporary file", err);
}

void AtomicFileWriter::commit() {
  if (!impl_) throw std::logic_error("AtomicFileWriter::commit() on a moved-from writer");
  Impl& d = *impl_;
  if (d.committed) throw std::logic_error("AtomicFileWriter::commit() called twice for " + d.path);
  if (d.tmp.fd < 0) throw FileError(d.path + ": cannot commit after an earlier failed commit");
  d.os.flush();
  if (!d.os || d.buf.error() != 0) {
    const int err = d.buf.error() != 0 ? d.buf.error() : EIO;
    discardTempFile(d.tmp);
    fail(d.path, "cannot write temporary file", err);
  }
  finishTempFile(d.tmp, d.path);
  d.committed = true;
}

}  // namespace flowscope
