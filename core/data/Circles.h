#pragma once
// Circles: two concentric circles (sklearn's make_circles with factor 0.5), scaled by 3.

#include "core/data/Dataset2D.h"

namespace flowscope {

class Circles final : public Dataset2D {
 public:
  static constexpr double kDefaultNoise = 0.08;

  /// `noise` is the std of the Gaussian added before scaling; ConfigError ("data.noise") if < 0.
  explicit Circles(double noise = kDefaultNoise);

  std::string name() const override { return "circles"; }
  torch::Tensor sample(int64_t n, at::Generator& gen) const override;
  Bounds2D bounds() const override;

  double noise() const { return noise_; }

 private:
  double noise_;
};

}  // namespace flowscope
