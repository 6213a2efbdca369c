#include "core/metrics/HistogramDivergence.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "core/util/Error.h"

namespace flowscope {
namespace {

std::string rangeText(const Bounds2D& r) {
  return "[" + std::to_string(r.xmin) + ", " + std::to_string(r.xmax) + ") x [" +
         std::to_string(r.ymin) + ", " + std::to_string(r.ymax) + ")";
}

bool sameRange(const Bounds2D& a, const Bounds2D& b) {
  return a.xmin == b.xmin && a.xmax == b.xmax && a.ymin == b.ymin && a.ymax == b.ymax;
}

void checkSameGrid(const char* what, const Histogram2D& p, const Histogram2D& q) {
  if (p.bins != q.bins || !sameRange(p.range, q.range))
    throw InputError(std::string(what) + ": histograms are on different grids (" +
                     std::to_string(p.bins) + " bins over " + rangeText(p.range) + " vs " +
                     std::to_string(q.bins) + " bins over " + rangeText(q.range) +
                     "; expected the same bins and range)");
  const size_t cells = static_cast<size_t>(p.bins) * static_cast<size_t>(p.bins);
  if (p.counts.size() != cells || q.counts.size() != cells)
    throw InputError(std::string(what) + ": histogram has " + std::to_string(p.counts.size()) +
                     " and " + std::to_string(q.counts.size()) + " counts (expected bins^2 = " +
                     std::to_string(cells) + ")");
}

/// Counts plus eps, divided by their total; throws when there is nothing to normalize.
std::vector<double> normalized(const char* what, const char* which, const Histogram2D& h,
                               double eps) {
  std::vector<double> out(h.counts.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = h.counts[i] + eps;
  const double total = std::accumulate(out.begin(), out.end(), 0.0);
  if (!(total > 0.0) || !std::isfinite(total))
    throw InputError(std::string(what) + ": histogram " + which + " has total " +
                     std::to_string(total) + " (expected a finite total > 0: some points inside " +
                     rangeText(h.range) + ")");
  for (double& v : out) v /= total;
  return out;
}

}  // namespace

Histogram2D histogram2d(const torch::Tensor& x, const Bounds2D& range, int bins) {
  if (x.dim() != 2 || x.size(1) != 2)
    throw InputError("histogram2d: points have " + std::to_string(x.dim()) +
                     " dimensions or the wrong width (expected [n, 2])");
  if (bins < 1)
    throw InputError("histogram2d: bins = " + std::to_string(bins) + " (expected >= 1)");
  const bool finite = std::isfinite(range.xmin) && std::isfinite(range.xmax) &&
                      std::isfinite(range.ymin) && std::isfinite(range.ymax);
  if (!finite || !(range.xmin < range.xmax) || !(range.ymin < range.ymax))
    throw InputError("histogram2d: range " + rangeText(range) +
                     " (expected finite bounds with xmin < xmax and ymin < ymax)");

  torch::NoGradGuard noGrad;
  const auto p = x.detach().to(torch::kCPU).to(torch::kFloat64);
  const auto px = p.select(1, 0), py = p.select(1, 1);
  // Comparisons are false for NaN, so NaN points count as outside.
  const auto inside = px.ge(range.xmin)
                          .logical_and(px.lt(range.xmax))
                          .logical_and(py.ge(range.ymin))
                          .logical_and(py.lt(range.ymax));
  // A point just below xmax can round to index `bins`; it is inside, so it belongs to the last
  // cell. Clamping is applied only to points already known to be inside.
  auto cellOf = [bins](const torch::Tensor& v, double lo, double hi) {
    return v.sub(lo).div(hi - lo).mul(bins).floor().clamp(0, bins - 1).to(torch::kLong);
  };
  const auto ix = cellOf(px.masked_select(inside), range.xmin, range.xmax);
  const auto iy = cellOf(py.masked_select(inside), range.ymin, range.ymax);
  const int64_t cells = int64_t{bins} * bins;
  const auto counts =
      torch::bincount(iy * bins + ix, /*weights=*/{}, cells).to(torch::kFloat64).contiguous();

  Histogram2D h;
  h.bins = bins;
  h.range = range;
  h.counts.assign(counts.data_ptr<double>(), counts.data_ptr<double>() + cells);
  h.outside = p.size(0) - ix.size(0);
  return h;
}

double klDivergence(const Histogram2D& p, const Histogram2D& q, double smoothing) {
  checkSameGrid("klDivergence", p, q);
  if (!(smoothing >= 0.0) || !std::isfinite(smoothing))
    throw InputError("klDivergence: smoothing = " + std::to_string(smoothing) +
                     " (expected a finite value >= 0)");
  const auto P = normalized("klDivergence", "p", p, smoothing);
  const auto Q = normalized("klDivergence", "q", q, smoothing);
  double kl = 0.0;
  for (size_t i = 0; i < P.size(); ++i)
    if (P[i] > 0.0) kl += P[i] * std::log(P[i] / Q[i]);  // 0 log 0 = 0; P > 0, Q = 0 gives +inf
  return std::max(0.0, kl);  // >= 0 by Gibbs' inequality; negatives are rounding
}

double jsDivergence(const Histogram2D& p, const Histogram2D& q) {
  checkSameGrid("jsDivergence", p, q);
  const auto P = normalized("jsDivergence", "p", p, 0.0);
  const auto Q = normalized("jsDivergence", "q", q, 0.0);
  double js = 0.0;
  for (size_t i = 0; i < P.size(); ++i) {
    const double M = 0.5 * (P[i] + Q[i]);
    if (P[i] > 0.0) js += 0.5 * P[i] * std::log(P[i] / M);
    if (Q[i] > 0.0) js += 0.5 * Q[i] * std::log(Q[i] / M);
  }
  return std::max(0.0, js);
}

}  // namespace flowscope
