// Objectives and their velocity conversions. For a Gaussian target q = N(m, S) every quantity is
// known in closed form: the posterior means E[x0|x_t], E[x1|x_t] and hence the marginal field
// (eq. 8), the exact noise predictor (DDPM) and the exact score (SM). Sampling with each exact
// network through its objective must recover q, and each exact network minimizes its own loss.

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "core/objectives/ConditionalFlowMatching.h"
#include "core/objectives/NoiseMatching.h"
#include "core/objectives/ObjectiveFactory.h"
#include "core/objectives/ScoreMatching.h"
#include "core/config/ExperimentConfig.h"
#include "core/paths/CondOTPath.h"
#include "core/paths/VEDiffusionPath.h"
#include "core/paths/VPDiffusionPath.h"
#include "core/solvers/OdeSolver.h"
#include "core/util/Error.h"
#include "core/util/Random.h"

using namespace flowscope;

namespace {

/// q = N(m, S) in 2D and its posterior means under an affine Gaussian path.
struct GaussianTarget {
  torch::Tensor m = torch::tensor({1.0, -0.5}, torch::kFloat64);
  torch::Tensor s = torch::tensor({{1.0, 0.6}, {0.6, 0.8}}, torch::kFloat64);

  /// Returns (E[x0|x], E[x1|x]) for x_t = alpha x1 + sigma x0 at a single time t.
  std::pair<torch::Tensor, torch::Tensor> posterior(const AffineGaussianPath& p, const torch::Tensor& x,
                                                    double t) const {
    const torch::Tensor tt = torch::tensor({t}, torch::kFloat64);
    const double a = p.alpha(tt).item<double>(), sg = p.sigma(tt).item<double>();
    const torch::Tensor c = a * a * s + sg * sg * torch::eye(2, torch::kFloat64);
    const torch::Tensor r = torch::linalg_solve(c, (x - a * m).t()).t();  // C^{-1}(x - a m)
    return {sg * r, m + a * torch::matmul(r, s)};  // S symmetric
  }

  /// Samples of the exact marginal p_t.
  torch::Tensor marginalSample(const AffineGaussianPath& p, double t, int64_t n, at::Generator& g) const {
    const torch::Tensor tt = torch::tensor({t}, torch::kFloat64);
    const double a = p.alpha(tt).item<double>(), sg = p.sigma(tt).item<double>();
    const torch::Tensor l = torch::linalg_cholesky(a * a * s + sg * sg * torch::eye(2, torch::kFloat64));
    return a * m + torch::matmul(torch::randn({n, 2}, g, torch::kFloat64), l.t());
  }
};

/// The network output that is optimal for `objective` (what training converges to).
NetFn exactNet(const Objective& objective, const GaussianTarget& q) {
  const auto& path = objective.path();
  const std::string name = objective.name();
  return [&path, name, q](const torch::Tensor& x, const torch::Tensor& t) {
    std::vector<torch::Tensor> rows;
    for (int64_t i = 0; i < x.size(0); ++i) {
      const double ti = t[i][0].item<double>();
      const auto [eps, x1] = q.posterior(path, x.slice(0, i, i + 1), ti);
      const torch::Tensor tt = torch::tensor({ti}, torch::kFloat64);
      if (name == "cfm") rows.push_back(path.dalpha(tt) * x1 + path.dsigma(tt) * eps);
      else if (name == "ddpm") rows.push_back(eps);
      else rows.push_back(eps / path.sigma(tt));  // sm, scoreflow: x0 / sigma target
    }
    return torch::cat(rows, 0);
  };
}

/// Vectorized version for sampling (one time for the whole batch).
VelocityFn exactVelocity(const Objective& objective, const GaussianTarget& q) {
  const auto& path = objective.path();
  const std::string name = objective.name();
  return [&objective, &path, name, q](const torch::Tensor& x, double t) {
    const auto [eps, x1] = q.posterior(path, x, t);
    const torch::Tensor tt = torch::full({x.size(0), 1}, t, torch::kFloat64);
    torch::Tensor out;
    if (name == "cfm") out = path.dalpha(tt) * x1 + path.dsigma(tt) * eps;
    else if (name == "ddpm") out = eps;
    else out = eps / path.sigma(tt);
    return objective.velocity(out, x, tt);
  };
}

struct Case {
  std::string label, objective;
  std::function<std::shared_ptr<const AffineGaussianPath>()> path;
};

std::vector<Case> cases() {
  auto ot = [] { return std::make_shared<CondOTPath>(1e-3); };
  auto vp = [] { return std::make_shared<VPDiffusionPath>(0.1, 20.0, 1e-5); };
  auto ve = [] { return std::make_shared<VEDiffusionPath>(0.01, 8.0); };
  return {{"cfm_ot", "cfm", ot},         {"cfm_vp", "cfm", vp}, {"cfm_ve", "cfm", ve},
          {"ddpm_vp", "ddpm", vp},       {"sm_vp", "sm", vp},   {"scoreflow_vp", "scoreflow", vp},
          {"ddpm_ve", "ddpm", ve},       {"sm_ve", "sm", ve}};
}

std::shared_ptr<const Objective> build(const Case& c) {
  ObjectiveConfig oc;
  oc.name = c.objective;
  return makeObjective(oc, c.path());
}

class ExactSampling : public ::testing::TestWithParam<size_t> {};

}  // namespace

