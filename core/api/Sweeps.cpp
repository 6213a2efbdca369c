#include "core/api/Sweeps.h"

#include "core/data/Dataset2D.h"
#include "core/eval/NfeSweep.h"
#include "core/train/TrainedFlow.h"

namespace flowscope {

SweepResult sweepModel(const FlowModel& model, const SweepSpec& spec,
                       const std::function<void(int, int)>& progress, const std::atomic<bool>* cancel) {
  const auto data = spec.metrics ? makeDataset(model.config().data) : nullptr;
  return runSweep(model.flow(), data.get(), spec, progress, cancel);
}

}  // namespace flowscope
