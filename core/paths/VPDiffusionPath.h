#pragma once
// The variance-preserving diffusion path in the paper's time direction (Section 4.1, Example I):
// p_t(x|x1) = N(alpha_{1-t} x1, (1 - alpha_{1-t}^2) I) with alpha_s = exp(-T(s)/2),
// T(s) = s beta_min + s^2 (beta_max - beta_min)/2 (eq. 18, Appendix E.1). sigma_t -> 0 as t -> 1,
// so t is restricted to [0, 1 - eps].

#include "core/paths/AffineGaussianPath.h"

namespace flowscope {

class VPDiffusionPath : public AffineGaussianPath {
 public:
  VPDiffusionPath(double betaMin, double betaMax, double eps);

  std::string name() const override { return "vp"; }
  double tMax() const override { return 1.0 - eps_; }
  double priorStd() const override;

  double betaMin() const { return betaMin_; }
  double betaMax() const { return betaMax_; }
  double eps() const { return eps_; }

  /// beta(s) and T(s) = int_0^s beta in diffusion time s = 1 - t.
  torch::Tensor beta(const torch::Tensor& s) const;
  torch::Tensor bigT(const torch::Tensor& s) const;

  torch::Tensor alpha(const torch::Tensor& t) const override;
  torch::Tensor sigma(const torch::Tensor& t) const override;
  torch::Tensor dalpha(const torch::Tensor& t) const override;
  torch::Tensor dsigma(const torch::Tensor& t) const override;

  /// Closed form of eq. 19:
  /// u_t(x|x1) = -T'(1-t)/2 [e^{-T(1-t)} x - e^{-T(1-t)/2} x1] / (1 - e^{-T(1-t)}).
  torch::Tensor conditionalVectorFieldClosedForm(const torch::Tensor& t, const torch::Tensor& x,
                                                 const torch::Tensor& x1) const;

 private:
  double betaMin_, betaMax_, eps_;
};

}  // namespace flowscope
