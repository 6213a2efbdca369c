#include "core/data/Circles.h"

#include "core/data/DatasetFactory.h"

namespace flowscope {

namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr double kFactor = 0.5;  // inner radius / outer radius
constexpr double kScale = 3.0;   // FFJORD's toy data multiplies make_circles by 3
}  // namespace

Circles::Circles(double noise) : noise_(noise) { checkNoise(noise); }

torch::Tensor Circles::sample(int64_t n, at::Generator& gen) const {
  TORCH_CHECK(n >= 0, name(), ": sample count n = ", n, " is negative (expected n >= 0)");
  // make_circles spaces n/2 angles evenly per circle; a random circle and angle per point is the
  // same distribution with i.i.d. points.
  const torch::Tensor inner = torch::randint(0, 2, {n}, gen).to(torch::kFloat64);
  const torch::Tensor t = torch::rand({n}, gen).to(torch::kFloat64) * (2.0 * kPi);
  const torch::Tensor z = torch::randn({n, 2}, gen).to(torch::kFloat64);
  const torch::Tensor radius = 1.0 - inner * (1.0 - kFactor);
  const torch::Tensor p = torch::stack({t.cos() * radius, t.sin() * radius}, 1) + z * noise_;
  return (p * kScale).to(torch::kFloat32);
}

Bounds2D Circles::bounds() const {
  const double r = (1.0 + 4.0 * noise_) * kScale;
  return {-r, r, -r, r};
}

}  // namespace flowscope
