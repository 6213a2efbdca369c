#pragma once
// Whole-file I/O. Writes go to a temporary file in the target's directory and are renamed over
// the target only once complete and fsync'ed, so a crash or a full disk never leaves a
// half-written checkpoint or export behind: readers see either the old file or the new one.

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace flowscope {

/// Reads the whole file into memory. Throws FileError naming `path` and the OS error.
std::string readFileBytes(const std::string& path);

/// Reads user input that must be a regular file of at most `maxBytes` (an experiment YAML):
/// a directory, a device such as /dev/zero or /dev/null, a FIFO or a larger file is a FileError
/// naming `path`, what it is and what was expected; `what` names the file's role ("experiment
/// file"). Never reads more than maxBytes + 1 bytes, even from a file that grows meanwhile.
std::string readBoundedFile(const std::string& path, size_t maxBytes, const std::string& what);

/// Replaces `path` with `bytes` atomically (temp file + fsync + rename). On failure the temp
/// file is removed, any existing file at `path` is untouched, and FileError names `path` and
/// the OS error.
void writeFileAtomic(const std::string& path, std::string_view bytes);

/// Points `link` at the existing file `target` atomically: a hard link when the file system
/// allows, else a copy, made under a temporary name unique to this writer and renamed onto
/// `link`. Throws FileError naming `link` and the OS error; nothing is left behind on failure.
void linkFileAtomic(const std::string& target, const std::string& link);

/// Whether `name` (a file name without folder) is a temporary file of a writer above.
bool isTemporaryFileName(const std::string& name);

/// Removes the temporary files of writers that died before committing from the folder `dir`
/// (not recursive). Call only while holding the folder's lock (RunFolderLock): a live writer's
/// file would be removed too. Returns the names removed.
std::vector<std::string> removeStaleTemporaryFiles(const std::string& dir);

/// Streaming variant of writeFileAtomic: write through stream(), then commit(). Destroying the
/// writer without a successful commit() removes the temp file and leaves `path` untouched.
class AtomicFileWriter {
 public:
  /// Creates the temp file next to `path`; throws FileError if that is impossible.
  explicit AtomicFileWriter(const std::string& path);
  ~AtomicFileWriter();

  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  AtomicFileWriter(AtomicFileWriter&&) noexcept;
  AtomicFileWriter& operator=(AtomicFileWriter&&) noexcept;

  /// The stream to write the content to. Valid until the writer is destroyed.
  std::ostream& stream();

  /// Writes `size` bytes at byte `offset` of the temp file (after flushing stream()), for
  /// content produced out of order. Throws FileError naming path() and the OS error.
  void writeAt(uint64_t offset, const void* data, size_t size);

  /// Flushes, fsyncs and renames the temp file onto `path`. Throws FileError on any failure
  /// (the temp file is then removed). Calling it twice is an error.
  void commit();

  const std::string& path() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace flowscope
