// Particle trajectories and sample strips for the views (core/api/Queries.h).

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "core/api/FrameInterpolation.h"
#include "core/api/Queries.h"
#include "core/api/SolverOptions.h"
#include "core/solvers/OdeSolver.h"
#include "core/train/TrainedFlow.h"
#include "core/util/Error.h"

namespace flowscope {

void Trajectories::positionsAt(double t, std::vector<float>& out) const {
  interpolateFrames(times, xy, static_cast<size_t>(count) * 2, t, out);
}

Trajectories computeTrajectories(const FlowModel& model, int64_t n, uint64_t seed, int timeCount,
                                 const SolverSpec& solver, int64_t chunk,
                                 const std::function<void(const Trajectories&)>& partial,
                                 const std::atomic<bool>* cancel) {
  if (n < 1 || timeCount < 2 || chunk < 1)
    throw InputError("trajectories: need n >= 1, at least 2 times and chunk >= 1");
  torch::NoGradGuard noGrad;  // grad mode is thread-local: set on the calling worker thread
  const TrainedFlow& flow = model.flow();
  SolveOptions o = solveOptionsFor(flow, solver, cancel);
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
  const SolveResult r = solve(flow.velocity(), flow.sampleNoise(n, seed), solveOptionsFor(flow, solver));
  if (nfe) *nfe = r.nfe;
  const torch::Tensor x = r.final().to(torch::kCPU, torch::kFloat32).contiguous();
  return std::vector<float>(x.data_ptr<float>(), x.data_ptr<float>() + x.numel());
}

}  // namespace flowscope
