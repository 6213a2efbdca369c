#include "core/likelihood/Likelihood.h"

#include <torch/torch.h>

#include <cmath>

#include "core/train/TrainedFlow.h"
#include "core/util/Error.h"
#include "core/util/Random.h"

namespace flowscope {

torch::Tensor gaussianLogDensity(const torch::Tensor& x, double std) {
  const torch::Tensor flat = x.flatten(1).to(torch::kFloat64);
  const double d = static_cast<double>(flat.size(1));
  return -0.5 * flat.square().sum(1) / (std * std) - d * (std::log(std) + 0.5 * std::log(2 * M_PI));
}

namespace {

std::vector<torch::Tensor> drawProbes(const torch::Tensor& like, const LikelihoodOptions& o,
                                      at::Generator& gen) {
  std::vector<torch::Tensor> probes;
  for (int k = 0; k < o.probes; ++k) {
    torch::Tensor z = torch::randn(like.sizes(), gen, torch::TensorOptions().dtype(like.scalar_type()));
    if (o.probe == ProbeKind::Rademacher) z = torch::sign(z);  // +-1 with probability 1/2 each
    probes.push_back(z.to(like.device()));
  }
  return probes;
}

/// Integrates [x, f] with f' = -div v (eq. 28) from tFrom to tTo, f(tFrom) = 0. Returns the end
/// state and f(tTo).
std::pair<torch::Tensor, torch::Tensor> integrateWithDivergence(
    const VelocityFn& velocity, const torch::Tensor& x, double tFrom, double tTo,
    const LikelihoodOptions& o, at::Generator& gen, int64_t& nfe) {
  const int64_t b = x.size(0);
  const auto shape = x.sizes().vec();
  const std::vector<torch::Tensor> probes = o.exact ? std::vector<torch::Tensor>{} : drawProbes(x, o, gen);

  // Augmented state [x flattened, f] integrated from tData to tNoise (eq. 28 run backwards).
  const VelocityFn augmented = [&](const torch::Tensor& state, double t) {
    torch::AutoGradMode gradMode(true);
    torch::Tensor xs = state.narrow(1, 0, state.size(1) - 1).reshape(shape).detach().requires_grad_(true);
    const torch::Tensor v = velocity(xs, t);
    const torch::Tensor div = o.exact ? exactDivergence(v, xs) : hutchinsonDivergence(v, xs, probes);
    return torch::cat({v.detach().reshape({b, -1}), -div.detach().unsqueeze(1)}, 1);
  };
  const torch::Tensor state0 = torch::cat({x.reshape({b, -1}), torch::zeros({b, 1}, x.options())}, 1);
  SolveOptions so = o.solver;
  so.t0 = tFrom;
  so.t1 = tTo;
  so.times.clear();
  const SolveResult r = solve(augmented, state0, so);
  if (!r.completed) throw SolverError("likelihood solve stopped: " + r.message);
  nfe += r.nfe;
  const torch::Tensor end = r.final();
  return {end.narrow(1, 0, end.size(1) - 1).reshape(shape).detach(),
          end.select(1, end.size(1) - 1).to(torch::kFloat64)};
}

LikelihoodResult solveBatch(const VelocityFn& velocity, const torch::Tensor& x, double tData,
                            double tNoise, double priorStd, const LikelihoodOptions& o,
                            at::Generator& gen) {
  LikelihoodResult out;
  auto [latent, f0] = integrateWithDivergence(velocity, x, tData, tNoise, o, gen, out.nfe);
  out.latent = latent;
  out.logp = (gaussianLogDensity(latent, priorStd) - f0).cpu();  // eq. 33
  return out;
}

}  // namespace

LikelihoodResult logLikelihood(const VelocityFn& velocity, const torch::Tensor& x, double tData,
                               double tNoise, double priorStd, const LikelihoodOptions& o) {
  if (o.batchSize < 1) throw InputError("likelihood: batch size must be >= 1");
  if (!o.exact && o.probes < 1) throw InputError("likelihood: Hutchinson needs at least 1 probe");
  at::Generator gen = makeGenerator(o.seed);
  LikelihoodResult total;
  std::vector<torch::Tensor> logps, latents;
  for (int64_t start = 0; start < x.size(0); start += o.batchSize) {
    const int64_t len = std::min(o.batchSize, x.size(0) - start);
    LikelihoodResult r = solveBatch(velocity, x.narrow(0, start, len), tData, tNoise, priorStd, o, gen);
    logps.push_back(r.logp);
    latents.push_back(r.latent);
    total.nfe += r.nfe;
  }
  total.logp = logps.empty() ? torch::zeros({0}, torch::kFloat64) : torch::cat(logps);
  total.latent = latents.empty() ? x.clone() : torch::cat(latents);
  return total;
}

LikelihoodResult sampleWithLogLikelihood(const VelocityFn& velocity, const torch::Tensor& x0,
                                         double tNoise, double tData, double priorStd,
                                         const LikelihoodOptions& o) {
  at::Generator gen = makeGenerator(o.seed);
  LikelihoodResult out;
  auto [x1, f1] = integrateWithDivergence(velocity, x0, tNoise, tData, o, gen, out.nfe);
  out.latent = x1;
  // Forward form of eq. 27: log p_1(x1) = log p_0(x0) - int div = log p_0(x0) + f(1).
  out.logp = (gaussianLogDensity(x0, priorStd) + f1).cpu();
  return out;
}

LikelihoodResult logLikelihood(const TrainedFlow& flow, const torch::Tensor& x, double t,
                               const LikelihoodOptions& options) {
  if (flow.clampTime(t) <= flow.tMin()) {
    // At the noise end p_0 is the source itself: nothing to integrate.
    LikelihoodResult r;
    r.logp = gaussianLogDensity(x, flow.priorStd()).cpu();
    r.latent = x;
    return r;
  }
  return logLikelihood(flow.velocity(), x.to(flow.device()), flow.clampTime(t), flow.tMin(),
                       flow.priorStd(), options);
}

torch::Tensor logDensityGrid(const TrainedFlow& flow, const std::array<double, 4>& b,
                             int64_t resolution, double t, const LikelihoodOptions& options,
                             int64_t* nfe) {
  if (resolution < 1) throw InputError("likelihood grid: resolution must be >= 1");
  const auto centers = [resolution](double lo, double hi) {
    const double h = (hi - lo) / static_cast<double>(resolution);
    return torch::arange(resolution, torch::kFloat64) * h + (lo + 0.5 * h);
  };
  const auto grids = torch::meshgrid({centers(b[2], b[3]), centers(b[0], b[1])}, "ij");
  const torch::Tensor points = torch::stack({grids[1].flatten(), grids[0].flatten()}, 1).to(torch::kFloat32);
  const LikelihoodResult r = logLikelihood(flow, points, t, options);
  if (nfe) *nfe = r.nfe;
  return r.logp.reshape({resolution, resolution});
}

}  // namespace flowscope
