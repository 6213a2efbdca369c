// Log-density grids for the views (core/api/Queries.h).

#include <torch/torch.h>

#include <algorithm>

#include <cmath>
#include <limits>

#include "core/api/Queries.h"
#include "core/likelihood/Likelihood.h"
#include "core/paths/PathFactory.h"
#include "core/train/TrainedFlow.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

torch::Tensor gridPoints64(const GridSpec& g) {
  std::vector<double> xy;
  for (int j = 0; j < g.ny; ++j)
    for (int i = 0; i < g.nx; ++i) {
      xy.push_back(g.x(i));
      xy.push_back(g.y(j));
    }
  return torch::from_blob(xy.data(), {g.nx * g.ny, 2}, torch::kFloat64).clone();
}

}  // namespace

DensityGrid modelLogDensity(const FlowModel& model, const GridSpec& grid, double t,
                            const SolverSpec& solver, const std::atomic<bool>* cancel) {
  LikelihoodOptions o;
  o.solver.method = parseSolverMethod(solver.solver, "solver");
  o.solver.steps = solver.steps;
  o.solver.atol = solver.atol;
  o.solver.rtol = solver.rtol;
  o.solver.cancel = cancel;
  o.solver.returnPartialOnFailure = false;
  DensityGrid out;
  out.grid = grid;
  const torch::Tensor x = gridPoints64(grid).to(torch::kFloat32);
  try {
    const LikelihoodResult r = logLikelihood(model.flow(), x, t, o);
    out.logp.assign(r.logp.data_ptr<double>(), r.logp.data_ptr<double>() + r.logp.numel());
    out.nfe = r.nfe;
  } catch (const SolverError&) {
    if (!(cancel && cancel->load())) throw;
    out.logp.assign(static_cast<size_t>(grid.nx) * grid.ny, std::numeric_limits<double>::quiet_NaN());
  }
  return out;
}

DensityGrid empiricalLogDensity(const PathConfig& pathConfig, const std::vector<float>& data,
                                const GridSpec& grid, double t) {
  torch::NoGradGuard noGrad;
  const auto path = makePath(pathConfig);
  const double tc = std::clamp(t, path->tMin(), path->tMax());
  const torch::Tensor x = gridPoints64(grid);
  const int64_t n = static_cast<int64_t>(data.size() / 2), g = x.size(0);
  if (n == 0) throw InputError("empirical density: no data points");
  const torch::Tensor x1 =
      torch::from_blob(const_cast<float*>(data.data()), {n, 2}, torch::kFloat32).to(torch::kFloat64);
  std::vector<torch::Tensor> rows;
  const int64_t block = std::max<int64_t>(1, (1 << 22) / n);
  for (int64_t start = 0; start < g; start += block) {
    const int64_t len = std::min(block, g - start);
    const torch::Tensor xs = x.narrow(0, start, len).unsqueeze(1).expand({len, n, 2}).reshape({len * n, 2});
    const torch::Tensor x1s = x1.unsqueeze(0).expand({len, n, 2}).reshape({len * n, 2});
    const torch::Tensor tt = torch::full({len * n, 1}, tc, torch::kFloat64);
    // eq. 6 with q the empirical measure: p_t(x) = (1/N) sum_i p_t(x|x1_i).
    rows.push_back(torch::logsumexp(path->conditionalLogDensity(tt, xs, x1s).reshape({len, n}), 1) -
                   std::log(static_cast<double>(n)));
  }
  const torch::Tensor logp = torch::cat(rows).contiguous();
  DensityGrid out;
  out.grid = grid;
  out.logp.assign(logp.data_ptr<double>(), logp.data_ptr<double>() + logp.numel());
  return out;
}

}  // namespace flowscope
