#pragma once
// A Gaussian path whose mean scales the data point and whose std does not depend on it:
// mu_t(x1) = alpha_t x1, sigma_t(x1) = sigma_t. All of the paper's paths (OT, VP, VE) have this
// form, and it is what the score and noise parametrizations need to become a velocity (eq. 46).

#include "core/paths/GaussianPath.h"

namespace flowscope {

class AffineGaussianPath : public GaussianPath {
 public:
  /// The scalar schedules alpha_t, sigma_t and their time derivatives (tensors shaped like t).
  virtual torch::Tensor alpha(const torch::Tensor& t) const = 0;
  virtual torch::Tensor sigma(const torch::Tensor& t) const = 0;
  virtual torch::Tensor dalpha(const torch::Tensor& t) const = 0;
  virtual torch::Tensor dsigma(const torch::Tensor& t) const = 0;

  torch::Tensor mean(const torch::Tensor& t, const torch::Tensor& x1) const override;
  torch::Tensor stddev(const torch::Tensor& t, const torch::Tensor& x1) const override;
  torch::Tensor dmean(const torch::Tensor& t, const torch::Tensor& x1) const override;
  torch::Tensor dstddev(const torch::Tensor& t, const torch::Tensor& x1) const override;

  /// Marginal velocity from the posterior mean of the noise, E[x0 | x_t = x] =: eps_hat. With
  /// x = alpha_t x1 + sigma_t x0, u_t(x) = E[alpha'_t x1 + sigma'_t x0 | x]
  ///                                   = (alpha'_t/alpha_t) x + (sigma'_t - alpha'_t sigma_t/alpha_t) eps_hat.
  /// For the VP path this is eq. 46 with s_t = eps_hat / sigma_t. Requires alpha_t > 0.
  torch::Tensor velocityFromNoise(const torch::Tensor& t, const torch::Tensor& x,
                                  const torch::Tensor& epsHat) const;

  /// The data point the marginal field points at, E[x1 | x_t = x]: from x = alpha_t E[x1|x] +
  /// sigma_t E[x0|x] and u_t(x) = alpha'_t E[x1|x] + sigma'_t E[x0|x],
  ///   E[x1 | x] = (sigma'_t x - sigma_t u) / (sigma'_t alpha_t - sigma_t alpha'_t).
  /// On cond_ot with sigma_min = 0 this is x + (1 - t) u. t: [B, 1] for x, u [B, D].
  torch::Tensor predictedData(const torch::Tensor& t, const torch::Tensor& x,
                              const torch::Tensor& velocity) const;
};

}  // namespace flowscope
