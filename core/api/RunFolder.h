#pragma once
// A run folder as the app sees it (the layout is core/train/RunDirectory.h): its experiment, its
// checkpoints and its logged history, as the same value types a live TrainingJob reports.

#include <cstdint>
#include <string>
#include <vector>

#include "core/api/TrainingJob.h"
#include "core/config/ExperimentConfig.h"

namespace flowscope {

/// metrics.csv as snapshots: one ProgressSnapshot per logged row, one EvalSnapshot per row with
/// evaluation columns.
struct RunHistory {
  std::vector<ProgressSnapshot> progress;
  std::vector<EvalSnapshot> evals;
  /// Damaged metrics.csv lines that were skipped (file:line: what was wrong); the rest is read.
  std::vector<std::string> warnings;
};

/// The resolved experiment of RUN/config.yaml. Throws InputError naming the file.
ExperimentConfig readRunConfig(const std::string& runDir);
/// RUN/metrics.csv (empty when absent). Throws FileError naming the file and line.
RunHistory readRunHistory(const std::string& runDir, int64_t totalSteps);
bool runHasCheckpoint(const std::string& runDir);
/// Steps of RUN/checkpoints/step_*.pt, ascending.
std::vector<int64_t> runCheckpointSteps(const std::string& runDir);

}  // namespace flowscope
