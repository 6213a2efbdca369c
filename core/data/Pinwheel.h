#pragma once
// Pinwheel: five curved blades (FFJORD's "pinwheel", after Johnson et al. 2016).

#include "core/data/Dataset2D.h"

namespace flowscope {

class Pinwheel final : public Dataset2D {
 public:
  static constexpr double kDefaultNoise = 0.1;

  /// `noise` is the tangential std (the radial std is fixed at 0.3); ConfigError ("data.noise")
  /// if < 0.
  explicit Pinwheel(double noise = kDefaultNoise);

  std::string name() const override { return "pinwheel"; }
  torch::Tensor sample(int64_t n, at::Generator& gen) const override;
  Bounds2D bounds() const override;

  double noise() const { return noise_; }

 private:
  double noise_;
};

}  // namespace flowscope