// Integrating the converted velocity from the exact p_{t_min} lands on q's mean and covariance.
TEST_P(ExactSampling, RecoversTheGaussianTarget) {
  const Case c = cases()[GetParam()];
  const auto objective = build(c);
  const GaussianTarget q;
  at::Generator gen = makeGenerator(7);
  const int64_t n = 20000;
  const auto& path = objective->path();
  const torch::Tensor x0 = q.marginalSample(path, path.tMin(), n, gen);
  SolveOptions o;
  o.method = SolverMethod::Dopri5;
  o.atol = o.rtol = 1e-7;
  o.t0 = path.tMin();
  o.t1 = path.tMax();
  const torch::Tensor x1 = solve(exactVelocity(*objective, q), x0, o).final();

  const torch::Tensor mean = x1.mean(0);
  const torch::Tensor centered = x1 - mean;
  const torch::Tensor cov = torch::matmul(centered.t(), centered) / (n - 1);
  // Standard errors: mean sqrt(S_ii / n) ~ 0.007; covariance entries ~ 0.01.
  EXPECT_LT((mean - q.m).abs().max().item<double>(), 0.03) << mean;
  EXPECT_LT((cov - q.s).abs().max().item<double>(), 0.05) << cov;
}

INSTANTIATE_TEST_SUITE_P(Objectives, ExactSampling, ::testing::Range<size_t>(0, 8),
                         [](const auto& info) { return cases()[info.param].label; });

// The exact network minimizes the Monte-Carlo loss: any perturbation of it increases the loss.
TEST(Objectives, ExactNetworkMinimizesItsLoss) {
  const GaussianTarget q;
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.label);
    const auto objective = build(c);
    at::Generator gen = makeGenerator(3);
    const int64_t n = 4000;
    const auto& path = objective->path();
    // Draw x1 ~ q and evaluate all variants on the same (t, x0, x1).
    const torch::Tensor l = torch::linalg_cholesky(q.s);
    const torch::Tensor x1 = q.m + torch::matmul(torch::randn({n, 2}, gen, torch::kFloat64), l.t());
    // Stay away from t_max where sm/scoreflow targets have huge variance.
    const torch::Tensor t = torch::rand({n, 1}, gen, torch::kFloat64) * 0.9 * path.tMax();
    const torch::Tensor x0 = torch::randn({n, 2}, gen, torch::kFloat64);
    const NetFn exact = exactNet(*objective, q);
    const torch::Tensor cached = exact(path.psi(t, x0, x1), t);
    const NetFn cachedNet = [&](const torch::Tensor&, const torch::Tensor&) { return cached; };
    const double best = objective->lossAt(cachedNet, t, x0, x1).item<double>();
    for (double shift : {-0.05, 0.05}) {
      const NetFn shifted = [&](const torch::Tensor&, const torch::Tensor&) {
        return cached + shift * cached.abs().mean();
      };
      const NetFn scaled = [&](const torch::Tensor&, const torch::Tensor&) {
        return cached * (1 + shift);
      };
      EXPECT_LT(best, objective->lossAt(shifted, t, x0, x1).item<double>()) << shift;
      EXPECT_LT(best, objective->lossAt(scaled, t, x0, x1).item<double>()) << shift;
    }
  }
}

TEST(Objectives, CfmTargetIsEq23OnTheOTPath) {
  auto path = std::make_shared<CondOTPath>(1e-2);
  ConditionalFlowMatching cfm(path);
  const torch::Tensor x1 = torch::randn({16, 2}, torch::kFloat64);
  const torch::Tensor x0 = torch::randn({16, 2}, torch::kFloat64);
  const torch::Tensor t = torch::rand({16, 1}, torch::kFloat64);
  // A network returning exactly x1 - (1 - sigma_min) x0 has zero loss.
  const NetFn perfect = [&](const torch::Tensor&, const torch::Tensor&) { return x1 - 0.99 * x0; };
  EXPECT_LT(cfm.lossAt(perfect, t, x0, x1).item<double>(), 1e-24);
}

TEST(Objectives, ScoreFlowWeightIsBetaOfOneMinusT) {
  auto path = std::make_shared<VPDiffusionPath>(0.1, 20.0, 1e-5);
  ScoreMatching sf(path, ScoreMatching::Weighting::ScoreFlow);
  ScoreMatching sm(path, ScoreMatching::Weighting::SigmaSquared);
  const torch::Tensor t = torch::tensor({{0.25}}, torch::kFloat64);
  EXPECT_NEAR(sf.weight(t).item<double>(), 0.1 + 0.75 * 19.9, 1e-12);
  EXPECT_NEAR(sm.weight(t).item<double>(), path->sigma(t).square().item<double>(), 1e-15);
}

TEST(Objectives, FactoryRejectsIncompatiblePaths) {
  ObjectiveConfig oc;
  for (const char* name : {"sm", "ddpm", "scoreflow"}) {
    oc.name = name;
    EXPECT_THROW(makeObjective(oc, std::make_shared<CondOTPath>(1e-4)), ConfigError) << name;
  }
  oc.name = "scoreflow";
  EXPECT_THROW(makeObjective(oc, std::make_shared<VEDiffusionPath>(0.01, 8)), ConfigError);
  oc.name = "flow";
  try {
    makeObjective(oc, std::make_shared<CondOTPath>(1e-4));
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "objective.name");
  }
}

// Objective::loss draws t and x0 only from the given generator: same seed, same loss.
TEST(Objectives, LossIsReproducibleFromTheGenerator) {
  auto path = std::make_shared<VPDiffusionPath>(0.1, 20.0, 1e-5);
  NoiseMatching ddpm(path);
  const torch::Tensor x1 = torch::randn({64, 2});
  const NetFn net = [](const torch::Tensor& x, const torch::Tensor& t) { return x * t; };
  at::Generator a = makeGenerator(11), b = makeGenerator(11), c = makeGenerator(12);
  const double la = ddpm.loss(net, x1, a).item<double>();
  EXPECT_EQ(la, ddpm.loss(net, x1, b).item<double>());
  EXPECT_NE(la, ddpm.loss(net, x1, c).item<double>());
}
