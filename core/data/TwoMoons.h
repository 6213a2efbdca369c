#pragma once
// Two moons: two interleaved half circles (sklearn's make_moons), scaled as in FFJORD's toy data.

#include "core/data/Dataset2D.h"

namespace flowscope {

class TwoMoons final : public Dataset2D {
 public:
  static constexpr double kDefaultNoise = 0.1;

  /// `noise` is the std of the Gaussian added before scaling; ConfigError ("data.noise") if < 0.
  explicit TwoMoons(double noise = kDefaultNoise);

  std::string name() const override { return "two_moons"; }
  torch::Tensor sample(int64_t n, at::Generator& gen) const override;
  Bounds2D bounds() const override;

  double noise() const { return noise_; }

 private:
  double noise_;
};

}  // namespace flowscope
