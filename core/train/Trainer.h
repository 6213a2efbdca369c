#pragma once
// Owns one training run: model, EMA, Adam, learning-rate schedule, data, RNG, checkpoints and
// metrics.csv. Synchronous: the caller's thread trains (the CLI's main thread, or a worker thread
// of the app through core/api), reports progress through a callback and stops when asked.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/config/ExperimentConfig.h"

namespace flowscope {

/// A progress record: plain values, safe to copy across threads.
struct TrainProgress {
  int64_t step = 0;        ///< optimizer steps completed
  int64_t totalSteps = 0;
  double loss = 0;         ///< loss of the last step
  double lossMean = 0;     ///< mean loss since the previous progress record
  double lr = 0;
  double itPerSec = 0;     ///< steps per second since the previous record
  double elapsedSec = 0;   ///< training time in this process
};

/// Metrics from an evaluation (column name -> value), e.g. NFE and sample quality.
using EvalValues = std::map<std::string, double>;

class Trainer;
class Communicator;

/// Data parallelism (core/dist): this process is one rank of a run launched by torchrun. Every
/// rank trains its shard of each batch (core/dist/BatchShard.h) and gradients are averaged; rank
/// 0 alone writes the run folder (checkpoints, metrics, evaluations), the others read it on
/// resume, so it must be on a filesystem every rank sees.
struct TrainerDistribution {
  Communicator* comm = nullptr;  ///< null: a single process
  int localRank = 0;             ///< CUDA runs use cuda:localRank
};

struct TrainerHooks {
  std::function<void(const TrainProgress&)> progress;  ///< at most every progressIntervalMs
  double progressIntervalMs = 200;
  std::function<void(int64_t step, const std::string& path)> checkpointWritten;
  /// Called every evaluation.every steps; its values go into metrics.csv (columns below).
  std::function<EvalValues(Trainer&)> evaluate;
  std::vector<std::string> evalColumns;
  std::function<void(int64_t step, const EvalValues&)> evaluated;
  /// Things the user should know that do not stop the run: a damaged checkpoint skipped on
  /// resume, damaged metrics.csv rows dropped, a stale lock taken over, stale temp files removed.
  std::function<void(const std::string&)> warning;
};

enum class StartMode {
  Fresh,         ///< new run; an existing checkpoint in the folder is an error
  Resume,        ///< continue from RUN/checkpoints/latest.pt; missing is an error
  ResumeIfAny,   ///< resume when a checkpoint exists, else start fresh
};

class Trainer {
 public:
  /// Prepares the run folder, builds everything and (when resuming) restores the newest intact
  /// checkpoint whose stored experiment agrees with `config` (core/train/ResumeGuard.h). Holds
  /// the folder's lock (core/io/RunFolderLock.h) until destroyed. Throws ConfigError/FileError/
  /// InputError (another writer holds the folder, naming it).
  /// With `dist.comm`, every rank constructs its Trainer together (a collective): all succeed or
  /// all throw, a rank that failed with its own error and the others naming it.
  Trainer(ExperimentConfig config, const std::string& runDir, StartMode mode,
          TrainerHooks hooks = {}, TrainerDistribution dist = {});
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  /// Trains until training.steps, `maxSteps` more steps (< 0: no limit) or `stop` becomes true,
  /// then writes a checkpoint (unless nothing changed or `checkpointAtEnd` is false). Returns the
  /// steps done. A NaN or infinite
  /// loss throws NonFiniteLossError before the weights are touched; the last checkpoint on disk
  /// stays the last good one.
  int64_t train(int64_t maxSteps = -1, const std::atomic<bool>* stop = nullptr,
                bool checkpointAtEnd = true);

  /// Writes RUN/checkpoints/step_N.pt and latest.pt, pruning old step files (rank 0 only; other
  /// ranks just note the step).
  void saveCheckpoint();
  /// Seconds this process spent in collectives (loss agreement and gradient all-reduce; waiting
  /// for slower ranks included) since it was built.
  double communicationSeconds() const;

  int64_t step() const;
  bool finished() const;
  const ExperimentConfig& config() const;
  const std::string& runDir() const;
  std::string deviceDescription() const;
  int64_t lastCheckpointStep() const;

  struct State;  ///< LibTorch objects (model, EMA, optimizer, data...), private to the engine
  State& state();

 private:
  void setUp(StartMode mode, int localRank);  ///< the constructor's work on this rank
  void restore();  ///< the newest intact checkpoint, guarded; see the constructor
  std::unique_ptr<State> s_;
};

}  // namespace flowscope
