#pragma once
// Sliced Wasserstein distance: the average over random 1D projections of the 1D Wasserstein
// distance, which has a closed form through sorted samples (quantile functions). Cheap, and a
// true metric on distributions, so it stays meaningful when the supports do not overlap.

#include <ATen/core/Generator.h>
#include <torch/types.h>

#include <cstdint>

namespace flowscope {

/// SW_p between the empirical distributions of a [n, d] and b [m, d] (any float dtype/device;
/// computed on the CPU in float64):
///   SW_p = ( (1/L) sum_l W_p^p(<a, theta_l>, <b, theta_l>) )^(1/p)
/// with L = `projections` directions theta_l uniform on the unit sphere, drawn from `gen`. The 1D
/// W_p^p compares the quantile functions of the two projected samples at the K = max(n, m)
/// levels u_k = (k + 1/2) / K, each quantile function being the linear interpolation of the
/// sorted sample placed at levels (i + 1/2) / n (constant beyond the first and last). For n = m
/// this is exactly the W_p of the two empirical measures. Throws InputError on bad shapes,
/// projections < 1 or p < 1.
double slicedWasserstein(const torch::Tensor& a, const torch::Tensor& b, int64_t projections,
                         at::Generator& gen, double p = 2);

}  // namespace flowscope
