#include "core/eval/ChunkedSampling.h"

#include <torch/torch.h>

#include <algorithm>

#include "core/train/TrainedFlow.h"
#include "core/util/Error.h"
#include "core/util/Random.h"

namespace flowscope {

int64_t effectiveChunk(int64_t requested) { return std::max<int64_t>(8, requested / 8 * 8); }

ChunkedSolveSummary sampleInChunks(const TrainedFlow& flow, int64_t n, uint64_t seed,
                                   const SolveOptions& options, int64_t chunk,
                                   const std::function<void(int64_t first, const SolveResult&)>& sink,
                                   const ClassCondition& condition) {
  if (n < 0) throw InputError("sample: n = " + std::to_string(n) + " (expected n >= 0)");
  if (chunk < 1) throw InputError("sample: chunk = " + std::to_string(chunk) + " (expected >= 1)");
  if (condition.labels.defined() && condition.labels.numel() != n)
    throw InputError("sample: " + std::to_string(condition.labels.numel()) + " labels for " +
                     std::to_string(n) + " samples (expected one label per sample)");
  const int64_t size = effectiveChunk(chunk);
  at::Generator gen = makeGenerator(seed);
  ChunkedSolveSummary summary;
  for (int64_t first = 0; first < n; first += size) {
    // A tail shorter than 8 points joins the chunk before it: LibTorch draws fewer than 16
    // normals by another method, which would change the noise.
    const int64_t left = n - first;
    const int64_t len = left - size < 8 ? left : size;
    const torch::Tensor x0 = flow.sampleNoise(len, gen);
    ClassCondition part = condition;
    if (part.labels.defined()) part.labels = condition.labels.narrow(0, first, len);
    const SolveResult r = solve(flow.velocity(part), x0, options);
    summary.nfe += r.nfe;
    summary.acceptedSteps += r.acceptedSteps;
    summary.rejectedSteps += r.rejectedSteps;
    ++summary.chunks;
    sink(first, r);
    if (len == left) break;
  }
  return summary;
}

}  // namespace flowscope
