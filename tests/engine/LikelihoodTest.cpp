// Likelihood (Appendix C): an affine flow of a Gaussian has a Gaussian density in closed form, so
// log p_1 from every solver must match it; the Hutchinson estimator is unbiased; forward and
// backward solves agree; bits per dimension follow eq. 36-37 and eq. 47.

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "core/likelihood/BitsPerDim.h"
#include "core/likelihood/Likelihood.h"
#include "core/util/Error.h"
#include "core/util/Random.h"

using namespace flowscope;

namespace {

// v_t(x) = (1 + t) A x + b: non-autonomous, affine, so p_t stays Gaussian.
const torch::Tensor kA = torch::tensor({{0.3, -0.5}, {0.2, -0.1}}, torch::kFloat64);
const torch::Tensor kB = torch::tensor({0.5, -1.0}, torch::kFloat64);
constexpr double kPriorStd = 1.3;

torch::Tensor affineField(const torch::Tensor& x, double t) {
  return (1 + t) * torch::matmul(x, kA.t().to(x.scalar_type())) + kB.to(x.scalar_type());
}

/// Mean and covariance of p_1 by integrating dm/dt = A(t) m + b, dS/dt = A(t) S + S A(t)^T with
/// many RK4 steps (independent of the code under test).
std::pair<torch::Tensor, torch::Tensor> affineMoments() {
  torch::Tensor m = torch::zeros({2}, torch::kFloat64);
  torch::Tensor s = kPriorStd * kPriorStd * torch::eye(2, torch::kFloat64);
  auto fm = [](const torch::Tensor& m, double t) { return (1 + t) * torch::matmul(kA, m) + kB; };
  auto fs = [](const torch::Tensor& s, double t) {
    const torch::Tensor a = (1 + t) * kA;
    return torch::matmul(a, s) + torch::matmul(s, a.t());
  };
  const int n = 4000;
  const double h = 1.0 / n;
  for (int i = 0; i < n; ++i) {
    const double t = i * h;
    const auto k1 = fm(m, t), k2 = fm(m + h / 2 * k1, t + h / 2), k3 = fm(m + h / 2 * k2, t + h / 2),
               k4 = fm(m + h * k3, t + h);
    const auto l1 = fs(s, t), l2 = fs(s + h / 2 * l1, t + h / 2), l3 = fs(s + h / 2 * l2, t + h / 2),
               l4 = fs(s + h * l3, t + h);
    m = m + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
    s = s + h / 6 * (l1 + 2 * l2 + 2 * l3 + l4);
  }
  return {m, s};
}

torch::Tensor gaussianLogPdf(const torch::Tensor& x, const torch::Tensor& m, const torch::Tensor& s) {
  const torch::Tensor d = x - m;
  const torch::Tensor sol = torch::linalg_solve(s, d.t()).t();
  return -0.5 * (d * sol).sum(1) - 0.5 * torch::logdet(s) - std::log(2 * M_PI);
}

torch::Tensor testPoints() {
  at::Generator gen = makeGenerator(4);
  const auto [m, s] = affineMoments();
  return m + torch::matmul(torch::randn({200, 2}, gen, torch::kFloat64), torch::linalg_cholesky(s).t());
}

}  // namespace

TEST(Likelihood, AffineFlowMatchesClosedFormForEverySolver) {
  const auto [m, s] = affineMoments();
  const torch::Tensor x = testPoints();
  const torch::Tensor expected = gaussianLogPdf(x, m, s);
  const struct {
    SolverMethod method;
    int steps;
    double tol;
  } cases[] = {{SolverMethod::Euler, 2000, 5e-3},
               {SolverMethod::Midpoint, 200, 1e-4},
               {SolverMethod::Heun, 200, 1e-4},
               {SolverMethod::RK4, 50, 1e-6},
               {SolverMethod::Dopri5, 0, 1e-4}};
  for (const auto& c : cases) {
    LikelihoodOptions o;
    o.solver.method = c.method;
    o.solver.steps = c.steps;
    const LikelihoodResult r = logLikelihood(affineField, x, 1.0, 0.0, kPriorStd, o);
    EXPECT_LT((r.logp - expected).abs().max().item<double>(), c.tol) << solverMethodName(c.method);
    EXPECT_GT(r.nfe, 0);
  }
}

