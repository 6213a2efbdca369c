#pragma once
// Dormand-Prince 5(4) with the embedded error estimate, first-same-as-last stages, standard
// step-size control (Hairer, Norsett & Wanner, Solving ODEs I, II.4) and a quartic dense output
// (Shampine's midpoint coefficients, as in torchdiffeq) for states at requested times.

#include "core/solvers/OdeSolver.h"

namespace flowscope {

SolveResult solveDopri5(const VelocityFn& velocity, const torch::Tensor& x0,
                        const SolveOptions& options, const std::vector<double>& times);

}  // namespace flowscope
