#pragma once
// A frozen copy of a model's weights (an EMA snapshot from a running job, or a checkpoint), as an
// opaque handle. Torch-free: the GUI holds std::shared_ptr<const FlowModel> and passes it back to
// the query functions in core/api/Queries.h, which run on worker threads.

#include <cstdint>
#include <memory>
#include <string>

#include "core/config/ExperimentConfig.h"

namespace flowscope {

class TrainedFlow;

class FlowModel {
 public:
  explicit FlowModel(std::shared_ptr<const TrainedFlow> flow, std::string runDir = "");

  const ExperimentConfig& config() const;
  int64_t step() const;
  const std::string& runDir() const { return runDir_; }
  /// The model's time range: [0, 1], or [0, 1 - eps] on the VP path.
  double tMin() const;
  double tMax() const;
  /// A process-unique id: views cache per model and recompute when it changes.
  uint64_t id() const { return id_; }

  const TrainedFlow& flow() const { return *flow_; }

 private:
  std::shared_ptr<const TrainedFlow> flow_;
  std::string runDir_;
  uint64_t id_;
};

using FlowModelPtr = std::shared_ptr<const FlowModel>;

/// Loads a checkpoint ("latest" or a step) of a run folder onto the CPU. Throws InputError or
/// FileError naming the folder or file.
FlowModelPtr loadFlowModel(const std::string& runDir, const std::string& checkpoint = "latest",
                           bool ema = true);

}  // namespace flowscope
