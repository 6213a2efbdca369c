#pragma once
// The layout of a run folder, shared by the CLI, the GUI and the trainer:
//   RUN/config.yaml            resolved experiment
//   RUN/metrics.csv            one row every training.log_every steps (and evaluations)
//   RUN/checkpoints/step_00001000.pt, RUN/checkpoints/latest.pt
//   RUN/samples/               sample files written by the CLI and the app
//   RUN/.flowscope-lock        the writer's lock and who holds it (core/io/RunFolderLock.h)
// Checkpoints end in a CRC-32 trailer (core/train/Checkpoint.h); NAME.tmp-PID-N files are
// temporary files of a writer, removed as stale by the next one that takes the lock.

#include <cstdint>
#include <string>
#include <vector>

namespace flowscope {

class RunDirectory {
 public:
  explicit RunDirectory(std::string root);

  const std::string& root() const { return root_; }
  std::string configPath() const;
  std::string metricsPath() const;
  std::string checkpointDir() const;
  std::string samplesDir() const;
  std::string checkpointPath(int64_t step) const;
  std::string latestCheckpointPath() const;

  /// Creates the folder and its subfolders; throws FileError.
  void create() const;
  bool hasCheckpoint() const;
  /// Steps of the step_*.pt files present, ascending.
  std::vector<int64_t> checkpointSteps() const;
  /// "latest" or a step number -> file path; throws InputError naming `what` when absent.
  std::string resolveCheckpoint(const std::string& which, const std::string& what = "--checkpoint") const;

 private:
  std::string root_;
};

}  // namespace flowscope
