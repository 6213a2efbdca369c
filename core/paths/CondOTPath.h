#pragma once
// The optimal-transport conditional path (Section 4.1, Example II): mu_t = t x1,
// sigma_t = 1 - (1 - sigma_min) t (eq. 20). Its flow psi_t (eq. 22) moves along straight lines at
// constant speed, the displacement interpolant between N(0, I) and N(x1, sigma_min^2 I).

#include "core/paths/AffineGaussianPath.h"

namespace flowscope {

class CondOTPath : public AffineGaussianPath {
 public:
  explicit CondOTPath(double sigmaMin);

  std::string name() const override { return "cond_ot"; }
  double sigmaMin() const { return sigmaMin_; }

  torch::Tensor alpha(const torch::Tensor& t) const override;
  torch::Tensor sigma(const torch::Tensor& t) const override;
  torch::Tensor dalpha(const torch::Tensor& t) const override;
  torch::Tensor dsigma(const torch::Tensor& t) const override;

  /// Closed form u_t(x|x1) = (x1 - (1 - sigma_min) x) / (1 - (1 - sigma_min) t) (eq. 21).
  torch::Tensor conditionalVectorFieldClosedForm(const torch::Tensor& t, const torch::Tensor& x,
                                                 const torch::Tensor& x1) const;

 private:
  double sigmaMin_;
};

}  // namespace flowscope
