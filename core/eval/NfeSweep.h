#pragma once
// Numerical error and sample quality against NFE (Figure 7; Figure 4 right): from the same noise
// x0, solve with every fixed-step solver at every step count and with dopri5 at every tolerance,
// and compare each solution with a high-accuracy reference (1000 RK4 steps, or dopri5 at 1e-7)
// and, optionally, with the data.

#include <atomic>
#include <functional>

#include "core/eval/SweepSpec.h"

namespace flowscope {

class TrainedFlow;
class Dataset2D;

/// Runs the sweep. `data` may be null (no quality metrics). `progress(done, total)` is called
/// after each solve; `cancel` ends the sweep early (completed = false). Throws InputError on a bad
/// spec.
SweepResult runSweep(const TrainedFlow& flow, const Dataset2D* data, const SweepSpec& spec,
                     const std::function<void(int, int)>& progress = {},
                     const std::atomic<bool>* cancel = nullptr);

}  // namespace flowscope
