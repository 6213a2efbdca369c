#include "core/data/Spirals.h"

#include "core/data/DatasetFactory.h"

#include <cmath>

namespace flowscope {

namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr double kMaxAngle = 540.0 * 2.0 * kPi / 360.0;  // one and a half turns
constexpr double kJitter = 0.5;                          // uniform [0, 0.5) offset per coordinate
constexpr double kScale = 1.0 / 3.0;
}  // namespace

Spirals::Spirals(double noise) : noise_(noise) { checkNoise(noise); }

torch::Tensor Spirals::sample(int64_t n, at::Generator& gen) const {
  TORCH_CHECK(n >= 0, name(), ": sample count n = ", n, " is negative (expected n >= 0)");
  // FFJORD stacks n/2 points of arm d1 on n/2 points of -d1; a random sign per point is the same
  // distribution with i.i.d. points and any n.
  const torch::Tensor sign = torch::randint(0, 2, {n}, gen).to(torch::kFloat64) * 2.0 - 1.0;
  // sqrt(u) makes the density along the arm grow with the angle, i.e. uniform-ish in area.
  const torch::Tensor a = torch::rand({n}, gen).to(torch::kFloat64).sqrt() * kMaxAngle;
  const torch::Tensor u = torch::rand({n, 2}, gen).to(torch::kFloat64) * kJitter;
  const torch::Tensor z = torch::randn({n, 2}, gen).to(torch::kFloat64);
  const torch::Tensor d1 = torch::stack({-a.cos() * a, a.sin() * a}, 1) + u;
  return (d1 * sign.unsqueeze(1) * kScale + z * noise_).to(torch::kFloat32);
}

Bounds2D Spirals::bounds() const {
  const double r = (kMaxAngle + kJitter * std::sqrt(2.0)) * kScale + 4.0 * noise_;
  return {-r, r, -r, r};
}

}  // namespace flowscope
