// Chunked sampling (core/eval/ChunkedSampling): the chunk size bounds memory and changes nothing
// else for fixed-step solvers.

#include "core/eval/ChunkedSampling.h"

#include <gtest/gtest.h>
#include <torch/torch.h>
#include <unistd.h>

#include <filesystem>

#include "core/config/ExperimentConfig.h"
#include "core/train/TrainedFlow.h"
#include "core/train/Trainer.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

namespace fs = std::filesystem;

// A few steps of a small run: any weights do, the test compares sampling with itself.
std::shared_ptr<TrainedFlow> smallFlow() {
  static const std::shared_ptr<TrainedFlow> flow = [] {
    const fs::path dir = fs::temp_directory_path() / ("flowscope-chunked-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    ExperimentConfig c;
    c.model.width = 32;
    c.model.depth = 2;
    c.training.steps = 5;
    c.training.batch_size = 64;
    c.training.threads = 1;
    c.training.checkpoint_every = 5;
    c.evaluation.every = 0;
    Trainer(c, dir.string(), StartMode::Fresh).train();
    auto loaded = TrainedFlow::load(dir.string());
    fs::remove_all(dir);
    return loaded;
  }();
  return flow;
}

TEST(ChunkedSampling, ChunkIsAWholeNumberOfNoiseBlocks) {
  EXPECT_EQ(effectiveChunk(1), 8);
  EXPECT_EQ(effectiveChunk(100), 96);
  EXPECT_EQ(effectiveChunk(262144), 262144);
}

TEST(ChunkedSampling, NoiseAndFixedStepSamplesDoNotDependOnTheChunk) {
  const auto flow = smallFlow();
  torch::NoGradGuard noGrad;
  SolveOptions o;
  o.method = SolverMethod::Midpoint;
  o.steps = 6;
  o.times = {0.0, 0.5, 1.0};
  const int64_t n = 1003;  // not a multiple of the chunk: the last chunk is short
  const torch::Tensor x0 = flow->sampleNoise(n, 42);
  const SolveResult whole = solve(flow->velocity(), x0, o);
  for (const int64_t chunk : {96, 1000, 4096}) {
    torch::Tensor noise = torch::empty({n, 2});
    torch::Tensor mid = torch::empty({n, 2}), last = torch::empty({n, 2});
    int64_t seen = 0;
    const ChunkedSolveSummary s = sampleInChunks(*flow, n, 42, o, chunk, [&](int64_t first, const SolveResult& r) {
      EXPECT_EQ(first, seen);
      const int64_t len = r.final().size(0);
      noise.narrow(0, first, len).copy_(r.states[0]);
      mid.narrow(0, first, len).copy_(r.states[1]);
      last.narrow(0, first, len).copy_(r.states[2]);
      seen += len;
    });
    EXPECT_EQ(seen, n);
    const int64_t size = effectiveChunk(chunk);
    EXPECT_EQ(s.chunks, n % size < 8 ? std::max<int64_t>(1, n / size) : n / size + 1);
    EXPECT_EQ(s.nfe, whole.nfe * s.chunks);  // fixed steps: the same NFE per chunk
    EXPECT_TRUE(torch::equal(noise, x0)) << "chunk " << chunk;
    // The network sees other batch sizes, so GEMM blocking may round differently: float tolerance.
    EXPECT_TRUE(torch::allclose(mid, whole.states[1], 1e-5, 1e-6)) << "chunk " << chunk;
    EXPECT_TRUE(torch::allclose(last, whole.final(), 1e-5, 1e-6)) << "chunk " << chunk;
  }
}

TEST(ChunkedSampling, AdaptiveSolverSolvesEveryChunkToTolerance) {
  const auto flow = smallFlow();
  torch::NoGradGuard noGrad;
  SolveOptions o;
  o.method = SolverMethod::Dopri5;
  o.atol = o.rtol = 1e-6;
  const int64_t n = 500;
  const SolveResult whole = solve(flow->velocity(), flow->sampleNoise(n, 3), o);
  torch::Tensor out = torch::empty({n, 2});
  sampleInChunks(*flow, n, 3, o, 128, [&](int64_t first, const SolveResult& r) {
    out.narrow(0, first, r.final().size(0)).copy_(r.final());
  });
  // Different step sizes per chunk, both within the tolerance of the true solution.
  EXPECT_LT((out - whole.final()).abs().max().item<double>(), 1e-4);
}

TEST(ChunkedSampling, RejectsNegativeCounts) {
  const auto flow = smallFlow();
  const auto sink = [](int64_t, const SolveResult&) {};
  EXPECT_THROW(sampleInChunks(*flow, -1, 0, SolveOptions{}, 64, sink), InputError);
  EXPECT_THROW(sampleInChunks(*flow, 10, 0, SolveOptions{}, 0, sink), InputError);
  int calls = 0;
  sampleInChunks(*flow, 0, 0, SolveOptions{}, 64, [&](int64_t, const SolveResult&) { ++calls; });
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace flowscope
