#pragma once
// Divergences between 2D histograms: a coarse but readable view of where the mass of generated
// samples goes compared with the data (missed modes, mass in the gaps), in nats.

#include <torch/types.h>

#include <cstdint>
#include <vector>

#include "core/data/Dataset2D.h"

namespace flowscope {

/// Counts on a bins x bins grid of equal cells over `range`; cell (ix, iy) covers
/// [xmin + ix w, xmin + (ix + 1) w) x [ymin + iy h, ymin + (iy + 1) h) and its count is
/// counts[iy * bins + ix] (rows of constant y, like an image with y going up).
struct Histogram2D {
  int bins = 0;
  Bounds2D range;
  std::vector<double> counts;
  int64_t outside = 0;  ///< points not in [xmin, xmax) x [ymin, ymax), or NaN; not in counts
};

/// Histogram of the rows of x [n, 2] (any float dtype/device). Points outside the half-open range
/// are dropped, not clamped into the edge cells, and counted in `outside`. Throws InputError on a
/// bad shape, bins < 1, or a range that is not finite with xmin < xmax and ymin < ymax.
Histogram2D histogram2d(const torch::Tensor& x, const Bounds2D& range, int bins);

/// KL(P || Q) = sum_c P_c log(P_c / Q_c) in nats, where P_c = (p_c + eps) / sum(p + eps) and
/// likewise Q, eps = `smoothing` added to every cell's count (so an empty q cell under p mass
/// costs about log(1/eps) instead of +inf). 0 for equal histograms. +inf only if smoothing = 0
/// and q has an empty cell where p has mass. Throws InputError when the grids differ, smoothing
/// < 0, or a histogram is all zero after smoothing.
double klDivergence(const Histogram2D& p, const Histogram2D& q, double smoothing = 1e-10);

/// Jensen-Shannon divergence (KL(P || M) + KL(Q || M)) / 2 with M = (P + Q) / 2 of the normalized
/// histograms, in nats, no smoothing (M > 0 wherever P or Q is). In [0, log 2]: 0 for equal
/// histograms, log 2 for disjoint ones. Throws InputError when the grids differ or a histogram
/// has no counts.
double jsDivergence(const Histogram2D& p, const Histogram2D& q);

}  // namespace flowscope
