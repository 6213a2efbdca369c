#include "core/data/TwoMoons.h"

#include "core/data/DatasetFactory.h"

namespace flowscope {

namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr double kScale = 2.0, kShiftX = -1.0, kShiftY = -0.2;  // FFJORD: x * 2 + (-1, -0.2)
}  // namespace

TwoMoons::TwoMoons(double noise) : noise_(noise) { checkNoise(noise); }

torch::Tensor TwoMoons::sample(int64_t n, at::Generator& gen) const {
  TORCH_CHECK(n >= 0, name(), ": sample count n = ", n, " is negative (expected n >= 0)");
  // make_moons puts n/2 points on an evenly spaced grid of each arc; drawing the arc and the
  // angle at random gives the same distribution with i.i.d. points.
  const torch::Tensor inner = torch::randint(0, 2, {n}, gen).to(torch::kFloat64);
  const torch::Tensor t = torch::rand({n}, gen).to(torch::kFloat64) * kPi;
  const torch::Tensor z = torch::randn({n, 2}, gen).to(torch::kFloat64);
  // Outer arc (cos t, sin t); inner arc (1 - cos t, 1 - sin t - 0.5).
  const torch::Tensor x = t.cos() * (1.0 - 2.0 * inner) + inner;
  const torch::Tensor y = t.sin() * (1.0 - 2.0 * inner) + inner * 0.5;
  const torch::Tensor p = torch::stack({x, y}, 1) + z * noise_;
  return torch::stack({p.select(1, 0) * kScale + kShiftX, p.select(1, 1) * kScale + kShiftY}, 1)
      .to(torch::kFloat32);
}

Bounds2D TwoMoons::bounds() const {
  // Noise-free support: x in [-1, 2], y in [-0.5, 1] before scaling; 4 std of noise around it.
  const double m = 4.0 * noise_;
  return {(-1.0 - m) * kScale + kShiftX, (2.0 + m) * kScale + kShiftX,
          (-0.5 - m) * kScale + kShiftY, (1.0 + m) * kScale + kShiftY};
}

}  // namespace flowscope
