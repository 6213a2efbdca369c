// Probability paths (Section 4): Theorem 3 by finite differences, the paper's closed forms against
// the generic formula, boundary values, and the score/noise -> velocity conversion (eq. 46).

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <memory>

#include "core/paths/CondOTPath.h"
#include "core/paths/VEDiffusionPath.h"
#include "core/paths/VPDiffusionPath.h"

using namespace flowscope;

namespace {

struct PathCase {
  std::string label;
  std::function<std::shared_ptr<AffineGaussianPath>()> make;
};

std::vector<PathCase> allPaths() {
  return {
      {"cond_ot", [] { return std::make_shared<CondOTPath>(1e-4); }},
      {"cond_ot_sigma_min_0_1", [] { return std::make_shared<CondOTPath>(0.1); }},
      {"vp", [] { return std::make_shared<VPDiffusionPath>(0.1, 20.0, 1e-5); }},
      {"ve", [] { return std::make_shared<VEDiffusionPath>(0.01, 8.0); }},
  };
}

torch::Tensor times(std::initializer_list<double> ts) {
  return torch::tensor(std::vector<double>(ts), torch::kFloat64).reshape({-1, 1});
}

class PathTheorem3 : public ::testing::TestWithParam<size_t> {};

}  // namespace

// d/dt psi_t(x0) (central differences) equals u_t(psi_t(x0) | x1) of eq. 15 (Theorem 3).
TEST_P(PathTheorem3, FlowDerivativeEqualsConditionalVectorField) {
  const auto path = allPaths()[GetParam()].make();
  torch::manual_seed(1);
  const int64_t n = 64;
  const torch::Tensor x0 = torch::randn({n, 2}, torch::kFloat64);
  const torch::Tensor x1 = 3 * torch::randn({n, 2}, torch::kFloat64);
  const double tMax = path->tMax();
  for (double tv : {0.05, 0.3, 0.5, 0.8, 0.95 * tMax}) {
    const double h = 1e-6;
    const torch::Tensor t = torch::full({n, 1}, tv, torch::kFloat64);
    const torch::Tensor fd = (path->psi(t + h, x0, x1) - path->psi(t - h, x0, x1)) / (2 * h);
    const torch::Tensor u = path->conditionalVectorField(t, path->psi(t, x0, x1), x1);
    const double scale = 1 + u.abs().max().item<double>();
    EXPECT_LT((fd - u).abs().max().item<double>() / scale, 1e-6) << "t = " << tv;
    // And the regression target of eq. 14 is the same quantity.
    EXPECT_LT((path->dpsi(t, x0, x1) - u).abs().max().item<double>() / scale, 1e-10);
  }
}

INSTANTIATE_TEST_SUITE_P(AllPaths, PathTheorem3, ::testing::Range<size_t>(0, 4),
                         [](const auto& info) { return allPaths()[info.param].label; });

TEST(CondOTPath, ClosedFormEq21EqualsGenericEq15) {
  for (double sigmaMin : {0.0, 1e-4, 0.2}) {
    CondOTPath path(sigmaMin);
    const torch::Tensor x = torch::randn({32, 2}, torch::kFloat64);
    const torch::Tensor x1 = torch::randn({32, 2}, torch::kFloat64);
    const torch::Tensor t = torch::rand({32, 1}, torch::kFloat64) * 0.99;
    EXPECT_TRUE(torch::allclose(path.conditionalVectorField(t, x, x1),
                                path.conditionalVectorFieldClosedForm(t, x, x1), 1e-10, 1e-12));
  }
}

