#include "core/solvers/Dopri5.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace flowscope {
namespace {

// Butcher tableau of Dormand & Prince (1980).
constexpr double c2 = 1.0 / 5, c3 = 3.0 / 10, c4 = 4.0 / 5, c5 = 8.0 / 9;
constexpr double a21 = 1.0 / 5;
constexpr double a31 = 3.0 / 40, a32 = 9.0 / 40;
constexpr double a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9;
constexpr double a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561,
                 a54 = -212.0 / 729;
constexpr double a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176,
                 a65 = -5103.0 / 18656;
// Fifth-order weights (also the 7th stage's row: FSAL).
constexpr double b1 = 35.0 / 384, b3 = 500.0 / 1113, b4 = 125.0 / 192, b5 = -2187.0 / 6784,
                 b6 = 11.0 / 84;
// Fifth- minus fourth-order weights: the local error estimate.
constexpr double e1 = 35.0 / 384 - 5179.0 / 57600, e3 = 500.0 / 1113 - 7571.0 / 16695,
                 e4 = 125.0 / 192 - 393.0 / 640, e5 = -2187.0 / 6784 + 92097.0 / 339200,
                 e6 = 11.0 / 84 - 187.0 / 2100, e7 = -1.0 / 40;
// State at the step's midpoint, for the quartic dense output.
constexpr double m1 = 6025192743.0 / 30085553152 / 2, m3 = 51252292925.0 / 65400821598 / 2,
                 m4 = -2691868925.0 / 45128329728 / 2, m5 = 187940372067.0 / 1594534317056 / 2,
                 m6 = -1776094331.0 / 19743644256 / 2, m7 = 11237099.0 / 235043384 / 2;

constexpr double kSafety = 0.9, kMinFactor = 0.2, kMaxFactor = 10.0;

double rmsNorm(const torch::Tensor& v) {
  return std::sqrt(v.to(torch::kFloat64).square().mean().item<double>());
}

/// Quartic through x0, xMid, x1 with end slopes f0, f1 on [ta, ta + h], evaluated at t.
torch::Tensor quarticInterpolate(const torch::Tensor& x0, const torch::Tensor& x1,
                                 const torch::Tensor& xMid, const torch::Tensor& f0,
                                 const torch::Tensor& f1, double ta, double h, double t) {
  const torch::Tensor a = (2 * h) * (f1 - f0) - 8 * (x1 + x0) + 16 * xMid;
  const torch::Tensor b = h * (5 * f0 - 3 * f1) + 18 * x0 + 14 * x1 - 32 * xMid;
  const torch::Tensor c = h * (f1 - 4 * f0) - 11 * x0 - 5 * x1 + 16 * xMid;
  const double s = (t - ta) / h;
  return x0 + s * (h * f0 + s * (c + s * (b + s * a)));
}

/// Initial step (Hairer et al. II.4, algorithm of Section "Starting Step Size").
double initialStep(const VelocityFn& v, const torch::Tensor& x0, const torch::Tensor& f0,
                   double t0, double dir, const SolveOptions& o, int64_t& nfe) {
  const torch::Tensor scale = o.atol + o.rtol * x0.abs();
  const double d0 = rmsNorm(x0 / scale), d1 = rmsNorm(f0 / scale);
  const double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
  const torch::Tensor f1 = v(x0 + (dir * h0) * f0, t0 + dir * h0);
  ++nfe;
  const double d2 = rmsNorm((f1 - f0) / scale) / h0;
  const double dmax = std::max(d1, d2);
  const double h1 = dmax <= 1e-15 ? std::max(1e-6, h0 * 1e-3) : std::pow(0.01 / dmax, 1.0 / 5);
  return std::min(100 * h0, h1);
}

}  // namespace

