#include "gui/plot/AxisTicks.h"

#include <algorithm>
#include <cmath>

namespace flowscope::gui {

double niceStep(double raw) {
  if (!(raw > 0) || !std::isfinite(raw)) return 1;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw * (1 - 1e-9)) return m * mag;
  return 10 * mag;
}

std::vector<double> niceTicks(double lo, double hi, int target, int maxCount) {
  std::vector<double> ticks;
  const double span = hi - lo;
  if (!(span > 0) || !std::isfinite(span) || target < 1) return ticks;
  const auto make = [&](double step) {
    std::vector<double> t;
    for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
      t.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
    return t;
  };
  const auto down = [](double step) {  // 5 -> 2, 2 -> 1, 1 -> 0.5
    const double m = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    return step * (m > 4.9 ? 0.4 : 0.5);
  };
  const double raw = span / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  double step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
  ticks = make(step);
  // Rounding to the nearest 1-2-5 step can overshoot what fits: step up until it does.
  for (int guard = 0; guard < 8 && static_cast<int>(ticks.size()) > std::max(1, maxCount); ++guard) {
    step = niceStep(step * 1.01);
    ticks = make(step);
  }
  // Rounding up can leave a single tick on a narrow axis ([-4.8, 4.8] at step 5); a label needs
  // company to be read as a scale, so step down the 1-2-5 ladder until at least three fit, as
  // long as they still fit.
  const int wanted = std::min(target, 2);
  for (int guard = 0; guard < 8 && static_cast<int>(ticks.size()) <= wanted; ++guard) {
    const std::vector<double> finer = make(down(step));
    if (static_cast<int>(finer.size()) > maxCount) break;
    step = down(step);
    ticks = finer;
  }
  return ticks;
}

}  // namespace flowscope::gui
