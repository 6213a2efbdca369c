#include "core/data/EightGaussians.h"

#include "core/data/DatasetFactory.h"

#include <cmath>

namespace flowscope {

namespace {
constexpr double kPi = 3.14159265358979323846;
constexpr int64_t kComponents = 8;
}  // namespace

EightGaussians::EightGaussians(double noise) : noise_(noise) { checkNoise(noise); }

torch::Tensor EightGaussians::centers() {
  const torch::Tensor angle = torch::arange(kComponents, torch::kFloat64) * (kPi / 4.0);
  return torch::stack({angle.cos(), angle.sin()}, 1) * kRadius;
}

torch::Tensor EightGaussians::sample(int64_t n, at::Generator& gen) const {
  TORCH_CHECK(n >= 0, name(), ": sample count n = ", n, " is negative (expected n >= 0)");
  const torch::Tensor k = torch::randint(0, kComponents, {n}, gen);
  const torch::Tensor z = torch::randn({n, 2}, gen).to(torch::kFloat64);
  return (centers().index_select(0, k) + z * noise_).to(torch::kFloat32);
}

torch::Tensor EightGaussians::logDensity(const torch::Tensor& x) const {
  if (!hasLogDensity()) return Dataset2D::logDensity(x);  // noise 0: point masses, no density
  TORCH_CHECK(x.dim() == 2 && x.size(1) == 2, name(), ": logDensity points have shape ", x.sizes(),
              " (expected [n, 2])");
  const torch::Tensor p = x.to(torch::kFloat64);
  // log (1/8) sum_k N(x; c_k, s^2 I), with log-sum-exp so far-away points don't underflow to -inf.
  const torch::Tensor d = p.unsqueeze(1) - centers().to(p.device()).unsqueeze(0);  // [n, 8, 2]
  const torch::Tensor logits = d.pow(2).sum(2) * (-0.5 / (noise_ * noise_));
  const double logNorm = std::log(double(kComponents)) + std::log(2.0 * kPi * noise_ * noise_);
  return torch::logsumexp(logits, 1) - logNorm;
}

Bounds2D EightGaussians::bounds() const {
  const double r = kRadius + 4.0 * noise_;
  return {-r, r, -r, r};
}

}  // namespace flowscope
