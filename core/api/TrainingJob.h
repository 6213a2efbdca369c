#pragma once
// One training run on its own worker thread, controlled without blocking the caller: start,
// pause, resume, single steps, stop. Progress, evaluations, state changes and weight snapshots
// arrive through callbacks *on the worker thread* as plain values; front ends forward them to
// their own thread (the GUI through queued signals, coalesced by a timer). Torch-free.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/api/FlowModel.h"
#include "core/config/ExperimentConfig.h"

namespace flowscope {

struct ProgressSnapshot {
  int64_t step = 0;
  int64_t totalSteps = 0;
  double loss = 0;
  double lossMean = 0;
  double lr = 0;
  double itPerSec = 0;
  double elapsedSec = 0;
};

struct EvalSnapshot {
  int64_t step = 0;
  std::map<std::string, double> values;
};

enum class JobState {
  Starting,  ///< building the model, loading a checkpoint
  Running,
  Paused,
  Finished,  ///< reached training.steps; checkpoint written
  Stopped,   ///< stopped by the user; checkpoint written
  Failed,    ///< see message; the last checkpoint on disk is the last good one
};

const char* jobStateName(JobState state);

struct JobStatus {
  JobState state = JobState::Starting;
  int64_t step = 0;
  int64_t lastCheckpointStep = -1;
  std::string device;
  std::string message;  ///< the error for Failed, else informational
};

struct JobCallbacks {
  std::function<void(const ProgressSnapshot&)> progress;
  std::function<void(const EvalSnapshot&)> evaluated;
  std::function<void(const JobStatus&)> status;
  /// A copy of the EMA weights, at most every weightsIntervalMs while running and at every pause,
  /// stop and finish.
  std::function<void(FlowModelPtr)> weights;
  double progressIntervalMs = 100;
  double weightsIntervalMs = 2000;
  /// Run the worker (and its OpenMP team) at a lower priority than the caller: an app keeps its
  /// event loop responsive when training saturates the cores.
  bool lowPriority = false;
};

enum class StartPolicy { Fresh, Resume, ResumeIfAny };

class TrainingJob {
 public:
  /// Creates the worker thread, which builds the trainer and then waits in Paused state (or runs
  /// at once when `runImmediately`). Never blocks on training.
  TrainingJob(ExperimentConfig config, std::string runDir, StartPolicy policy, JobCallbacks callbacks,
              bool runImmediately = true);
  /// Stops (writing a checkpoint) and joins: waits at most for the step in progress.
  ~TrainingJob();
  TrainingJob(const TrainingJob&) = delete;
  TrainingJob& operator=(const TrainingJob&) = delete;

  void resume();           ///< run until the end, stop or pause
  void pause();            ///< after the current step
  void step(int64_t n = 1);  ///< run n steps, then pause
  void stop();             ///< checkpoint and end the worker
  /// LibTorch CPU threads for this job (0: all cores), applied between steps on the worker
  /// thread. OpenMP teams are per calling thread: two jobs with all cores each oversubscribe.
  void setThreads(int threads);
  /// Blocks until the worker has ended (tests, scripted runs). Returns the final status.
  JobStatus wait();

  JobStatus status() const;
  const std::string& runDir() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace flowscope
