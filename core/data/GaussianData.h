#pragma once
// Gaussian: N(mean, covariance) with a full 2x2 covariance, the simplest target with a known
// density and entropy.

#include "core/data/Dataset2D.h"

namespace flowscope {

class GaussianData final : public Dataset2D {
 public:
  /// `covariance` is row-major 2x2. Throws ConfigError ("data.mean", "data.covariance") unless the
  /// mean is finite and the covariance is symmetric positive definite.
  GaussianData(const std::array<double, 2>& mean, const std::array<double, 4>& covariance);

  std::string name() const override { return "gaussian"; }
  torch::Tensor sample(int64_t n, at::Generator& gen) const override;
  bool hasLogDensity() const override { return true; }
  torch::Tensor logDensity(const torch::Tensor& x) const override;
  /// mean +- 4 standard deviations per axis.
  Bounds2D bounds() const override;

  const std::array<double, 2>& mean() const { return mean_; }
  const std::array<double, 4>& covariance() const { return cov_; }
  /// Differential entropy in nats: log(2 pi e) + log(det covariance) / 2.
  double entropy() const;

 private:
  std::array<double, 2> mean_;
  std::array<double, 4> cov_;
  double det_;
  // Cholesky factor L = [[l00, 0], [l10, l11]], covariance = L L^T.
  double l00_, l10_, l11_;
};

}  // namespace flowscope
