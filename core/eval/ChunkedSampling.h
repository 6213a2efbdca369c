#pragma once
// Sampling N points in chunks, so memory is bounded by the chunk and N only by the disk: the
// solver's stages (seven states for dopri5) exist for one chunk at a time.
//
//   sampleInChunks(flow, n, seed, options, 1 << 18, [&](int64_t first, const SolveResult& r) {
//     out.write(first * 2, r.final().cpu().data_ptr<float>(), r.final().numel());
//   });
//
// The noise of all chunks comes from one generator seeded by `seed`, drawn in order, and chunks
// are whole multiples of 8 points (16 normals: the block LibTorch's CPU normal sampler fills at a
// time; a tail of fewer than 8 points joins the chunk before it), so the noise and every
// fixed-step result are the same whatever the chunk size.
// Adaptive solvers (dopri5) choose their steps per chunk.

#include <cstdint>
#include <functional>

#include "core/solvers/OdeSolver.h"
#include "core/train/TrainedFlow.h"

namespace flowscope {

struct ChunkedSolveSummary {
  int64_t nfe = 0;            ///< summed over chunks
  int64_t acceptedSteps = 0;  ///< summed over chunks
  int64_t rejectedSteps = 0;
  int64_t chunks = 0;
};

/// The chunk size used for `requested`: rounded down to a multiple of 8, at least 8.
int64_t effectiveChunk(int64_t requested);

/// Solves `n` samples of `flow` from N(0, priorStd^2 I) noise in chunks of effectiveChunk(chunk)
/// points; `sink(first, result)` receives each chunk's result (its first point's index). Throws
/// InputError for n < 0 or chunk < 1, and whatever solve() or the sink throws. A class-conditional
/// flow samples with `condition` (its labels: [n], one per sample; each chunk takes its rows).
ChunkedSolveSummary sampleInChunks(const TrainedFlow& flow, int64_t n, uint64_t seed,
                                   const SolveOptions& options, int64_t chunk,
                                   const std::function<void(int64_t first, const SolveResult&)>& sink,
                                   const ClassCondition& condition = {});

}  // namespace flowscope