TEST(CondOTPath, BoundaryValuesAndStraightLineTarget) {
  CondOTPath path(1e-3);
  const torch::Tensor x1 = torch::randn({8, 2}, torch::kFloat64);
  const torch::Tensor x0 = torch::randn({8, 2}, torch::kFloat64);
  const torch::Tensor t0 = torch::zeros({8, 1}, torch::kFloat64);
  const torch::Tensor t1 = torch::ones({8, 1}, torch::kFloat64);
  EXPECT_TRUE(torch::allclose(path.mean(t0, x1), torch::zeros_like(x1)));  // mu_0 = 0
  EXPECT_DOUBLE_EQ(path.stddev(t0, x1).max().item<double>(), 1.0);        // sigma_0 = 1
  EXPECT_TRUE(torch::allclose(path.mean(t1, x1), x1));                     // mu_1 = x1
  EXPECT_NEAR(path.stddev(t1, x1).max().item<double>(), 1e-3, 1e-15);      // sigma_1 = sigma_min
  // eq. 23: the target is x1 - (1 - sigma_min) x0 for every t.
  const torch::Tensor t = torch::rand({8, 1}, torch::kFloat64);
  EXPECT_TRUE(torch::allclose(path.dpsi(t, x0, x1), x1 - (1 - 1e-3) * x0, 1e-12, 1e-12));
}

TEST(VPDiffusionPath, ClosedFormEq19EqualsGenericEq15) {
  VPDiffusionPath path(0.1, 20.0, 1e-5);
  const torch::Tensor x = torch::randn({32, 2}, torch::kFloat64);
  const torch::Tensor x1 = torch::randn({32, 2}, torch::kFloat64);
  const torch::Tensor t = times({0.0, 0.1, 0.4, 0.7, 0.9, 0.99, 0.999, 1 - 1e-5});
  const torch::Tensor xs = x.slice(0, 0, 8), x1s = x1.slice(0, 0, 8);
  const torch::Tensor generic = path.conditionalVectorField(t, xs, x1s);
  const torch::Tensor closed = path.conditionalVectorFieldClosedForm(t, xs, x1s);
  EXPECT_TRUE(torch::allclose(generic, closed, 1e-9, 1e-9))
      << generic << "\n" << closed;
}

TEST(VPDiffusionPath, BoundaryValuesAndTimeRange) {
  VPDiffusionPath path(0.1, 20.0, 1e-5);
  EXPECT_DOUBLE_EQ(path.tMax(), 1 - 1e-5);
  const torch::Tensor x1 = torch::ones({1, 2}, torch::kFloat64);
  const torch::Tensor t0 = times({0.0});
  // T(1) = 0.1 + 19.9/2 = 10.05: mu_0 = e^{-5.025} x1 ~ 0.0066, sigma_0 ~ 1.
  EXPECT_NEAR(path.mean(t0, x1)[0][0].item<double>(), std::exp(-10.05 / 2), 1e-12);
  EXPECT_NEAR(path.stddev(t0, x1).item<double>(), std::sqrt(1 - std::exp(-10.05)), 1e-12);
  EXPECT_NEAR(path.priorStd(), std::sqrt(1 - std::exp(-10.05)), 1e-12);
  // At t = 1 - eps: sigma^2 = 1 - exp(-T(eps)) ~ beta_min * eps, mean ~ x1.
  const torch::Tensor tEnd = times({1 - 1e-5});
  EXPECT_NEAR(path.stddev(tEnd, x1).item<double>(), std::sqrt(0.1 * 1e-5), 1e-6);
  EXPECT_NEAR(path.mean(tEnd, x1)[0][0].item<double>(), 1.0, 1e-5);
  // T(s) = s beta_min + s^2 (beta_max - beta_min) / 2 and beta = T'.
  const torch::Tensor s = times({0.3});
  EXPECT_NEAR(path.bigT(s).item<double>(), 0.3 * 0.1 + 0.045 * 19.9, 1e-12);
  EXPECT_NEAR(path.beta(s).item<double>(),
              (path.bigT(s + 1e-6) - path.bigT(s - 1e-6)).item<double>() / 2e-6, 1e-6);
}

