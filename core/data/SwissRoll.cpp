#include "core/data/SwissRoll.h"

#include "core/data/DatasetFactory.h"

namespace flowscope {

namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr double kScale = 1.0 / 5.0;
constexpr double kMaxT = 4.5 * kPi;  // t = 1.5 pi (1 + 2u) lies in [1.5 pi, 4.5 pi]
}  // namespace

SwissRoll::SwissRoll(double noise) : noise_(noise) { checkNoise(noise); }

torch::Tensor SwissRoll::sample(int64_t n, at::Generator& gen) const {
  TORCH_CHECK(n >= 0, name(), ": sample count n = ", n, " is negative (expected n >= 0)");
  const torch::Tensor t = (torch::rand({n}, gen).to(torch::kFloat64) * 2.0 + 1.0) * (1.5 * kPi);
  // make_swiss_roll's height coordinate and its noise are dropped by the projection, so only the
  // noise of the kept coordinates (x, z) is drawn.
  const torch::Tensor z = torch::randn({n, 2}, gen).to(torch::kFloat64);
  const torch::Tensor p = torch::stack({t * t.cos(), t * t.sin()}, 1) + z * noise_;
  return (p * kScale).to(torch::kFloat32);
}

Bounds2D SwissRoll::bounds() const {
  const double r = (kMaxT + 4.0 * noise_) * kScale;
  return {-r, r, -r, r};
}

}  // namespace flowscope
