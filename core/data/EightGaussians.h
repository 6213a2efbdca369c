#pragma once
// Eight Gaussians: an equal mixture of 8 isotropic Gaussians on a circle (FFJORD's "8gaussians").

#include "core/data/Dataset2D.h"

namespace flowscope {

class EightGaussians final : public Dataset2D {
 public:
  static constexpr double kDefaultNoise = 0.35355339059327373;  // 0.5 / sqrt(2)
  /// Centers at radius 4 / sqrt(2) and angles k pi / 4.
  static constexpr double kRadius = 2.8284271247461903;

  /// `noise` is each component's standard deviation; throws ConfigError ("data.noise") if < 0.
  explicit EightGaussians(double noise = kDefaultNoise);

  std::string name() const override { return "eight_gaussians"; }
  torch::Tensor sample(int64_t n, at::Generator& gen) const override;
  /// Exact unless noise is 0 (then the mixture has no density).
  bool hasLogDensity() const override { return noise_ > 0.0; }
  torch::Tensor logDensity(const torch::Tensor& x) const override;
  Bounds2D bounds() const override;

  double noise() const { return noise_; }
  /// The 8 component means, float64 [8, 2].
  static torch::Tensor centers();

 private:
  double noise_;
};

}  // namespace flowscope
