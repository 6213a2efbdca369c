#pragma once
// The variance-exploding diffusion path (Section 4.1, Example I): p_t(x|x1) = N(x1, sigma_{1-t}^2 I)
// with the geometric schedule sigma_s = sigma_min (sigma_max / sigma_min)^s (eq. 16-17). Its
// source at t = 0 is N(x1, sigma_max^2 I), approximated by N(0, sigma_max^2 I) for sampling.

#include "core/paths/AffineGaussianPath.h"

namespace flowscope {

class VEDiffusionPath : public AffineGaussianPath {
 public:
  VEDiffusionPath(double sigmaMin, double sigmaMax);

  std::string name() const override { return "ve"; }
  double priorStd() const override { return sigmaMax_; }

  torch::Tensor alpha(const torch::Tensor& t) const override;
  torch::Tensor sigma(const torch::Tensor& t) const override;
  torch::Tensor dalpha(const torch::Tensor& t) const override;
  torch::Tensor dsigma(const torch::Tensor& t) const override;

  /// Closed form of eq. 17: u_t(x|x1) = -sigma'_{1-t}/sigma_{1-t} (x - x1).
  torch::Tensor conditionalVectorFieldClosedForm(const torch::Tensor& t, const torch::Tensor& x,
                                                 const torch::Tensor& x1) const;

 private:
  double sigmaMin_, sigmaMax_, logRatio_;
};

}  // namespace flowscope
