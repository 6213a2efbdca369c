#pragma once
// Model log-likelihood of a continuous normalizing flow (Appendix C): integrate the state and the
// divergence backwards from the data end to the noise end (eq. 31-32) and read
// log p_1(x) = log p_0(x_0) - f(0) (eq. 33), with f'(t) = -div v_t (eq. 28). The divergence is
// exact (autograd) or a Hutchinson estimate with probes fixed for the whole solve (eq. 34-35).

#include <ATen/core/Generator.h>
#include <torch/types.h>

#include <array>
#include <cstdint>

#include "core/likelihood/Divergence.h"
#include "core/solvers/OdeSolver.h"

namespace flowscope {

class TrainedFlow;

struct LikelihoodOptions {
  /// Solver for the augmented ODE; method/steps/atol/rtol are used, t0/t1/times ignored.
  /// Default dopri5 with atol = rtol = 1e-5 (Appendix E.2).
  SolveOptions solver = [] {
    SolveOptions o;
    o.method = SolverMethod::Dopri5;
    o.atol = o.rtol = 1e-5;
    return o;
  }();
  bool exact = true;        ///< exact divergence; false uses Hutchinson probes
  int probes = 1;           ///< Hutchinson: probes averaged at every evaluation
  ProbeKind probe = ProbeKind::Rademacher;
  uint64_t seed = 0;        ///< Hutchinson probes
  int64_t batchSize = 10000;  ///< points per solve (each batch shares its step sizes)
};

struct LikelihoodResult {
  torch::Tensor logp;     ///< float64 [n], nats
  torch::Tensor latent;   ///< x_0 reached at the noise end, [n, ...]
  int64_t nfe = 0;        ///< velocity evaluations summed over batches
};

/// log p_{tData}(x) of the flow dx/dt = v_t(x) whose state at `tNoise` is N(0, priorStd^2 I).
/// `velocity` must be differentiable in x (it is called under grad mode). Integrates from tData
/// to tNoise. The caller's thread must not hold a NoGradGuard (grad mode is thread-local).
LikelihoodResult logLikelihood(const VelocityFn& velocity, const torch::Tensor& x, double tData,
                               double tNoise, double priorStd, const LikelihoodOptions& options);

/// Forward sampling with likelihood: integrates x0 (at tNoise, drawn from N(0, priorStd^2 I)) to
/// tData and returns the end states in `latent` and their log-density log p_{tData} in `logp`.
LikelihoodResult sampleWithLogLikelihood(const VelocityFn& velocity, const torch::Tensor& x0,
                                         double tNoise, double tData, double priorStd,
                                         const LikelihoodOptions& options);

/// log p_t(x) of a trained flow at time t (t = 1: the model density of the data).
LikelihoodResult logLikelihood(const TrainedFlow& flow, const torch::Tensor& x, double t,
                               const LikelihoodOptions& options);

/// log p_t on a res x res grid over [xmin, xmax] x [ymin, ymax], row-major with y ascending:
/// [res, res] float64 (for density heatmaps).
torch::Tensor logDensityGrid(const TrainedFlow& flow, const std::array<double, 4>& bounds,
                             int64_t resolution, double t, const LikelihoodOptions& options,
                             int64_t* nfe = nullptr);

/// log N(x; 0, s^2 I) summed over all but the first dimension.
torch::Tensor gaussianLogDensity(const torch::Tensor& x, double std);

}  // namespace flowscope
