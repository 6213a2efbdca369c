#pragma once
// Swiss roll: sklearn's make_swiss_roll seen from the side (its x and z coordinates), / 5.

#include "core/data/Dataset2D.h"

namespace flowscope {

class SwissRoll final : public Dataset2D {
 public:
  static constexpr double kDefaultNoise = 1.0;

  /// `noise` is the std of the Gaussian added before dividing by 5; ConfigError ("data.noise")
  /// if < 0.
  explicit SwissRoll(double noise = kDefaultNoise);

  std::string name() const override { return "swiss_roll"; }
  torch::Tensor sample(int64_t n, at::Generator& gen) const override;
  Bounds2D bounds() const override;

  double noise() const { return noise_; }

 private:
  double noise_;
};

}  // namespace flowscope
