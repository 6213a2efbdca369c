#pragma once
// The advisory lock of a run folder: one writer at a time (a CLI train or resume, an app's
// training job). It is a flock on RUN/.flowscope-lock, which also records the holder (pid, host,
// command, start time) for the message another writer gets. The kernel drops a flock when its
// process dies, so a lock left by a killed writer is taken over by the next one.

#include <string>

namespace flowscope {

class RunFolderLock {
 public:
  /// Takes the lock of the existing folder `runDir`, without waiting. Throws InputError naming
  /// the folder and the holder when another writer (process or thread) holds it, FileError when
  /// the lock file cannot be created.
  explicit RunFolderLock(const std::string& runDir);
  /// Releases the lock (and clears the holder record, so the next taker knows it was released).
  ~RunFolderLock();
  RunFolderLock(const RunFolderLock&) = delete;
  RunFolderLock& operator=(const RunFolderLock&) = delete;

  /// The holder record found when the lock was taken over from a writer that died holding it;
  /// empty when the lock had been released normally.
  const std::string& staleHolder() const { return staleHolder_; }

  static std::string lockPath(const std::string& runDir);

 private:
  int fd_ = -1;
  std::string staleHolder_;
};

}  // namespace flowscope
