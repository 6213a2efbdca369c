#pragma once
// Bits per dimension for 8-bit data (Appendix C, eq. 36-37; Appendix E.2, eq. 47). Integer data
// x in {0..255}^d is dequantized with u ~ U[0,1)^d and mapped to y = (x + u)/128 - 1 in [-1, 1)
// where the model lives; log p(x + u) = log p_model(y) - 7 d log 2 (eq. 36). With K
// dequantizations, log P(x) >= log (1/K) sum_k p(x + u_k) (eq. 47, importance weighted; K = 1 is
// the usual variational bound). BPD = -log P / (d log 2) (eq. 37).

#include <ATen/core/Generator.h>
#include <torch/types.h>

#include <functional>

namespace flowscope {

/// log p_model(y) for a batch y [n, ...] in [-1, 1): float64 [n].
using LogDensityFn = std::function<torch::Tensor(const torch::Tensor& y)>;

struct BpdResult {
  torch::Tensor logProb;  ///< float64 [n]: the (importance-weighted) log P(x) in nats
  torch::Tensor bpd;      ///< float64 [n]
  double meanBpd = 0;
};

/// `x` holds integers in [0, 255] (any dtype), shape [n, ...]; `k` >= 1 dequantizations.
BpdResult bitsPerDim(const LogDensityFn& logDensity, const torch::Tensor& x, int k, at::Generator& gen);

/// The eq. 36 offset: log p(x) = log p_model(phi^{-1}(x)) + dequantOffset(d).
double dequantOffset(int64_t dims);

}  // namespace flowscope
