#pragma once
// Numerical error and sample quality against NFE (Figure 7; Figure 4 right): from the same noise
// x0, solve with every fixed-step solver at every step count and with dopri5 at every tolerance,
// and compare each solution with a high-accuracy reference (1000 RK4 steps, or dopri5 at 1e-7)
// and, optionally, with the data.

#include <torch/types.h>

#include <atomic>
#include <functional>
#include <map>
#include <string>

#include "core/eval/SweepSpec.h"

namespace flowscope {

class TrainedFlow;
class Dataset2D;

/// Quality metrics of one solve's samples [n, D] (CPU), e.g. the 2D two-sample metrics against
/// the data, or the classifier FD of image samples.
using SampleScorer = std::function<std::map<std::string, double>(const torch::Tensor& samples)>;

/// Image runs: the classifier metrics (core/metrics/ClassifierScores.h) of each solve's samples,
/// scored as the 8-bit images a PNG of them holds, with the classifier at `path` (checked to be of
/// the run's dataset and shape; InputError/FileError naming the file otherwise).
SampleScorer classifierScorer(const std::string& path, const TrainedFlow& flow);

/// Runs the sweep. `data` may be null (no quality metrics). `progress(done, total)` is called
/// after each solve; `cancel` ends the sweep early (completed = false). Throws InputError on a bad
/// spec.
SweepResult runSweep(const TrainedFlow& flow, const Dataset2D* data, const SweepSpec& spec,
                     const std::function<void(int, int)>& progress = {},
                     const std::atomic<bool>* cancel = nullptr);

/// The same with any scorer (may be empty: numerical error only). On image runs each row also
/// has metrics["mse_per_pixel"]: the numerical error divided by C*H*W (Figure 7's y-axis).
SweepResult runSweep(const TrainedFlow& flow, const SampleScorer& scorer, const SweepSpec& spec,
                     const std::function<void(int, int)>& progress = {},
                     const std::atomic<bool>* cancel = nullptr);

}  // namespace flowscope
