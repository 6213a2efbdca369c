#pragma once
// Kernel two-sample statistics between point sets: the energy distance (no tuning parameter,
// sensitive to every difference in distribution) and the Gaussian-kernel MMD. Both average a
// function of all n x m pairwise distances, so they are computed over blocks of rows to keep
// memory bounded for 20,000-point sets.

#include <torch/types.h>

#include <cstdint>

namespace flowscope {

/// Bytes of pairwise-distance block held at once by the metrics below: small enough to stay in
/// cache, which makes the pass ~2.5x faster than 64 MB blocks (20,000 x 20,000 energy ~4 s on
/// one core).
constexpr int64_t kPairwiseChunkBytes = int64_t{4} << 20;

/// Squared energy distance between the empirical distributions of a [n, d] and b [m, d] (any
/// float dtype/device; float64 on the CPU), the V-statistic
///   2/(nm) sum_ij |a_i - b_j| - 1/n^2 sum_ij |a_i - a_j| - 1/m^2 sum_ij |b_i - b_j|
/// with the Euclidean norm. It is >= 0 in exact arithmetic (tiny rounding negatives are reported
/// as 0) and exactly 0 for identical sets. `chunkBytes` bounds the distance block held at once.
/// Throws InputError on bad shapes or empty sets.
double energyDistance(const torch::Tensor& a, const torch::Tensor& b,
                      int64_t chunkBytes = kPairwiseChunkBytes);

/// Biased (V-statistic) squared MMD with the Gaussian kernel k(x, y) = exp(-|x - y|^2 / (2 h^2)),
/// h = `bandwidth`: mean k(a, a') + mean k(b, b') - 2 mean k(a, b) over all pairs, including
/// i = j. >= 0 (rounding negatives reported as 0), 0 for identical sets. Throws InputError on bad
/// shapes, empty sets or a bandwidth that is not finite and > 0.
double mmdRbf(const torch::Tensor& a, const torch::Tensor& b, double bandwidth,
              int64_t chunkBytes = kPairwiseChunkBytes);

}  // namespace flowscope
