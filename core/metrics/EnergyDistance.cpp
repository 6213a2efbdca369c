#include "core/metrics/EnergyDistance.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "core/util/Error.h"

namespace flowscope {
namespace {

using BlockSum = std::function<double(const torch::Tensor& distances)>;

std::string shapeOf(const torch::Tensor& x) {
  std::string s = "[";
  for (int64_t i = 0; i < x.dim(); ++i) s += (i ? ", " : "") + std::to_string(x.size(i));
  return s + "]";
}

void checkPair(const char* what, const torch::Tensor& a, const torch::Tensor& b,
               int64_t chunkBytes) {
  if (a.dim() != 2 || b.dim() != 2 || a.size(1) != b.size(1) || a.size(1) < 1)
    throw InputError(std::string(what) + ": samples have shapes " + shapeOf(a) + " and " +
                     shapeOf(b) + " (expected [n, d] and [m, d] with the same d >= 1)");
  if (a.size(0) < 1 || b.size(0) < 1)
    throw InputError(std::string(what) + ": empty sample (n = " + std::to_string(a.size(0)) +
                     ", m = " + std::to_string(b.size(0)) + "; expected n, m >= 1)");
  if (chunkBytes < 1)
    throw InputError(std::string(what) + ": chunkBytes = " + std::to_string(chunkBytes) +
                     " (expected >= 1)");
}

torch::Tensor cpu64(const torch::Tensor& x) {
  return x.detach().to(torch::kCPU).to(torch::kFloat64).contiguous();
}

/// (1 / (n m)) sum_ij f(|x_i - y_j|), over blocks of rows of x whose [rows, m] distance matrix
/// fits in chunkBytes. Every call with the same (x, y) performs the same operations, so
/// identical inputs give bit-identical terms and the statistics cancel exactly.
double meanOverPairs(const torch::Tensor& x, const torch::Tensor& y, int64_t chunkBytes,
                     const BlockSum& sumOf) {
  const int64_t n = x.size(0), m = y.size(0);
  const int64_t rows = std::max<int64_t>(1, chunkBytes / (8 * m));
  double total = 0.0;
  for (int64_t start = 0; start < n; start += rows) {
    // compute_mode 2 ("donot_use_mm_for_euclid_dist"): exact differences instead of
    // |x|^2 + |y|^2 - 2xy, which loses ~sqrt(eps) at short distances and is not 0 at x = y.
    const auto dist = torch::cdist(x.narrow(0, start, std::min(rows, n - start)), y, 2.0,
                                   int64_t{2});
    total += sumOf(dist);
  }
  return total / (static_cast<double>(n) * static_cast<double>(m));
}

/// mean k(a, a') + mean k(b, b') - 2 mean k(a, b) for a kernel k of the distance (energy uses
/// k = -|x - y|); the V-statistic of a (conditionally) positive-definite kernel is >= 0, so
/// negatives are rounding.
double twoSample(const torch::Tensor& a, const torch::Tensor& b, int64_t chunkBytes,
                 const BlockSum& sumOf) {
  const auto A = cpu64(a), B = cpu64(b);
  const double aa = meanOverPairs(A, A, chunkBytes, sumOf);
  const double bb = meanOverPairs(B, B, chunkBytes, sumOf);
  const double ab = meanOverPairs(A, B, chunkBytes, sumOf);
  return std::max(0.0, aa + bb - 2.0 * ab);
}

}  // namespace

double energyDistance(const torch::Tensor& a, const torch::Tensor& b, int64_t chunkBytes) {
  checkPair("energyDistance", a, b, chunkBytes);
  torch::NoGradGuard noGrad;
  return twoSample(a, b, chunkBytes,
                   [](const torch::Tensor& dist) { return -dist.sum().item<double>(); });
}

double mmdRbf(const torch::Tensor& a, const torch::Tensor& b, double bandwidth,
              int64_t chunkBytes) {
  checkPair("mmdRbf", a, b, chunkBytes);
  if (!(bandwidth > 0.0) || !std::isfinite(bandwidth))
    throw InputError("mmdRbf: bandwidth = " + std::to_string(bandwidth) +
                     " (expected a finite value > 0)");
  torch::NoGradGuard noGrad;
  const double scale = -0.5 / (bandwidth * bandwidth);
  return twoSample(a, b, chunkBytes, [scale](const torch::Tensor& dist) {
    return dist.square().mul_(scale).exp_().sum().item<double>();
  });
}

}  // namespace flowscope
