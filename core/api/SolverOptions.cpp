#include "core/api/SolverOptions.h"

#include "core/train/TrainedFlow.h"
#include "core/util/Error.h"

namespace flowscope {

SolveOptions solveOptionsFor(const TrainedFlow& flow, const SolverSpec& spec, const std::atomic<bool>* cancel) {
  SolveOptions o = flow.defaultSolveOptions();
  o.method = parseSolverMethod(spec.solver, "solver");
  o.steps = spec.steps;
  o.atol = spec.atol;
  o.rtol = spec.rtol;
  o.cancel = cancel;
  if (o.method != SolverMethod::Dopri5 && o.steps < 1) throw InputError("solver: steps must be >= 1");
  if (o.method == SolverMethod::Dopri5) checkTolerances(o.atol, o.rtol);
  return o;
}

}  // namespace flowscope
