#include "core/likelihood/BitsPerDim.h"

#include <torch/torch.h>

#include <cmath>

#include "core/util/Error.h"

namespace flowscope {

double dequantOffset(int64_t dims) { return -7.0 * static_cast<double>(dims) * std::log(2.0); }

BpdResult bitsPerDim(const LogDensityFn& logDensity, const torch::Tensor& x, int k, at::Generator& gen) {
  if (k < 1) throw InputError("bits per dimension: K must be >= 1 (got " + std::to_string(k) + ")");
  const torch::Tensor xd = x.to(torch::kFloat64);
  if (xd.numel() > 0 && (xd.min().item<double>() < 0 || xd.max().item<double>() > 255 ||
                         !torch::equal(xd, xd.round())))
    throw InputError("bits per dimension: data must be integers in [0, 255]");
  const int64_t n = x.size(0);
  const int64_t d = n > 0 ? x.numel() / n : 0;
  std::vector<torch::Tensor> logps;
  for (int i = 0; i < k; ++i) {
    const torch::Tensor u = torch::rand(x.sizes(), gen, torch::kFloat64);
    const torch::Tensor y = ((xd + u) / 128.0 - 1.0).to(torch::kFloat32).to(x.device());
    logps.push_back(logDensity(y).to(torch::kFloat64).cpu() + dequantOffset(d));  // eq. 36
  }
  BpdResult r;
  // eq. 47: log (1/K) sum_k p(x + u_k), computed stably.
  r.logProb = torch::logsumexp(torch::stack(logps), 0) - std::log(static_cast<double>(k));
  r.bpd = -r.logProb / (static_cast<double>(d) * std::log(2.0));  // eq. 37
  r.meanBpd = n > 0 ? r.bpd.mean().item<double>() : 0.0;
  return r;
}

}  // namespace flowscope
