#include "core/api/Sweeps.h"

#include "core/api/Queries.h"
#include "core/data/Dataset2D.h"
#include "core/eval/NfeSweep.h"
#include "core/train/TrainedFlow.h"

namespace flowscope {

SweepResult sweepModel(const FlowModel& model, const SweepSpec& spec,
                       const std::function<void(int, int)>& progress, const std::atomic<bool>* cancel) {
  // Image runs: numerical error and mse_per_pixel only (their quality metric, the classifier FD,
  // needs a classifier file: flowscope-cli sweep --classifier).
  const auto data = spec.metrics && isPointData(model.config().data) ? makeDataset(model.config().data) : nullptr;
  return runSweep(model.flow(), data.get(), spec, progress, cancel);
}

}  // namespace flowscope
