#pragma once
// Euler (order 1), explicit midpoint and Heun (order 2) and classical RK4 (order 4) on a uniform
// grid. NFE is steps x stages, plus one when an output time falls inside the last step.

#include "core/solvers/OdeSolver.h"

namespace flowscope {

SolveResult solveFixedStep(const VelocityFn& velocity, const torch::Tensor& x0,
                           const SolveOptions& options, const std::vector<double>& times);

}  // namespace flowscope
