#pragma once
// The Fréchet distance between two Gaussians fitted to feature sets (Heusel et al. 2017; with
// Inception-v3 pool features it is FID):
//   FD = |mu_1 - mu_2|^2 + tr(S_1) + tr(S_2) - 2 tr((S_1^{1/2} S_2 S_1^{1/2})^{1/2}).
// The last trace is a sum of square roots of the eigenvalues of the symmetric PSD matrix
// S_1^{1/2} S_2 S_1^{1/2}, so two symmetric eigendecompositions (float64) replace the general
// sqrtm that the Python tools retry with an eps on failure.
//
//   FeatureStatsAccumulator acc(features_dim);
//   for (auto& batch : batches) acc.add(featuresOf(batch));   // [B, D], any float dtype
//   FeatureStats gen = acc.stats();
//   double fd = frechetDistance(gen, referenceStats);
//
// Covariances divide by N - 1 (pytorch-fid's convention; StyleGAN2-ADA's divides by N, which
// lowers FD by O(tr(S)/N)): state which, next to every number.

#include <torch/types.h>

#include <cstdint>
#include <string>

namespace flowscope {

struct FeatureStats {
  torch::Tensor mean;  ///< float64 [D]
  torch::Tensor cov;   ///< float64 [D, D], unbiased (N - 1)
  int64_t count = 0;   ///< N feature vectors behind them
};

/// Streams [B, D] feature batches into a mean and covariance (Chan et al.'s pairwise update
/// in float64: no catastrophic cancellation from summing raw second moments).
class FeatureStatsAccumulator {
 public:
  explicit FeatureStatsAccumulator(int64_t dim);
  /// Adds a [B, D] batch. Throws InputError on a wrong shape or non-finite features.
  void add(const torch::Tensor& features);
  int64_t count() const { return count_; }
  /// The statistics so far. Throws InputError with fewer than 2 vectors.
  FeatureStats stats() const;

 private:
  int64_t dim_;
  int64_t count_ = 0;
  torch::Tensor mean_;  // float64 [D]
  torch::Tensor m2_;    // float64 [D, D]: sum of outer products of deviations from mean_
};

/// The statistics of the rows of `features` [N, D].
FeatureStats featureStats(const torch::Tensor& features);

/// FD between two sets of statistics (>= 0; rounding negatives are reported as 0). Throws
/// InputError when the dimensions differ.
double frechetDistance(const FeatureStats& a, const FeatureStats& b);

/// tr((A^{1/2} B A^{1/2})^{1/2}) for symmetric PSD A, B (float64); eigenvalues below zero from
/// rounding count as zero.
double traceSqrtProduct(const torch::Tensor& a, const torch::Tensor& b);

/// Saves statistics to a torch archive (atomically) with a description of where they came
/// from; loads them back, checking the archive's kind. Throws FileError naming the file.
void saveFeatureStats(const FeatureStats& stats, const std::string& description, const std::string& path);
FeatureStats loadFeatureStats(const std::string& path, std::string* description = nullptr);

}  // namespace flowscope
