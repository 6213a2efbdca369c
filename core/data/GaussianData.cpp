#include "core/data/GaussianData.h"

#include "core/util/Error.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace flowscope {

namespace {

constexpr double kPi = 3.14159265358979323846;

std::string formatMatrix(const std::array<double, 4>& c) {
  std::ostringstream s;
  s << "[[" << c[0] << ", " << c[1] << "], [" << c[2] << ", " << c[3] << "]]";
  return s.str();
}

}  // namespace

GaussianData::GaussianData(const std::array<double, 2>& mean,
                           const std::array<double, 4>& covariance)
    : mean_(mean), cov_(covariance) {
  if (!std::isfinite(mean[0]) || !std::isfinite(mean[1])) {
    std::ostringstream s;
    s << "data.mean: [" << mean[0] << ", " << mean[1] << "] is not finite (expected two finite numbers)";
    throw ConfigError("data.mean", s.str());
  }
  const auto& c = covariance;
  const std::string expected = " (expected a symmetric 2x2 matrix with positive eigenvalues)";
  if (!std::all_of(c.begin(), c.end(), [](double v) { return std::isfinite(v); })) {
    throw ConfigError("data.covariance",
                      "data.covariance: " + formatMatrix(c) + " is not finite" + expected);
  }
  // Config values are typed in or parsed, so off-diagonals that differ only by rounding noise
  // are accepted; anything larger is a typo the user should see.
  const double scale = std::max({std::abs(c[0]), std::abs(c[1]), std::abs(c[2]), std::abs(c[3])});
  if (std::abs(c[1] - c[2]) > 1e-12 * scale) {
    throw ConfigError("data.covariance",
                      "data.covariance: " + formatMatrix(c) + " is not symmetric" + expected);
  }
  cov_[1] = cov_[2] = 0.5 * (c[1] + c[2]);
  // Sylvester's criterion for 2x2: positive definite iff c00 > 0 and det > 0.
  det_ = cov_[0] * cov_[3] - cov_[1] * cov_[2];
  if (!(cov_[0] > 0.0 && det_ > 0.0)) {
    throw ConfigError("data.covariance",
                      "data.covariance: " + formatMatrix(c) + " is not positive definite" + expected);
  }
  l00_ = std::sqrt(cov_[0]);
  l10_ = cov_[1] / l00_;
  l11_ = std::sqrt(det_ / cov_[0]);  // = sqrt(c11 - l10^2), without the cancellation
}

torch::Tensor GaussianData::sample(int64_t n, at::Generator& gen) const {
  TORCH_CHECK(n >= 0, name(), ": sample count n = ", n, " is negative (expected n >= 0)");
  const torch::Tensor z = torch::randn({n, 2}, gen).to(torch::kFloat64);
  const torch::Tensor z0 = z.select(1, 0), z1 = z.select(1, 1);
  const torch::Tensor x0 = z0 * l00_ + mean_[0];
  const torch::Tensor x1 = z0 * l10_ + z1 * l11_ + mean_[1];
  return torch::stack({x0, x1}, 1).to(torch::kFloat32);
}

torch::Tensor GaussianData::logDensity(const torch::Tensor& x) const {
  TORCH_CHECK(x.dim() == 2 && x.size(1) == 2, name(), ": logDensity points have shape ", x.sizes(),
              " (expected [n, 2])");
  const torch::Tensor p = x.to(torch::kFloat64);
  const torch::Tensor d0 = p.select(1, 0) - mean_[0], d1 = p.select(1, 1) - mean_[1];
  // Mahalanobis form with the explicit 2x2 inverse [[c11, -c01], [-c01, c00]] / det.
  const torch::Tensor quad =
      (d0 * d0 * cov_[3] - d0 * d1 * (2.0 * cov_[1]) + d1 * d1 * cov_[0]) / det_;
  return quad * -0.5 - (std::log(2.0 * kPi) + 0.5 * std::log(det_));
}

Bounds2D GaussianData::bounds() const {
  const double sx = 4.0 * std::sqrt(cov_[0]), sy = 4.0 * std::sqrt(cov_[3]);
  return {mean_[0] - sx, mean_[0] + sx, mean_[1] - sy, mean_[1] + sy};
}

double GaussianData::entropy() const { return 1.0 + std::log(2.0 * kPi) + 0.5 * std::log(det_); }

}  // namespace flowscope
