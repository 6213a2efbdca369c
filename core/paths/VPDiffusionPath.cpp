#include "core/paths/VPDiffusionPath.h"

#include <torch/torch.h>

#include <cmath>

#include "core/util/Error.h"

namespace flowscope {

VPDiffusionPath::VPDiffusionPath(double betaMin, double betaMax, double eps)
    : betaMin_(betaMin), betaMax_(betaMax), eps_(eps) {
  if (!(betaMin > 0.0))
    throw ConfigError("path.beta_min",
                      "path.beta_min: got " + std::to_string(betaMin) + " (expected > 0)");
  if (!(betaMax > betaMin))
    throw ConfigError("path.beta_max", "path.beta_max: got " + std::to_string(betaMax) +
                                           " (expected > beta_min = " + std::to_string(betaMin) +
                                           ")");
  if (!(eps > 0.0 && eps < 0.5))
    throw ConfigError("path.eps", "path.eps: got " + std::to_string(eps) + " (expected 0 < eps < 0.5)");
}

double VPDiffusionPath::priorStd() const {
  // sigma_0 = sqrt(1 - exp(-T(1))): 0.99998 for the default betas.
  const double bigT1 = betaMin_ + 0.5 * (betaMax_ - betaMin_);
  return std::sqrt(-std::expm1(-bigT1));
}

torch::Tensor VPDiffusionPath::beta(const torch::Tensor& s) const {
  return betaMin_ + s * (betaMax_ - betaMin_);
}

torch::Tensor VPDiffusionPath::bigT(const torch::Tensor& s) const {
  return s * betaMin_ + 0.5 * s.square() * (betaMax_ - betaMin_);
}

torch::Tensor VPDiffusionPath::alpha(const torch::Tensor& t) const {
  return torch::exp(-0.5 * bigT(1.0 - t));
}

torch::Tensor VPDiffusionPath::sigma(const torch::Tensor& t) const {
  // 1 - alpha^2 = -expm1(-T): accurate as T -> 0 near t = 1.
  return torch::sqrt(-torch::expm1(-bigT(1.0 - t)));
}

torch::Tensor VPDiffusionPath::dalpha(const torch::Tensor& t) const {
  // d/dt exp(-T(1-t)/2) = beta(1-t)/2 * alpha_t.
  return 0.5 * beta(1.0 - t) * alpha(t);
}

torch::Tensor VPDiffusionPath::dsigma(const torch::Tensor& t) const {
  // sigma^2 = 1 - alpha^2  =>  sigma' = -alpha alpha' / sigma.
  return -alpha(t) * dalpha(t) / sigma(t);
}

torch::Tensor VPDiffusionPath::conditionalVectorFieldClosedForm(const torch::Tensor& t,
                                                                const torch::Tensor& x,
                                                                const torch::Tensor& x1) const {
  const torch::Tensor s = 1.0 - broadcastTime(t, x);
  const torch::Tensor bt = bigT(s);
  return -0.5 * beta(s) * (torch::exp(-bt) * x - torch::exp(-0.5 * bt) * x1) /
         (-torch::expm1(-bt));
}

}  // namespace flowscope
