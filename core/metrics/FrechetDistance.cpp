#include "core/metrics/FrechetDistance.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "core/train/ArchiveFile.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

constexpr int64_t kStatsFormat = 1;
const char* const kStatsKind = "flowscope.feature_stats";

// Symmetric square root through eigh, negative rounding eigenvalues clamped.
torch::Tensor symmetricSqrt(const torch::Tensor& a) {
  auto [values, vectors] = torch::linalg_eigh(a);
  return torch::matmul(vectors * values.clamp_min(0).sqrt().unsqueeze(0), vectors.transpose(0, 1));
}

}  // namespace

FeatureStatsAccumulator::FeatureStatsAccumulator(int64_t dim) : dim_(dim) {
  if (dim < 1) throw InputError("feature statistics: dimension " + std::to_string(dim) + " (expected >= 1)");
  mean_ = torch::zeros({dim}, torch::kFloat64);
  m2_ = torch::zeros({dim, dim}, torch::kFloat64);
}

void FeatureStatsAccumulator::add(const torch::Tensor& features) {
  if (features.dim() != 2 || features.size(1) != dim_)
    throw InputError("feature statistics: a batch of shape " + c10::str(features.sizes()) +
                     " (expected [B, " + std::to_string(dim_) + "])");
  const int64_t nb = features.size(0);
  if (nb == 0) return;
  torch::NoGradGuard noGrad;
  const torch::Tensor x = features.detach().to(torch::kCPU, torch::kFloat64);
  if (!torch::isfinite(x).all().item<bool>())
    throw InputError("feature statistics: the features hold NaN or infinite values");
  const torch::Tensor meanB = x.mean(0);
  const torch::Tensor dev = x - meanB;
  const torch::Tensor m2B = torch::matmul(dev.transpose(0, 1), dev);
  // Chan et al. (1979): merge (n, mean, M2) of the running set and the batch.
  const double n = static_cast<double>(count_), m = static_cast<double>(nb), total = n + m;
  const torch::Tensor delta = meanB - mean_;
  m2_ += m2B + torch::outer(delta, delta) * (n * m / total);
  mean_ += delta * (m / total);
  count_ += nb;
}

FeatureStats FeatureStatsAccumulator::stats() const {
  if (count_ < 2)
    throw InputError("feature statistics: " + std::to_string(count_) + " feature vectors (expected at least 2)");
  FeatureStats s;
  s.mean = mean_.clone();
  s.cov = m2_ / static_cast<double>(count_ - 1);
  s.count = count_;
  return s;
}

FeatureStats featureStats(const torch::Tensor& features) {
  if (features.dim() != 2) throw InputError("feature statistics: expected [N, D] features, got " + c10::str(features.sizes()));
  FeatureStatsAccumulator acc(features.size(1));
  acc.add(features);
  return acc.stats();
}

double traceSqrtProduct(const torch::Tensor& a, const torch::Tensor& b) {
  torch::NoGradGuard noGrad;
  const torch::Tensor a64 = a.to(torch::kFloat64), b64 = b.to(torch::kFloat64);
  const torch::Tensor root = symmetricSqrt(a64);
  torch::Tensor m = torch::matmul(torch::matmul(root, b64), root);
  m = 0.5 * (m + m.transpose(0, 1));  // symmetric up to rounding; eigh reads one triangle
  return torch::linalg_eigvalsh(m).clamp_min(0).sqrt().sum().item<double>();
}

double frechetDistance(const FeatureStats& a, const FeatureStats& b) {
  if (!a.mean.defined() || !b.mean.defined() || a.mean.numel() != b.mean.numel())
    throw InputError("Fréchet distance: statistics of " + std::to_string(a.mean.defined() ? a.mean.numel() : 0) +
                     " and " + std::to_string(b.mean.defined() ? b.mean.numel() : 0) +
                     " dimensions (expected the same feature space)");
  torch::NoGradGuard noGrad;
  const double meanTerm = (a.mean.to(torch::kFloat64) - b.mean.to(torch::kFloat64)).square().sum().item<double>();
  const double traces = a.cov.to(torch::kFloat64).trace().item<double>() + b.cov.to(torch::kFloat64).trace().item<double>();
  return std::max(0.0, meanTerm + traces - 2.0 * traceSqrtProduct(a.cov, b.cov));
}

void saveFeatureStats(const FeatureStats& stats, const std::string& description, const std::string& path) {
  torch::serialize::OutputArchive archive;
  archive.write("kind", c10::IValue(std::string(kStatsKind)));
  archive.write("format_version", c10::IValue(kStatsFormat));
  archive.write("description", c10::IValue(description));
  archive.write("count", c10::IValue(stats.count));
  archive.write("mean", stats.mean);
  archive.write("cov", stats.cov);
  saveArchiveFile(archive, path, "feature statistics");
}

FeatureStats loadFeatureStats(const std::string& path, std::string* description) {
  torch::serialize::InputArchive archive;
  loadArchiveFile(archive, path, "feature statistics");
  c10::IValue kind, count, desc;
  FeatureStats s;
  if (!archive.try_read("kind", kind) || !kind.isString() || kind.toStringRef() != kStatsKind)
    throw FileError(path + ": not a FlowScope feature-statistics file");
  if (!archive.try_read("count", count) || !archive.try_read("mean", s.mean) || !archive.try_read("cov", s.cov))
    throw FileError(path + ": feature-statistics file lacks count, mean or cov");
  s.count = count.toInt();
  const int64_t d = s.mean.numel();
  if (s.mean.dim() != 1 || s.cov.dim() != 2 || s.cov.size(0) != d || s.cov.size(1) != d)
    throw FileError(path + ": feature statistics of inconsistent shapes (mean " + c10::str(s.mean.sizes()) +
                    ", cov " + c10::str(s.cov.sizes()) + ")");
  if (description && archive.try_read("description", desc) && desc.isString()) *description = desc.toStringRef();
  return s;
}

}  // namespace flowscope
