#include "core/paths/CondOTPath.h"

#include <torch/torch.h>

#include "core/util/Error.h"

namespace flowscope {

CondOTPath::CondOTPath(double sigmaMin) : sigmaMin_(sigmaMin) {
  if (!(sigmaMin >= 0.0 && sigmaMin < 1.0))
    throw ConfigError("path.sigma_min", "path.sigma_min: got " + std::to_string(sigmaMin) +
                                            " (expected 0 <= sigma_min < 1)");
}

torch::Tensor CondOTPath::alpha(const torch::Tensor& t) const { return t; }

torch::Tensor CondOTPath::sigma(const torch::Tensor& t) const {
  return 1.0 - (1.0 - sigmaMin_) * t;
}

torch::Tensor CondOTPath::dalpha(const torch::Tensor& t) const { return torch::ones_like(t); }

torch::Tensor CondOTPath::dsigma(const torch::Tensor& t) const {
  return torch::full_like(t, -(1.0 - sigmaMin_));
}

torch::Tensor CondOTPath::conditionalVectorFieldClosedForm(const torch::Tensor& t,
                                                           const torch::Tensor& x,
                                                           const torch::Tensor& x1) const {
  const torch::Tensor tb = broadcastTime(t, x);
  return (x1 - (1.0 - sigmaMin_) * x) / (1.0 - (1.0 - sigmaMin_) * tb);
}

}  // namespace flowscope
