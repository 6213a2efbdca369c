#pragma once
// NFE sweeps of a model for the app (Figure 7; Figure 4 right), torch-free: the spec, the result
// rows and the CSV writer are the engine's own value types (core/eval/SweepSpec.h).

#include <atomic>
#include <functional>

#include "core/api/FlowModel.h"
#include "core/eval/SweepSpec.h"

namespace flowscope {

/// The NFE sweep of core/eval/NfeSweep.h for a model, with quality metrics against the model's own
/// dataset when spec.metrics is set (2D runs; image runs get mse_per_pixel, Figure 7's y-axis, and
/// the classifier metrics with spec.classifier). Throws InputError on a bad spec (a classifier
/// for a 2D run, one of another dataset) and FileError for an unreadable classifier file.
SweepResult sweepModel(const FlowModel& model, const SweepSpec& spec,
                       const std::function<void(int, int)>& progress = {},
                       const std::atomic<bool>* cancel = nullptr);

}  // namespace flowscope
