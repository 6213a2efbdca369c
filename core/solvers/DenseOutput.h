#pragma once
// Interpolants used to report states between solver steps without extra function evaluations.

#include <torch/types.h>

namespace flowscope {

/// Cubic Hermite interpolation on [ta, tb] from the states and velocities at both ends
/// (third-order accurate; the fixed-step solvers have both for free from their first stages).
torch::Tensor hermiteInterpolate(const torch::Tensor& xa, const torch::Tensor& fa,
                                 const torch::Tensor& xb, const torch::Tensor& fb, double ta,
                                 double tb, double t);

}  // namespace flowscope
