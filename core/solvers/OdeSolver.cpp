#include "core/solvers/OdeSolver.h"

#include <torch/torch.h>

#include <cmath>
#include <sstream>

#include "core/solvers/Dopri5.h"
#include "core/solvers/FixedStepSolvers.h"
#include "core/util/Error.h"

namespace flowscope {

torch::Tensor SolveResult::stacked() const { return torch::stack(states); }

namespace {

std::vector<double> checkedOutputTimes(const SolveOptions& o) {
  if (!std::isfinite(o.t0) || !std::isfinite(o.t1))
    throw InputError("solver: t0 and t1 must be finite");
  if (o.t0 == o.t1) throw InputError("solver: t0 equals t1 (expected an interval of nonzero length)");
  std::vector<double> times = o.times.empty() ? std::vector<double>{o.t1} : o.times;
  const double dir = o.t1 > o.t0 ? 1.0 : -1.0;
  const double tol = 1e-12 * std::max(1.0, std::abs(o.t1 - o.t0));
  double previous = o.t0;
  for (size_t i = 0; i < times.size(); ++i) {
    const double t = times[i];
    std::ostringstream where;
    where << "solver: output time " << t << " (index " << i << ")";
    if (!std::isfinite(t)) throw InputError(where.str() + " is not finite");
    if ((t - o.t0) * dir < -tol || (t - o.t1) * dir > tol)
      throw InputError(where.str() + " lies outside [" + std::to_string(std::min(o.t0, o.t1)) +
                       ", " + std::to_string(std::max(o.t0, o.t1)) + "]");
    if ((t - previous) * dir < -tol)
      throw InputError(where.str() + " is out of order (expected times ordered from t0 to t1)");
    previous = t;
  }
  return times;
}

}  // namespace

SolveResult solve(const VelocityFn& velocity, const torch::Tensor& x0, const SolveOptions& options) {
  const std::vector<double> times = checkedOutputTimes(options);
  if (options.method == SolverMethod::Dopri5) {
    checkTolerances(options.atol, options.rtol, "solver: dopri5 atol", "solver: dopri5 rtol");
    return solveDopri5(velocity, x0, options, times);
  }
  if (options.steps < 1)
    throw InputError("solver: steps must be >= 1 for " + solverMethodName(options.method) +
                     " (got " + std::to_string(options.steps) + ")");
  return solveFixedStep(velocity, x0, options, times);
}

}  // namespace flowscope
