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

std::vector<double> niceTicks(double lo, double hi, int target) {
  std::vector<double> ticks;
  const double span = hi - lo;
  if (!(span > 0) || !std::isfinite(span) || target < 1) return ticks;
  const double raw = span / target;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  double step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
  // Rounding up can leave a single tick on a narrow axis ([-4.8, 4.8] at step 5); a label needs
  // company to be read as a scale, so step down the 1-2-5 ladder until at least three fit.
  const int wanted = std::min(target, 2);
  for (int guard = 0; guard < 8; ++guard) {
    ticks.clear();
    for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
      ticks.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
    if (static_cast<int>(ticks.size()) > wanted) break;
    const double m = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    step *= m > 4.9 ? 0.4 : 0.5;  // 5 -> 2, 2 -> 1, 1 -> 0.5
  }
  return ticks;
}

}  // namespace flowscope::gui
