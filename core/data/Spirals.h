#pragma once
// Spirals: two interleaved spiral arms (FFJORD's "2spirals").

#include "core/data/Dataset2D.h"

namespace flowscope {

class Spirals final : public Dataset2D {
 public:
  static constexpr double kDefaultNoise = 0.1;

  /// `noise` is the std of the Gaussian added after scaling; ConfigError ("data.noise") if < 0.
  explicit Spirals(double noise = kDefaultNoise);

  std::string name() const override { return "spirals"; }
  torch::Tensor sample(int64_t n, at::Generator& gen) const override;
  Bounds2D bounds() const override;

  double noise() const { return noise_; }

 private:
  double noise_;
};

}  // namespace flowscope
