#pragma once
// Numerical error and sample quality against NFE (Figure 7; Figure 4 right): from the same noise
// x0, solve with every fixed-step solver at every step count and with dopri5 at every tolerance,
// and compare each solution with a high-accuracy reference (1000 RK4 steps, or dopri5 at 1e-7)
// and, optionally, with the data.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace flowscope {

class TrainedFlow;
class Dataset2D;

struct SweepSpec {
  std::vector<std::string> solvers{"euler", "midpoint", "heun", "rk4"};  ///< fixed-step methods
  std::vector<int> steps{1, 2, 4, 8, 16, 32, 64};
  std::vector<double> tolerances{1e-2, 1e-3, 1e-4, 1e-5};  ///< dopri5, atol = rtol
  int64_t n = 5000;           ///< samples per solve (the same x0 for all)
  uint64_t seed = 0;          ///< noise seed
  std::string reference = "rk4:1000";  ///< "rk4:K" or "dopri5:TOL"
  bool metrics = true;        ///< also sample-quality metrics against the data
  int64_t referenceCount = 5000;  ///< data points drawn for the two-sample metrics
};

struct SweepRow {
  std::string solver;
  int steps = 0;           ///< fixed-step solvers
  double tolerance = 0;    ///< dopri5
  int64_t nfe = 0;
  double numericalError = 0;  ///< mean over samples of ||x - x_ref||^2
  double wallMs = 0;
  std::map<std::string, double> metrics;
};

struct SweepResult {
  int64_t referenceNfe = 0;
  std::vector<SweepRow> rows;
  bool completed = true;
};

/// Runs the sweep. `data` may be null (no quality metrics). `progress(done, total)` is called
/// after each solve; `cancel` ends the sweep early (completed = false). Throws InputError on a bad
/// spec.
SweepResult runSweep(const TrainedFlow& flow, const Dataset2D* data, const SweepSpec& spec,
                     const std::function<void(int, int)>& progress = {},
                     const std::atomic<bool>* cancel = nullptr);

/// CSV with columns run, solver, steps, tolerance, nfe, numerical_error, wall_ms and the metric
/// keys (union over rows); one block of rows per run.
std::string sweepCsv(const std::vector<std::pair<std::string, SweepResult>>& runs);

}  // namespace flowscope
