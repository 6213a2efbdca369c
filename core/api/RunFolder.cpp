#include "core/api/RunFolder.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/config/ConfigYaml.h"
#include "core/train/MetricsLog.h"
#include "core/train/RunDirectory.h"

namespace flowscope {

ExperimentConfig readRunConfig(const std::string& runDir) {
  return loadExperiment(RunDirectory(runDir).configPath());
}

RunHistory readRunHistory(const std::string& runDir, int64_t totalSteps) {
  RunHistory history;
  const RunDirectory run(runDir);
  if (!std::filesystem::exists(run.metricsPath())) return history;
  const MetricsTable table = readMetrics(run.metricsPath());
  history.warnings = table.warnings;
  const int step = table.columnIndex("step"), loss = table.columnIndex("loss"),
            lr = table.columnIndex("lr"), its = table.columnIndex("it_per_s"),
            elapsed = table.columnIndex("elapsed_s");
  if (step < 0) return history;
  static const std::vector<std::string> trainColumns{"step", "loss", "lr", "it_per_s", "elapsed_s", "eval_s"};
  const auto cell = [](const std::vector<double>& row, int c) { return c >= 0 ? row[c] : NAN; };
  for (const auto& row : table.rows) {
    ProgressSnapshot p;
    p.step = static_cast<int64_t>(row[step]);
    p.totalSteps = totalSteps;
    p.loss = p.lossMean = cell(row, loss);
    p.lr = cell(row, lr);
    p.itPerSec = cell(row, its);
    p.elapsedSec = cell(row, elapsed);
    history.progress.push_back(p);
    EvalSnapshot e;
    e.step = p.step;
    for (size_t c = 0; c < table.columns.size(); ++c)
      if (std::find(trainColumns.begin(), trainColumns.end(), table.columns[c]) == trainColumns.end() &&
          !std::isnan(row[c]))
        e.values[table.columns[c]] = row[c];
    if (!e.values.empty()) history.evals.push_back(std::move(e));
  }
  return history;
}

bool runHasCheckpoint(const std::string& runDir) { return RunDirectory(runDir).hasCheckpoint(); }

std::vector<int64_t> runCheckpointSteps(const std::string& runDir) {
  return RunDirectory(runDir).checkpointSteps();
}

}  // namespace flowscope
