#include "core/solvers/FixedStepSolvers.h"

#include <torch/torch.h>

#include <cmath>

#include "core/solvers/DenseOutput.h"

namespace flowscope {

torch::Tensor hermiteInterpolate(const torch::Tensor& xa, const torch::Tensor& fa,
                                 const torch::Tensor& xb, const torch::Tensor& fb, double ta,
                                 double tb, double t) {
  const double h = tb - ta;
  const double s = (t - ta) / h;
  const double s2 = s * s, s3 = s2 * s;
  const double h00 = 2 * s3 - 3 * s2 + 1, h10 = s3 - 2 * s2 + s;
  const double h01 = -2 * s3 + 3 * s2, h11 = s3 - s2;
  return h00 * xa + (h10 * h) * fa + h01 * xb + (h11 * h) * fb;
}

namespace {

/// One step from (t, x) with first stage k1 = v(x, t) already known.
torch::Tensor fixedStep(SolverMethod method, const VelocityFn& v, const torch::Tensor& x,
                        const torch::Tensor& k1, double t, double h, int64_t& nfe) {
  switch (method) {
    case SolverMethod::Euler:
      return x + h * k1;
    case SolverMethod::Midpoint: {
      const torch::Tensor k2 = v(x + (0.5 * h) * k1, t + 0.5 * h);
      nfe += 1;
      return x + h * k2;
    }
    case SolverMethod::Heun: {
      const torch::Tensor k2 = v(x + h * k1, t + h);
      nfe += 1;
      return x + (0.5 * h) * (k1 + k2);
    }
    case SolverMethod::RK4: {
      const torch::Tensor k2 = v(x + (0.5 * h) * k1, t + 0.5 * h);
      const torch::Tensor k3 = v(x + (0.5 * h) * k2, t + 0.5 * h);
      const torch::Tensor k4 = v(x + h * k3, t + h);
      nfe += 3;
      return x + (h / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
    }
    case SolverMethod::Dopri5:
      break;
  }
  throw std::logic_error("fixedStep: not a fixed-step method");
}

}  // namespace

SolveResult solveFixedStep(const VelocityFn& v, const torch::Tensor& x0, const SolveOptions& o,
                           const std::vector<double>& times) {
  SolveResult result;
  result.times = times;
  result.states.reserve(times.size());

  const int k = o.steps;
  const double h = (o.t1 - o.t0) / k;
  // Outputs within this distance of a grid point take the grid state itself.
  const double snap = 1e-9 * std::abs(h);
  size_t next = 0;

  torch::Tensor x = x0;
  while (next < times.size() && std::abs(times[next] - o.t0) <= snap) {
    result.states.push_back(x0);
    ++next;
  }
  if (next == times.size()) return result;

  torch::Tensor f = v(x, o.t0);
  result.nfe = 1;
  for (int n = 0; n < k; ++n) {
    if (o.cancel && o.cancel->load()) {
      result.completed = false;
      result.message = "cancelled at t = " + std::to_string(o.t0 + n * h);
      return result;
    }
    const double ta = o.t0 + n * h;
    const double tb = (n + 1 == k) ? o.t1 : o.t0 + (n + 1) * h;
    torch::Tensor xNext = fixedStep(o.method, v, x, f, ta, tb - ta, result.nfe);
    ++result.acceptedSteps;

    // Velocity at the new point: the next step's first stage, needed now only when an output
    // time falls strictly inside this step.
    torch::Tensor fNext;
    const bool last = (n + 1 == k);
    const double dir = o.t1 > o.t0 ? 1.0 : -1.0;
    const bool interiorOutput = next < times.size() && (times[next] - tb) * dir < 0 &&
                                std::abs(times[next] - tb) > snap;
    if (!last || interiorOutput) {
      fNext = v(xNext, tb);
      ++result.nfe;
    }
    while (next < times.size()) {
      const double t = times[next];
      if (std::abs(t - tb) <= snap) {
        result.states.push_back(xNext);
      } else if ((t - tb) * dir < 0) {
        result.states.push_back(hermiteInterpolate(x, f, xNext, fNext, ta, tb, t));
      } else {
        break;
      }
      ++next;
    }
    x = std::move(xNext);
    f = std::move(fNext);
    if (next == times.size()) break;
  }
  return result;
}

}  // namespace flowscope