TEST(VEDiffusionPath, ClosedFormEq17AndBoundaries) {
  VEDiffusionPath path(0.01, 8.0);
  const torch::Tensor x = torch::randn({16, 2}, torch::kFloat64);
  const torch::Tensor x1 = torch::randn({16, 2}, torch::kFloat64);
  const torch::Tensor t = torch::rand({16, 1}, torch::kFloat64);
  EXPECT_TRUE(torch::allclose(path.conditionalVectorField(t, x, x1),
                              path.conditionalVectorFieldClosedForm(t, x, x1), 1e-10, 1e-10));
  EXPECT_NEAR(path.stddev(times({0.0}), x1.slice(0, 0, 1)).item<double>(), 8.0, 1e-12);
  EXPECT_NEAR(path.stddev(times({1.0}), x1.slice(0, 0, 1)).item<double>(), 0.01, 1e-12);
  EXPECT_DOUBLE_EQ(path.priorStd(), 8.0);
}

// The conditional path's density is the Gaussian of eq. 10.
TEST(GaussianPath, ConditionalLogDensityIsNormal) {
  CondOTPath path(0.1);
  const torch::Tensor x = torch::tensor({{0.5, -1.0}}, torch::kFloat64);
  const torch::Tensor x1 = torch::tensor({{1.0, 2.0}}, torch::kFloat64);
  const torch::Tensor t = times({0.4});
  const double sigma = 1 - 0.9 * 0.4;
  const double m0 = 0.4, m1 = 0.8;
  const double expected = -((0.5 - m0) * (0.5 - m0) + (-1 - m1) * (-1 - m1)) / (2 * sigma * sigma) -
                          2 * std::log(sigma) - std::log(2 * M_PI);
  EXPECT_NEAR(path.conditionalLogDensity(t, x, x1).item<double>(), expected, 1e-12);
}

// velocityFromNoise is eq. 46 on the VP path: u = -T'(1-t)/2 [s - x] with s = eps/sigma.
TEST(AffineGaussianPath, VelocityFromNoiseIsEq46OnVP) {
  VPDiffusionPath path(0.1, 20.0, 1e-5);
  const torch::Tensor x = torch::randn({8, 2}, torch::kFloat64);
  const torch::Tensor eps = torch::randn({8, 2}, torch::kFloat64);
  const torch::Tensor t = times({0.0, 0.2, 0.4, 0.5, 0.6, 0.8, 0.95, 0.999});
  const torch::Tensor s = eps / path.sigma(t);
  const torch::Tensor eq46 = -0.5 * path.beta(1 - t) * (s - x);
  EXPECT_TRUE(torch::allclose(path.velocityFromNoise(t, x, eps), eq46, 1e-9, 1e-9));
}

// The x1 prediction inverts the pair (x, u) = (alpha x1 + sigma x0, alpha' x1 + sigma' x0) on
// every path, and on OT with sigma_min = 0 is the familiar x + (1 - t) u.
TEST(AffineGaussianPath, PredictedDataRecoversX1FromStateAndVelocity) {
  const torch::Tensor t = times({0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99});
  for (const PathCase& c : allPaths()) {
    SCOPED_TRACE(c.label);
    const auto path = c.make();
    const torch::Tensor tt = t.clamp(path->tMin(), path->tMax());
    const torch::Tensor x0 = torch::randn({7, 5}, torch::kFloat64);
    const torch::Tensor x1 = torch::randn({7, 5}, torch::kFloat64);
    const torch::Tensor x = path->alpha(tt) * x1 + path->sigma(tt) * x0;
    const torch::Tensor u = path->dalpha(tt) * x1 + path->dsigma(tt) * x0;
    EXPECT_TRUE(torch::allclose(path->predictedData(tt, x, u), x1, 1e-7, 1e-7));
  }
  CondOTPath ot(0.0);
  const torch::Tensor x = torch::randn({7, 3}, torch::kFloat64);
  const torch::Tensor u = torch::randn({7, 3}, torch::kFloat64);
  EXPECT_TRUE(torch::allclose(ot.predictedData(t, x, u), x + (1 - t) * u, 1e-12, 1e-12));
}
