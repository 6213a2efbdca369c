#include "core/paths/VEDiffusionPath.h"

#include <torch/torch.h>

#include <cmath>

#include "core/util/Error.h"

namespace flowscope {

VEDiffusionPath::VEDiffusionPath(double sigmaMin, double sigmaMax)
    : sigmaMin_(sigmaMin), sigmaMax_(sigmaMax), logRatio_(std::log(sigmaMax / sigmaMin)) {
  if (!(sigmaMin > 0.0))
    throw ConfigError("path.sigma_min", "path.sigma_min: got " + std::to_string(sigmaMin) +
                                            " (expected > 0 for the ve path)");
  if (!(sigmaMax > sigmaMin))
    throw ConfigError("path.sigma_max", "path.sigma_max: got " + std::to_string(sigmaMax) +
                                            " (expected > sigma_min = " +
                                            std::to_string(sigmaMin) + ")");
}

torch::Tensor VEDiffusionPath::alpha(const torch::Tensor& t) const { return torch::ones_like(t); }

torch::Tensor VEDiffusionPath::sigma(const torch::Tensor& t) const {
  return sigmaMin_ * torch::exp((1.0 - t) * logRatio_);
}

torch::Tensor VEDiffusionPath::dalpha(const torch::Tensor& t) const {
  return torch::zeros_like(t);
}

torch::Tensor VEDiffusionPath::dsigma(const torch::Tensor& t) const {
  return -logRatio_ * sigma(t);
}

torch::Tensor VEDiffusionPath::conditionalVectorFieldClosedForm(const torch::Tensor& t,
                                                                const torch::Tensor& x,
                                                                const torch::Tensor& x1) const {
  // sigma'_s / sigma_s = log(sigma_max / sigma_min) for the geometric schedule.
  (void)t;
  return -logRatio_ * (x - x1);
}

}  // namespace flowscope