SolveResult solveDopri5(const VelocityFn& v, const torch::Tensor& x0, const SolveOptions& o,
                        const std::vector<double>& times) {
  SolveResult result;
  result.times = times;
  result.states.reserve(times.size());

  const double dir = o.t1 > o.t0 ? 1.0 : -1.0;
  const double span = std::abs(o.t1 - o.t0);
  size_t next = 0;
  while (next < times.size() && times[next] == o.t0) {
    result.states.push_back(x0);
    ++next;
  }
  if (next == times.size()) return result;

  torch::Tensor x = x0;
  double t = o.t0;
  torch::Tensor f = v(x, t);
  result.nfe = 1;
  double h = o.firstStep > 0 ? o.firstStep : initialStep(v, x, f, t, dir, o, result.nfe);

  auto fail = [&](const std::string& why) {
    result.completed = false;
    result.message = why;
    if (!o.returnPartialOnFailure) throw SolverError("dopri5: " + why);
    return result;
  };

  while ((o.t1 - t) * dir > 0) {
    if (o.cancel && o.cancel->load()) {
      result.completed = false;
      result.message = "cancelled at t = " + std::to_string(t);
      return result;
    }
    if (result.acceptedSteps + result.rejectedSteps >= o.maxSteps) {
      std::ostringstream why;
      why << "reached max_steps = " << o.maxSteps << " at t = " << t << " (step size " << h
          << "); loosen atol/rtol or raise max_steps";
      return fail(why.str());
    }
    h = std::min(h, std::abs(o.t1 - t));
    // The last step lands exactly on t1 so no output is missed to rounding.
    const bool lastStep = h >= std::abs(o.t1 - t) * (1 - 1e-12);
    const double hs = dir * h;
    if ((o.minStep > 0 && h < o.minStep) || t + hs == t || h < 1e-14 * span) {
      std::ostringstream why;
      why << "step size underflow at t = " << t << " (h = " << h
          << "); the field may be stiff or non-smooth there";
      return fail(why.str());
    }

    const torch::Tensor& k1 = f;
    const torch::Tensor k2 = v(x + hs * (a21 * k1), t + c2 * hs);
    const torch::Tensor k3 = v(x + hs * (a31 * k1 + a32 * k2), t + c3 * hs);
    const torch::Tensor k4 = v(x + hs * (a41 * k1 + a42 * k2 + a43 * k3), t + c4 * hs);
    const torch::Tensor k5 = v(x + hs * (a51 * k1 + a52 * k2 + a53 * k3 + a54 * k4), t + c5 * hs);
    const double tNew = lastStep ? o.t1 : t + hs;
    const torch::Tensor k6 =
        v(x + hs * (a61 * k1 + a62 * k2 + a63 * k3 + a64 * k4 + a65 * k5), tNew);
    const torch::Tensor xNew = x + hs * (b1 * k1 + b3 * k3 + b4 * k4 + b5 * k5 + b6 * k6);
    const torch::Tensor k7 = v(xNew, tNew);
    result.nfe += 6;

    const torch::Tensor err = hs * (e1 * k1 + e3 * k3 + e4 * k4 + e5 * k5 + e6 * k6 + e7 * k7);
    const torch::Tensor scale = o.atol + o.rtol * torch::max(x.abs(), xNew.abs());
    const double errNorm = rmsNorm(err / scale);
    if (!std::isfinite(errNorm)) {
      std::ostringstream why;
      why << "non-finite state or error estimate at t = " << t << " (h = " << h << ")";
      return fail(why.str());
    }

    double factor = errNorm == 0.0 ? kMaxFactor
                                   : std::clamp(kSafety * std::pow(errNorm, -1.0 / 5), kMinFactor,
                                                kMaxFactor);
    if (errNorm <= 1.0) {
      ++result.acceptedSteps;
      torch::Tensor xMid;
      while (next < times.size() && (times[next] - tNew) * dir <= 0) {
        const double to = times[next];
        if (to == tNew) {
          result.states.push_back(xNew);
        } else {
          if (!xMid.defined())
            xMid = x + hs * (m1 * k1 + m3 * k3 + m4 * k4 + m5 * k5 + m6 * k6 + m7 * k7);
          result.states.push_back(quarticInterpolate(x, xNew, xMid, k1, k7, t, hs, to));
        }
        ++next;
      }
      x = xNew;
      f = k7;
      t = tNew;
      if (next == times.size()) break;
    } else {
      ++result.rejectedSteps;
      factor = std::min(factor, 1.0);
    }
    h *= factor;
  }
  // Output times equal to t1 within rounding.
  while (next < times.size()) {
    result.states.push_back(x);
    ++next;
  }
  return result;
}

}  // namespace flowscope