TEST(Likelihood, LogDensityAtIntermediateTimeIsTheMarginal) {
  // p_t for t = 0.5 by starting the backward solve at 0.5: compare with moments integrated to 0.5.
  const torch::Tensor x = torch::tensor({{0.1, 0.2}, {-1.0, 0.5}}, torch::kFloat64);
  LikelihoodOptions o;
  o.solver.method = SolverMethod::RK4;
  o.solver.steps = 100;
  const LikelihoodResult half = logLikelihood(affineField, x, 0.5, 0.0, kPriorStd, o);
  const LikelihoodResult zero = logLikelihood(affineField, x, 0.0 + 1e-12, 0.0, kPriorStd, o);
  // At t ~ 0 the density is the prior.
  EXPECT_LT((zero.logp - gaussianLogDensity(x, kPriorStd)).abs().max().item<double>(), 1e-9);
  // div v = (1 + t) tr A is constant in x: log p_0.5(x) = log p_0(x_0) - int_0^0.5 (1+t) tr A dt.
  const double trA = 0.3 - 0.1;
  const torch::Tensor expected = gaussianLogDensity(half.latent, kPriorStd) - trA * (0.5 + 0.125);
  EXPECT_LT((half.logp - expected).abs().max().item<double>(), 1e-9);
}

// E_z[z^T J z] = tr J: the mean of many single-probe estimates is within 4 standard errors of the
// exact divergence of a nonlinear field, for Gaussian and Rademacher probes.
TEST(Likelihood, HutchinsonIsUnbiased) {
  torch::manual_seed(0);
  const torch::Tensor w1 = torch::randn({2, 16}, torch::kFloat64), w2 = torch::randn({16, 2}, torch::kFloat64);
  const auto field = [&](const torch::Tensor& x) { return torch::matmul(torch::tanh(torch::matmul(x, w1)), w2); };
  const torch::Tensor x = torch::randn({4, 2}, torch::kFloat64).requires_grad_(true);
  const torch::Tensor exact = exactDivergence(field(x), x);
  // Independent check of the exact divergence by finite differences.
  const double h = 1e-6;
  torch::Tensor fd = torch::zeros({4}, torch::kFloat64);
  for (int i = 0; i < 2; ++i) {
    torch::Tensor e = torch::zeros({1, 2}, torch::kFloat64);
    e[0][i] = h;
    fd += ((field(x.detach() + e) - field(x.detach() - e)) / (2 * h)).select(1, i);
  }
  EXPECT_LT((exact - fd).abs().max().item<double>(), 1e-6);

  for (ProbeKind kind : {ProbeKind::Gaussian, ProbeKind::Rademacher}) {
    at::Generator gen = makeGenerator(9);
    const int m = 4000;
    std::vector<torch::Tensor> estimates;
    for (int k = 0; k < m; ++k) {
      torch::Tensor z = torch::randn({4, 2}, gen, torch::kFloat64);
      if (kind == ProbeKind::Rademacher) z = torch::sign(z);
      estimates.push_back(hutchinsonDivergence(field(x), x, {z}));
    }
    const torch::Tensor all = torch::stack(estimates);
    const torch::Tensor se = all.std(0) / std::sqrt(static_cast<double>(m));
    EXPECT_TRUE(((all.mean(0) - exact).abs() < 4 * se + 1e-12).all().item<bool>())
        << all.mean(0) << exact << se;
  }
}

TEST(Likelihood, HutchinsonLikelihoodAveragesToExact) {
  const torch::Tensor x = testPoints().slice(0, 0, 50);
  LikelihoodOptions exact;
  exact.solver.method = SolverMethod::RK4;
  exact.solver.steps = 40;
  LikelihoodOptions hutch = exact;
  hutch.exact = false;
  hutch.probes = 8;
  // For an affine field every probe gives z^T A z, unbiased around tr A: the average over 8 probes
  // and 50 points is close to the exact value, and exact for Rademacher probes on the diagonal.
  const torch::Tensor a = logLikelihood(affineField, x, 1, 0, kPriorStd, exact).logp;
  const torch::Tensor b = logLikelihood(affineField, x, 1, 0, kPriorStd, hutch).logp;
  EXPECT_LT((a - b).mean().abs().item<double>(), 0.1);
  EXPECT_GT((a - b).abs().max().item<double>(), 0.0);  // really an estimate, not the exact path
}

