// ODE solvers: convergence order on an ODE with a known solution, dopri5 accuracy against its
// tolerance, dense output, backward integration, NFE accounting and failure reporting.

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <atomic>
#include <cmath>

#include "core/solvers/OdeSolver.h"
#include "core/util/Error.h"

using namespace flowscope;

namespace {

// dx/dt = cos(t) x + t: non-autonomous and coupled to t, with exact solution
// x(t) = e^{sin t} (x0 + int_0^t s e^{-sin s} ds); we use the homogeneous part plus a rotation.
// Simpler closed form: dx/dt = A(t) x with A = [[0, -w(t)], [w(t), 0]] rotates x by W(t) = int w.
// w(t) = 1 + t gives W(t) = t + t^2/2; radial part dx/dt += cos(t) x scales by e^{sin t}.
torch::Tensor field(const torch::Tensor& x, double t) {
  const double w = 1 + t;
  const torch::Tensor rotated = torch::stack({-x.select(1, 1), x.select(1, 0)}, 1);
  return w * rotated + std::cos(t) * x;
}

torch::Tensor exact(const torch::Tensor& x0, double t0, double t) {
  const double angle = (t + t * t / 2) - (t0 + t0 * t0 / 2);
  const double scale = std::exp(std::sin(t) - std::sin(t0));
  const double c = std::cos(angle), s = std::sin(angle);
  const torch::Tensor a = x0.select(1, 0), b = x0.select(1, 1);
  return scale * torch::stack({c * a - s * b, s * a + c * b}, 1);
}

torch::Tensor start() {
  return torch::tensor({{1.0, 0.0}, {0.3, -0.7}, {-2.0, 0.5}}, torch::kFloat64);
}

double error(SolverMethod method, int steps) {
  SolveOptions o;
  o.method = method;
  o.steps = steps;
  o.t0 = 0;
  o.t1 = 2;
  const SolveResult r = solve(field, start(), o);
  return (r.final() - exact(start(), 0, 2)).abs().max().item<double>();
}

class FixedStepOrder : public ::testing::TestWithParam<SolverMethod> {};

}  // namespace

// Halving the step divides the global error by 2^order.
TEST_P(FixedStepOrder, ObservedOrderMatchesTheory) {
  const SolverMethod method = GetParam();
  const int order = solverOrder(method);
  const int k = method == SolverMethod::RK4 ? 16 : 64;
  const double e1 = error(method, k), e2 = error(method, 2 * k), e3 = error(method, 4 * k);
  const double observed1 = std::log2(e1 / e2), observed2 = std::log2(e2 / e3);
  EXPECT_NEAR(observed1, order, 0.25) << "errors " << e1 << " " << e2;
  EXPECT_NEAR(observed2, order, 0.15) << "errors " << e2 << " " << e3;
}

INSTANTIATE_TEST_SUITE_P(Solvers, FixedStepOrder,
                         ::testing::Values(SolverMethod::Euler, SolverMethod::Midpoint,
                                           SolverMethod::Heun, SolverMethod::RK4),
                         [](const auto& info) { return solverMethodName(info.param); });

TEST(FixedStep, NfeIsStepsTimesStages) {
  const std::pair<SolverMethod, int> cases[] = {{SolverMethod::Euler, 1},
                                                {SolverMethod::Midpoint, 2},
                                                {SolverMethod::Heun, 2},
                                                {SolverMethod::RK4, 4}};
  for (const auto& [method, stages] : cases) {
    SolveOptions o;
    o.method = method;
    o.steps = 10;
    const SolveResult r = solve(field, start(), o);
    EXPECT_EQ(r.nfe, 10 * stages) << solverMethodName(method);
    EXPECT_EQ(r.acceptedSteps, 10);
  }
}

// States at intermediate times: exact on grid points, third-order Hermite in between.
TEST(FixedStep, OutputTimesOnAndOffTheGrid) {
  SolveOptions o;
  o.method = SolverMethod::RK4;
  o.steps = 200;
  o.t0 = 0;
  o.t1 = 2;
  o.times = {0.0, 0.5, 0.503, 1.0, 1.9999, 2.0};
  const SolveResult r = solve(field, start(), o);
  ASSERT_EQ(r.states.size(), o.times.size());
  for (size_t i = 0; i < o.times.size(); ++i)
    EXPECT_LT((r.states[i] - exact(start(), 0, o.times[i])).abs().max().item<double>(), 1e-7)
        << "t = " << o.times[i];
  EXPECT_EQ(r.nfe, 4 * 200 + 1);  // one extra evaluation for the output inside the last step
}

