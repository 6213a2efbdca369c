#pragma once
// Sample-quality metrics of a trained model: generated points against the target dataset, as
// recorded by the evaluation hook and compared across runs (docs/metrics.md defines each one).

#include <ATen/core/Generator.h>
#include <torch/types.h>

#include <cstdint>
#include <map>
#include <string>

#include "core/data/Dataset2D.h"

namespace flowscope {

struct SampleQualityOptions {
  int64_t projections = 256;  ///< random directions for sliced_w2
  int bins = 32;              ///< histogram cells per axis for kl_hist and js_hist
  bool energy = true;         ///< compute "energy" (O(n m) pairs, ~1-2 s at 20,000 x 20,000)
  bool mmd = false;           ///< compute "mmd"
  double mmdBandwidth = 0.5;  ///< Gaussian kernel bandwidth h of "mmd", in data units
};

/// A named set of metric values (the same keys as sampleQuality()).
struct SampleMetrics {
  std::map<std::string, double> values;
};

/// Metrics of generated samples [n, 2] (any float dtype/device) against `data`. First draws
/// `referenceCount` points y ~ q from `data` with `gen`, then the sliced-W2 directions from
/// `gen`, so one generator state fixes every value. Keys:
///   "sliced_w2"  SW_2(samples, y) with options.projections directions (slicedWasserstein).
///   "energy"     squared energy distance V-statistic of (samples, y); if options.energy.
///   "mmd"        Gaussian-kernel MMD^2 V-statistic of (samples, y), bandwidth
///                options.mmdBandwidth; if options.mmd.
///   "kl_hist"    KL(H(y) || H(samples)) in nats, H = histogram2d over data.bounds() with
///                options.bins per axis (points outside dropped), smoothing 1e-10 per cell
///                (klDivergence).
///   "js_hist"    JS(H(y), H(samples)) in nats (jsDivergence), same histograms.
///                Both compare shapes inside data.bounds(); NaN when no sample lies inside.
///   If data.hasLogDensity():
///   "sample_nll"   -(1/|S|) sum_{x in S} log q(x) over S = samples with log q(x) > -inf, i.e.
///                  the cross-entropy of the samples under the exact target density restricted
///                  to its support, in nats; NaN when S is empty.
///   "off_support"  fraction of samples with log q(x) = -inf (outside the target's support).
///   If data.name() == "checkerboard":
///   "frac_black"   fraction of samples on black squares (Checkerboard::blackMask).
/// Throws InputError on a bad shape, an empty sample, referenceCount < 1 or bad options.
std::map<std::string, double> sampleQuality(const torch::Tensor& samples, const Dataset2D& data,
                                            int64_t referenceCount, at::Generator& gen,
                                            const SampleQualityOptions& options = {});

}  // namespace flowscope
