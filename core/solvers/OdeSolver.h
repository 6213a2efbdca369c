#pragma once
// Integrates dx/dt = v_t(x) (eq. 1) from t0 to t1, forwards or backwards, returning the state at
// requested times and how many function evaluations (NFE) that took. Fixed-step Euler, midpoint,
// Heun and RK4 use a uniform grid of `steps` steps; dopri5 adapts its step to atol/rtol.

#include <torch/types.h>

#include "core/solvers/SolverMethod.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace flowscope {

/// v_t(x): the state x (any shape) and the scalar time t.
using VelocityFn = std::function<torch::Tensor(const torch::Tensor& x, double t)>;

struct SolveOptions {
  SolverMethod method = SolverMethod::Dopri5;
  double t0 = 0.0;
  double t1 = 1.0;
  /// Output times, each between t0 and t1 and ordered from t0 towards t1; empty means {t1}.
  std::vector<double> times;
  int steps = 100;  ///< fixed-step methods: uniform steps over [t0, t1]
  double atol = 1e-5;   ///< dopri5
  double rtol = 1e-5;   ///< dopri5
  double firstStep = 0.0;  ///< dopri5: 0 selects it automatically (Hairer et al., II.4)
  double minStep = 0.0;    ///< dopri5: |h| below this is an error
  int64_t maxSteps = 100000;  ///< dopri5: attempted steps before giving up
  /// dopri5: on step-size underflow or maxSteps, return the states reached so far (with
  /// completed = false) instead of throwing.
  bool returnPartialOnFailure = false;
  /// Checked between steps; a set flag ends the solve with completed = false.
  const std::atomic<bool>* cancel = nullptr;
};

struct SolveResult {
  std::vector<double> times;          ///< the output times
  std::vector<torch::Tensor> states;  ///< state at each output time (missing ones when partial)
  int64_t nfe = 0;                    ///< function evaluations, including step-size selection
  int64_t acceptedSteps = 0;
  int64_t rejectedSteps = 0;
  bool completed = true;
  std::string message;  ///< why it stopped early, when completed is false

  /// States stacked into [T, ...].
  torch::Tensor stacked() const;
  const torch::Tensor& final() const { return states.back(); }
};

/// Throws InputError on bad options; SolverError when dopri5 fails and
/// returnPartialOnFailure is false.
SolveResult solve(const VelocityFn& velocity, const torch::Tensor& x0, const SolveOptions& options);

class SolverError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace flowscope
