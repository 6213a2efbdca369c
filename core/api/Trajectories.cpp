// Particle trajectories and sample strips for the views (core/api/Queries.h).

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "core/api/Queries.h"
#include "core/solvers/OdeSolver.h"
#include "core/train/TrainedFlow.h"
#include "core/util/Error.h"

namespace flowscope {

void Trajectories::positionsAt(double t, std::vector<float>& out) const {
  out.resize(static_cast<size_t>(count) * 2);
  if (times.empty() || count == 0) return;
  const size_t n2 = static_cast<size_t>(count) * 2;
  if (t <= times.front() || times.size() == 1) {
    std::copy(xy.begin(), xy.begin() + static_cast<std::ptrdiff_t>(n2), out.begin());
    return;
  }
  if (t >= times.back()) {
    std::copy(xy.end() - static_cast<std::ptrdiff_t>(n2), xy.end(), out.begin());
    return;
  }
  const size_t k = static_cast<size_t>(std::upper_bound(times.begin(), times.end(), t) - times.begin()) - 1;
  const float w = static_cast<float>((t - times[k]) / (times[k + 1] - times[k]));
  const float* a = &xy[k * n2];
  const float* b = &xy[(k + 1) * n2];
  for (size_t i = 0; i < n2; ++i) out[i] = a[i] + w * (b[i] - a[i]);
}

namespace {

SolveOptions toOptions(const FlowModel& model, const SolverSpec& spec) {
  SolveOptions o = model.flow().defaultSolveOptions();
  o.method = parseSolverMethod(spec.solver, "solver");
  o.steps = spec.steps;
  o.atol = spec.atol;
  o.rtol = spec.rtol;
  if (o.method != SolverMethod::Dopri5 && o.steps < 1) throw InputError("solver: steps must be >= 1");
  return o;
}

}  // namespace

Trajectories computeTrajectories(const FlowModel& model, int64_t n, uint64_t seed, int timeCount,
                                 const SolverSpec& solver, int64_t chunk,
                                 const std::function<void(const Trajectories&)>& partial,
                                 const std::atomic<bool>* cancel) {
  if (n < 1 || timeCount < 2 || chunk < 1)
    throw InputError("trajectories: need n >= 1, at least 2 times and chunk >= 1");
  torch::NoGradGuard noGrad;  // grad mode is thread-local: set on the calling worker thread
  const TrainedFlow& flow = model.flow();
  SolveOptions o = toOptions(model, solver);
  o.cancel = cancel;
  for (int k = 0; k < timeCount; ++k)
    o.times.push_back(flow.tMin() + (flow.tMax() - flow.tMin()) * k / (timeCount - 1));
  o.times.back() = flow.tMax();

  // The whole noise batch comes from one generator, so the first particles do not depend on the
  // chunk size or on how many particles are asked for.
  const torch::Tensor x0 = flow.sampleNoise(n, seed);
  Trajectories result;
  result.modelId = model.id();
  result.times = o.times;
  std::vector<torch::Tensor> parts;  // [T, chunk, 2] each
  int64_t done = 0, nextPartial = 1;
  auto assemble = [&] {
    const torch::Tensor all = torch::cat(parts, 1).contiguous();
    result.count = all.size(1);
    result.xy.assign(all.data_ptr<float>(), all.data_ptr<float>() + all.numel());
  };
  for (int64_t start = 0; start < n; start += chunk) {
    const int64_t len = std::min(chunk, n - start);
    const SolveResult r = solve(flow.velocity(), x0.narrow(0, start, len), o);
    if (!r.completed) return result;  // cancelled
    parts.push_back(r.stacked().to(torch::kCPU, torch::kFloat32));
    result.nfe = r.nfe;
    done += len;
    // Partial results as the particle count doubles: O(n log n) copying, not O(n^2 / chunk).
    if (partial && done < n && static_cast<int64_t>(parts.size()) >= nextPartial) {
      assemble();
      partial(result);
      nextPartial *= 2;
    }
  }
  assemble();
  result.complete = true;
  return result;
}

std::vector<float> samplePoints(const FlowModel& model, int64_t n, uint64_t seed,
                                const SolverSpec& solver, int64_t* nfe) {
  torch::NoGradGuard noGrad;
  const TrainedFlow& flow = model.flow();
  const SolveResult r = solve(flow.velocity(), flow.sampleNoise(n, seed), toOptions(model, solver));
  if (nfe) *nfe = r.nfe;
  const torch::Tensor x = r.final().to(torch::kCPU, torch::kFloat32).contiguous();
  return std::vector<float>(x.data_ptr<float>(), x.data_ptr<float>() + x.numel());
}

}  // namespace flowscope
