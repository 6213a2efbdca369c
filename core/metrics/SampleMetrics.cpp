#include "core/metrics/SampleMetrics.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <string>

#include "core/data/Checkerboard.h"
#include "core/metrics/EnergyDistance.h"
#include "core/metrics/HistogramDivergence.h"
#include "core/metrics/SlicedWasserstein.h"
#include "core/util/Error.h"

namespace flowscope {

std::map<std::string, double> sampleQuality(const torch::Tensor& samples, const Dataset2D& data,
                                            int64_t referenceCount, at::Generator& gen,
                                            const SampleQualityOptions& options) {
  if (samples.dim() != 2 || samples.size(1) != 2 || samples.size(0) < 1)
    throw InputError("sampleQuality: samples have " + std::to_string(samples.dim()) +
                     " dimensions or no rows (expected [n, 2] with n >= 1)");
  if (referenceCount < 1)
    throw InputError("sampleQuality: referenceCount = " + std::to_string(referenceCount) +
                     " (expected >= 1)");

  torch::NoGradGuard noGrad;
  const auto x = samples.detach().to(torch::kCPU).to(torch::kFloat64);
  const auto y = data.sample(referenceCount, gen).to(torch::kFloat64);

  std::map<std::string, double> values;
  values["sliced_w2"] = slicedWasserstein(x, y, options.projections, gen, 2.0);
  if (options.energy) values["energy"] = energyDistance(x, y);
  if (options.mmd) values["mmd"] = mmdRbf(x, y, options.mmdBandwidth);

  const Histogram2D hy = histogram2d(y, data.bounds(), options.bins);
  const Histogram2D hx = histogram2d(x, data.bounds(), options.bins);
  // With no sample inside the bounds there is no in-bounds sample distribution to compare (the
  // smoothed KL would quietly compare against a uniform histogram); sliced_w2 shows the failure.
  const bool noneInside = hx.outside == x.size(0);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  values["kl_hist"] = noneInside ? nan : klDivergence(hy, hx);
  values["js_hist"] = noneInside ? nan : jsDivergence(hy, hx);

  if (data.hasLogDensity()) {
    const auto logq = data.logDensity(x).to(torch::kFloat64);
    const auto off = logq.eq(-std::numeric_limits<double>::infinity());
    const auto on = off.logical_not();
    const int64_t onCount = on.sum().item<int64_t>();
    // Off-support points would make the mean +inf and hide how close the rest is; they are
    // reported separately instead.
    values["sample_nll"] = onCount == 0 ? std::numeric_limits<double>::quiet_NaN()
                                        : -logq.masked_select(on).mean().item<double>();
    values["off_support"] = off.to(torch::kFloat64).mean().item<double>();
  }
  if (data.name() == "checkerboard")
    values["frac_black"] = Checkerboard::blackMask(x).to(torch::kFloat64).mean().item<double>();
  return values;
}

}  // namespace flowscope
