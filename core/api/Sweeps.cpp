#include "core/api/Sweeps.h"

#include "core/api/Queries.h"
#include "core/data/Dataset2D.h"
#include "core/eval/NfeSweep.h"
#include "core/train/TrainedFlow.h"
#include "core/util/Error.h"

namespace flowscope {

SweepResult sweepModel(const FlowModel& model, const SweepSpec& spec,
                       const std::function<void(int, int)>& progress, const std::atomic<bool>* cancel) {
  if (isPointData(model.config().data)) {
    if (!spec.classifier.empty())
      throw InputError("classifier: " + spec.classifier + " scores image runs; " + model.config().name +
                       " is a run on 2D points (expected no classifier)");
    const auto data = spec.metrics ? makeDataset(model.config().data) : nullptr;
    return runSweep(model.flow(), data.get(), spec, progress, cancel);
  }
  // Image runs: numerical error and mse_per_pixel; the classifier FD with a classifier file.
  const SampleScorer scorer = spec.classifier.empty() ? SampleScorer{} : classifierScorer(spec.classifier, model.flow());
  return runSweep(model.flow(), scorer, spec, progress, cancel);
}

}  // namespace flowscope
