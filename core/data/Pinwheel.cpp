#include "core/data/Pinwheel.h"

#include "core/data/DatasetFactory.h"

#include <cmath>

namespace flowscope {

namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr int64_t kClasses = 5;
constexpr double kRadialStd = 0.3;
constexpr double kRate = 0.25;  // how strongly a blade bends with distance from the center
constexpr double kScale = 2.0;
}  // namespace

Pinwheel::Pinwheel(double noise) : noise_(noise) { checkNoise(noise); }

torch::Tensor Pinwheel::sample(int64_t n, at::Generator& gen) const {
  TORCH_CHECK(n >= 0, name(), ": sample count n = ", n, " is negative (expected n >= 0)");
  // FFJORD draws n/5 points per blade and permutes them; a random blade per point is the same
  // distribution with i.i.d. points and any n.
  const torch::Tensor label = torch::randint(0, kClasses, {n}, gen).to(torch::kFloat64);
  const torch::Tensor f = torch::randn({n, 2}, gen).to(torch::kFloat64);
  const torch::Tensor radial = f.select(1, 0) * kRadialStd + 1.0;
  const torch::Tensor tangential = f.select(1, 1) * noise_;
  const torch::Tensor angle = label * (2.0 * kPi / kClasses) + radial.exp() * kRate;
  const torch::Tensor c = angle.cos(), s = angle.sin();
  // FFJORD's einsum("ti,tij->tj", features, [[c, -s], [s, c]]): row vector times the matrix.
  const torch::Tensor x = radial * c + tangential * s;
  const torch::Tensor y = tangential * c - radial * s;
  return (torch::stack({x, y}, 1) * kScale).to(torch::kFloat32);
}

Bounds2D Pinwheel::bounds() const {
  const double radial = 1.0 + 4.0 * kRadialStd, tangential = 4.0 * noise_;
  const double r = std::sqrt(radial * radial + tangential * tangential) * kScale;
  return {-r, r, -r, r};
}

}  // namespace flowscope
