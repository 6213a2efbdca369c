#include "core/metrics/SlicedWasserstein.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/util/Error.h"

namespace flowscope {
namespace {

// Directions are processed in groups so that the sorted projections and interpolated quantiles
// of 20,000-point samples with hundreds of directions stay near this many bytes.
constexpr int64_t kChunkBytes = int64_t{64} << 20;

std::string shapeOf(const torch::Tensor& x) {
  std::string s = "[";
  for (int64_t i = 0; i < x.dim(); ++i) s += (i ? ", " : "") + std::to_string(x.size(i));
  return s + "]";
}

/// Column indices and weights that evaluate the interpolated quantile function of a sorted
/// sample of size n at the K levels (k + 1/2) / K: q(u_k) = (1 - w) s[lo] + w s[hi].
struct QuantileGrid {
  torch::Tensor lo, hi, w;  // [K] each
};

QuantileGrid quantileGrid(int64_t n, int64_t K) {
  // Sample point i sits at level (i + 1/2) / n, so level u_k is at fractional index
  // t = u_k n - 1/2 = ((2k + 1) n - K) / (2K). The integer numerator makes t exact whenever it is
  // an integer, so n = K reproduces the sorted sample bit for bit.
  const auto k = torch::arange(K, torch::kFloat64);
  const auto t = ((2 * k + 1) * static_cast<double>(n) - static_cast<double>(K))
                     .div(2.0 * static_cast<double>(K))
                     .clamp(0.0, static_cast<double>(n - 1));
  const auto lo = t.floor();
  QuantileGrid g;
  g.lo = lo.to(torch::kLong);
  g.hi = (g.lo + 1).clamp_max(n - 1);
  g.w = t - lo;
  return g;
}

/// Quantiles of each row of `sorted` [L, n] at the grid's levels: [L, K].
torch::Tensor quantiles(const torch::Tensor& sorted, const QuantileGrid& g) {
  return sorted.index_select(1, g.lo) * (1 - g.w) + sorted.index_select(1, g.hi) * g.w;
}

}  // namespace

double slicedWasserstein(const torch::Tensor& a, const torch::Tensor& b, int64_t projections,
                         at::Generator& gen, double p) {
  if (a.dim() != 2 || b.dim() != 2 || a.size(1) != b.size(1) || a.size(1) < 1)
    throw InputError("slicedWasserstein: samples have shapes " + shapeOf(a) + " and " +
                     shapeOf(b) + " (expected [n, d] and [m, d] with the same d >= 1)");
  if (a.size(0) < 1 || b.size(0) < 1)
    throw InputError("slicedWasserstein: empty sample (n = " + std::to_string(a.size(0)) +
                     ", m = " + std::to_string(b.size(0)) + "; expected n, m >= 1)");
  if (projections < 1)
    throw InputError("slicedWasserstein: projections = " + std::to_string(projections) +
                     " (expected >= 1)");
  if (!(p >= 1.0) || !std::isfinite(p))
    throw InputError("slicedWasserstein: p = " + std::to_string(p) +
                     " (expected a finite p >= 1)");

  torch::NoGradGuard noGrad;
  const auto A = a.detach().to(torch::kCPU).to(torch::kFloat64);
  const auto B = b.detach().to(torch::kCPU).to(torch::kFloat64);
  const int64_t n = A.size(0), m = B.size(0), d = A.size(1), K = std::max(n, m);

  // All directions are drawn up front so that the result does not depend on the chunking.
  auto theta = torch::randn({projections, d}, gen, torch::TensorOptions().dtype(torch::kFloat64));
  theta = theta / theta.square().sum(1, /*keepdim=*/true).sqrt();

  const QuantileGrid ga = quantileGrid(n, K), gb = quantileGrid(m, K);
  const int64_t perDirection = 8 * (n + m + 3 * K);
  const int64_t chunk = std::max<int64_t>(1, kChunkBytes / perDirection);
  double total = 0.0;  // sum over directions of W_p^p
  for (int64_t start = 0; start < projections; start += chunk) {
    // One row per direction, so each sort runs over contiguous memory.
    const auto dirs = theta.narrow(0, start, std::min(chunk, projections - start));
    const auto qa = quantiles(std::get<0>(dirs.mm(A.t()).sort(1)), ga);
    const auto qb = quantiles(std::get<0>(dirs.mm(B.t()).sort(1)), gb);
    const auto gap = (qa - qb).abs();
    total += (p == 2.0 ? gap.square() : gap.pow(p)).mean(1).sum().item<double>();
  }
  return std::pow(total / static_cast<double>(projections), 1.0 / p);
}

}  // namespace flowscope
