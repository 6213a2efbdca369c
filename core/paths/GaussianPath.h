#pragma once
// A Gaussian conditional probability path p_t(x|x1) = N(x | mu_t(x1), sigma_t(x1)^2 I) (eq. 10),
// from which come the conditional flow psi_t (eq. 11) and, by Theorem 3, the conditional vector
// field u_t(x|x1) (eq. 15) that Conditional Flow Matching regresses.
//
// Time convention (the paper's): t = 0 is the noise end, t = 1 the data end. Time arguments are
// tensors broadcastable against x (shape [B, 1] for x of shape [B, d]).

#include <torch/types.h>

#include <string>

namespace flowscope {

class GaussianPath {
 public:
  virtual ~GaussianPath() = default;

  virtual std::string name() const = 0;

  /// mu_t(x1) and sigma_t(x1) of eq. 10, and their time derivatives.
  virtual torch::Tensor mean(const torch::Tensor& t, const torch::Tensor& x1) const = 0;
  virtual torch::Tensor stddev(const torch::Tensor& t, const torch::Tensor& x1) const = 0;
  virtual torch::Tensor dmean(const torch::Tensor& t, const torch::Tensor& x1) const = 0;
  virtual torch::Tensor dstddev(const torch::Tensor& t, const torch::Tensor& x1) const = 0;

  /// Times at which the path is defined and trained: [tMin, tMax]. The VP path stops at 1 - eps
  /// because sigma_t -> 0 there (Appendix E.1).
  virtual double tMin() const { return 0.0; }
  virtual double tMax() const { return 1.0; }

  /// Standard deviation of the source p_0 = N(0, priorStd^2 I) that sampling starts from:
  /// 1 for the OT and VP paths, sigma_max for VE (eq. 16 at t = 0).
  virtual double priorStd() const { return 1.0; }

  /// psi_t(x0) = sigma_t(x1) x0 + mu_t(x1) (eq. 11): pushes N(0, I) onto p_t(.|x1).
  torch::Tensor psi(const torch::Tensor& t, const torch::Tensor& x0, const torch::Tensor& x1) const;

  /// d/dt psi_t(x0) = sigma'_t x0 + mu'_t, the regression target of eq. 14.
  torch::Tensor dpsi(const torch::Tensor& t, const torch::Tensor& x0, const torch::Tensor& x1) const;

  /// u_t(x|x1) = sigma'_t/sigma_t (x - mu_t) + mu'_t (eq. 15, Theorem 3).
  torch::Tensor conditionalVectorField(const torch::Tensor& t, const torch::Tensor& x,
                                       const torch::Tensor& x1) const;

  /// log p_t(x|x1) summed over the trailing dimensions, shape [B]: used for the exact marginal
  /// field of eq. 8 as a posterior-weighted mixture of conditional fields.
  torch::Tensor conditionalLogDensity(const torch::Tensor& t, const torch::Tensor& x,
                                      const torch::Tensor& x1) const;
};

/// Reshapes a time tensor of shape [B] (or a scalar) to broadcast against x of shape [B, ...].
torch::Tensor broadcastTime(const torch::Tensor& t, const torch::Tensor& x);

}  // namespace flowscope