TEST(Likelihood, ForwardAndBackwardSolvesAgree) {
  at::Generator gen = makeGenerator(2);
  const torch::Tensor x0 = kPriorStd * torch::randn({100, 2}, gen, torch::kFloat64);
  LikelihoodOptions o;
  o.solver.atol = o.solver.rtol = 1e-8;
  const LikelihoodResult fwd = sampleWithLogLikelihood(affineField, x0, 0.0, 1.0, kPriorStd, o);
  const LikelihoodResult bwd = logLikelihood(affineField, fwd.latent, 1.0, 0.0, kPriorStd, o);
  EXPECT_LT((fwd.logp - bwd.logp).abs().max().item<double>(), 1e-6);
  EXPECT_LT((bwd.latent - x0).abs().max().item<double>(), 1e-6);
}

TEST(Likelihood, BatchingDoesNotChangeExactResults) {
  const torch::Tensor x = testPoints().slice(0, 0, 30);
  LikelihoodOptions o;
  o.solver.method = SolverMethod::RK4;
  o.solver.steps = 20;
  const torch::Tensor whole = logLikelihood(affineField, x, 1, 0, kPriorStd, o).logp;
  o.batchSize = 7;
  const torch::Tensor batched = logLikelihood(affineField, x, 1, 0, kPriorStd, o).logp;
  EXPECT_TRUE(torch::allclose(whole, batched, 1e-12, 1e-12));
}

// Model density uniform on [-1, 1]^d: p(y) = 2^-d, so log p(x + u) = -8 d log 2 and BPD = 8.
TEST(BitsPerDim, UniformModelGivesEightBits) {
  at::Generator gen = makeGenerator(1);
  const torch::Tensor x = torch::randint(0, 256, {10, 12}, gen);
  const LogDensityFn uniform = [](const torch::Tensor& y) {
    return torch::full({y.size(0)}, -static_cast<double>(y[0].numel()) * std::log(2.0), torch::kFloat64);
  };
  for (int k : {1, 5}) {
    const BpdResult r = bitsPerDim(uniform, x, k, gen);
    EXPECT_NEAR(r.meanBpd, 8.0, 1e-12);
  }
}

// A model density that oscillates inside every bin: p(y) = prod (1 + a sin(2 pi u)) / 2 with
// u = frac(128 (y + 1)). Each pixel bin holds mass exactly 1/256, so log P(x) = -8 d log 2, while
// one dequantization averages to E_u[log p] = log P + d log((1 + sqrt(1 - a^2)) / 2) (Jensen gap in
// closed form). The importance-weighted estimate (eq. 47) closes the gap as K grows.
TEST(BitsPerDim, ImportanceWeightedEstimateApproachesDiscreteMass) {
  const double a = 0.9;
  const LogDensityFn wavy = [a](const torch::Tensor& y) {
    const torch::Tensor u = torch::frac(128 * (y.to(torch::kFloat64) + 1));
    return torch::log((1 + a * torch::sin(2 * M_PI * u)) / 2).sum(1);
  };
  const torch::Tensor x = torch::tensor({{0, 17, 128, 255}}, torch::kInt64);
  const double d = 4;
  const double exactLogP = -8 * d * std::log(2.0);
  const double k1Expected = exactLogP + d * std::log((1 + std::sqrt(1 - a * a)) / 2);
  at::Generator gen = makeGenerator(3);
  double k1 = 0, k50 = 0;
  const int reps = 400;
  for (int i = 0; i < reps; ++i) k1 += bitsPerDim(wavy, x, 1, gen).logProb.item<double>() / reps;
  for (int i = 0; i < reps; ++i) k50 += bitsPerDim(wavy, x, 50, gen).logProb.item<double>() / reps;
  // Standard errors of these averages: ~0.03 (K = 1) and ~0.01 (K = 50).
  EXPECT_NEAR(k1, k1Expected, 0.1);  // K = 1: the variational bound
  // K = 50: the bias is about -d Var(p/P) / (2K) = -0.016; within 3 standard errors of it.
  EXPECT_NEAR(k50, exactLogP - 0.016, 0.04);
  EXPECT_GT(k50, k1 + 1.0);
  // BPD is -log P / (d log 2); for the exact mass it is 8.
  const BpdResult r = bitsPerDim(wavy, x, 50, gen);
  EXPECT_NEAR(r.bpd.item<double>(), -r.logProb.item<double>() / (d * std::log(2.0)), 1e-12);
  EXPECT_NEAR(r.meanBpd, 8.0, 0.05);
  EXPECT_THROW(bitsPerDim(wavy, x + 300, 1, gen), InputError);
  EXPECT_THROW(bitsPerDim(wavy, x, 0, gen), InputError);
}