TEST(Dopri5, ErrorWithinToleranceAndShrinksWithIt) {
  double previous = 1e9;
  int64_t previousNfe = 0;
  for (double tol : {1e-4, 1e-6, 1e-8}) {
    SolveOptions o;
    o.method = SolverMethod::Dopri5;
    o.atol = o.rtol = tol;
    o.t1 = 2;
    const SolveResult r = solve(field, start(), o);
    const double err = (r.final() - exact(start(), 0, 2)).abs().max().item<double>();
    EXPECT_LT(err, 50 * tol) << "tol " << tol;
    EXPECT_LT(err, previous);
    EXPECT_GT(r.nfe, previousNfe);
    EXPECT_EQ(r.nfe, 2 + 6 * (r.acceptedSteps + r.rejectedSteps));
    previous = err;
    previousNfe = r.nfe;
  }
}

TEST(Dopri5, DenseOutputMatchesExactSolution) {
  SolveOptions o;
  o.method = SolverMethod::Dopri5;
  o.atol = o.rtol = 1e-8;
  o.t1 = 2;
  for (int i = 0; i <= 40; ++i) o.times.push_back(i * 0.05);
  const SolveResult r = solve(field, start(), o);
  ASSERT_EQ(r.states.size(), 41u);
  for (size_t i = 0; i < r.states.size(); ++i)
    EXPECT_LT((r.states[i] - exact(start(), 0, o.times[i])).abs().max().item<double>(), 1e-6)
        << "t = " << o.times[i];
  // Dense output is free: the NFE equals that of a solve without output times.
  SolveOptions plain = o;
  plain.times.clear();
  EXPECT_EQ(solve(field, start(), plain).nfe, r.nfe);
}

TEST(Solvers, BackwardIntegrationInvertsForward) {
  for (SolverMethod m : {SolverMethod::RK4, SolverMethod::Dopri5}) {
    SolveOptions fwd;
    fwd.method = m;
    fwd.steps = 100;
    fwd.atol = fwd.rtol = 1e-9;
    fwd.t0 = 0.25;
    fwd.t1 = 1.5;
    const torch::Tensor x1 = solve(field, start(), fwd).final();
    SolveOptions bwd = fwd;
    std::swap(bwd.t0, bwd.t1);
    bwd.times = {1.0, 0.25};  // ordered from t0 = 1.5 towards t1 = 0.25
    const SolveResult back = solve(field, x1, bwd);
    EXPECT_LT((back.states[0] - exact(start(), 0.25, 1.0)).abs().max().item<double>(), 1e-6);
    EXPECT_LT((back.final() - start()).abs().max().item<double>(), 1e-6) << solverMethodName(m);
  }
}

TEST(Solvers, BadOptionsNameTheProblem) {
  SolveOptions o;
  o.times = {0.5, 0.2};
  try {
    solve(field, start(), o);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("out of order"), std::string::npos) << e.what();
  }
  o.times = {1.5};
  EXPECT_THROW(solve(field, start(), o), InputError);
  o.times.clear();
  o.method = SolverMethod::Euler;
  o.steps = 0;
  EXPECT_THROW(solve(field, start(), o), InputError);
  EXPECT_THROW(parseSolverMethod("rk45"), InputError);
  EXPECT_EQ(parseSolverMethod("heun"), SolverMethod::Heun);
}

// A field that blows up at t = 0.5: dopri5 reports where, or returns the partial solve on request.
TEST(Dopri5, FailureNamesTimeAndCanReturnPartialStates) {
  const VelocityFn blowUp = [](const torch::Tensor& x, double t) {
    return x * (1.0 / std::pow(std::abs(0.5 - t) + 1e-300, 2.0));
  };
  SolveOptions o;
  o.method = SolverMethod::Dopri5;
  o.times = {0.25, 1.0};
  o.maxSteps = 2000;
  try {
    solve(blowUp, start(), o);
    FAIL() << "expected SolverError";
  } catch (const SolverError& e) {
    EXPECT_NE(std::string(e.what()).find("t = 0.4"), std::string::npos) << e.what();
  }
  o.returnPartialOnFailure = true;
  const SolveResult r = solve(blowUp, start(), o);
  EXPECT_FALSE(r.completed);
  EXPECT_EQ(r.states.size(), 1u);  // t = 0.25 was reached
  EXPECT_FALSE(r.message.empty());
}

TEST(Solvers, CancellationStopsEarly) {
  std::atomic<bool> cancel{true};
  SolveOptions o;
  o.method = SolverMethod::Euler;
  o.steps = 1000;
  o.cancel = &cancel;
  const SolveResult r = solve(field, start(), o);
  EXPECT_FALSE(r.completed);
  EXPECT_LE(r.nfe, 1);
}
