#include "gui/plot/Axis.h"

#include <algorithm>
#include <cmath>

#include "gui/plot/AxisTicks.h"
#include "gui/plot/TickFormat.h"

namespace flowscope::gui {
namespace {

double toAxis(const Axis& a, double v) { return a.isLog() ? std::log10(v) : v; }

std::vector<Tick> linearTicks(const Axis& a, double pixels, double spacing) {
  std::vector<Tick> out;
  const int target = std::max(2, static_cast<int>(pixels / std::max(1.0, spacing)));
  // `spacing` is the comfortable gap (about four label heights); labels still read at 45% of it.
  const int fits = 1 + static_cast<int>(pixels / std::max(1.0, 0.45 * spacing));
  const std::vector<double> values = niceTicks(a.lo, a.hi, target, fits);
  const double step = values.size() > 1 ? values[1] - values[0] : 0;
  for (double v : values) out.push_back({v, formatTick(v, step), true});
  return out;
}

std::vector<Tick> logTicks(const Axis& a, double pixels, double spacing) {
  std::vector<Tick> out;
  const double l0 = std::log10(a.lo), l1 = std::log10(a.hi);
  const double perDecade = pixels / std::max(1e-9, l1 - l0);
  if (a.logBase == 2) {
    // Powers of two (NFE doubles along a sweep), every k-th one when they crowd.
    const double l2 = std::log10(2.0);
    const int k0 = static_cast<int>(std::ceil(l0 / l2 - 1e-9)), k1 = static_cast<int>(std::floor(l1 / l2 + 1e-9));
    const int stride = std::max(1, static_cast<int>(std::ceil(spacing / std::max(1e-9, perDecade * l2))));
    for (int k = k0; k <= k1; ++k) {
      if (((k % stride) + stride) % stride != 0) continue;
      const double v = std::pow(2.0, k);
      out.push_back({v, formatValue(v, 10), true});
    }
    if (out.size() < 2) {  // a narrow range: fall back to round numbers
      Axis lin = a;
      lin.scale = AxisScale::Linear;
      return linearTicks(lin, pixels, spacing);
    }
    return out;
  }
  const int d0 = static_cast<int>(std::floor(l0 + 1e-9)), d1 = static_cast<int>(std::ceil(l1 - 1e-9));
  const int stride = std::max(1, static_cast<int>(std::ceil(spacing / std::max(1e-9, perDecade))));
  int majors = 0;
  for (int d = d0; d <= d1; ++d) {
    const double v = std::pow(10.0, d);
    if (v < a.lo * (1 - 1e-9) || v > a.hi * (1 + 1e-9)) continue;
    if (d % stride == 0) {
      out.push_back({v, formatTick(v, v), true});
      ++majors;
    } else {
      out.push_back({v, {}, false});
    }
  }
  const bool sparse = majors < 2;
  if (stride == 1 && perDecade > spacing * 0.9) {
    for (int d = d0 - 1; d <= d1; ++d)
      for (int m = 2; m <= 9; ++m) {
        const double v = m * std::pow(10.0, d);
        if (v < a.lo || v > a.hi) continue;
        // Less than two decades labeled: 2x and 5x carry labels too.
        const bool label = sparse && (m == 2 || m == 5);
        out.push_back({v, label ? formatTick(v, std::pow(10.0, d)) : QString(), label});
      }
  }
  if (out.empty() || (sparse && std::none_of(out.begin(), out.end(), [](const Tick& t) { return t.major; }))) {
    Axis lin = a;
    lin.scale = AxisScale::Linear;
    return linearTicks(lin, pixels, spacing);
  }
  std::sort(out.begin(), out.end(), [](const Tick& x, const Tick& y) { return x.value < y.value; });
  return out;
}

}  // namespace

double Axis::fraction(double v) const {
  const double a = toAxis(*this, lo), b = toAxis(*this, hi);
  return b == a ? 0.5 : (toAxis(*this, v) - a) / (b - a);
}

double Axis::value(double f) const {
  const double a = toAxis(*this, lo), b = toAxis(*this, hi);
  const double x = a + f * (b - a);
  return isLog() ? std::pow(10.0, x) : x;
}

std::vector<Tick> Axis::ticks(double pixels, double spacing) const {
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi) || pixels <= 0) return {};
  if (isLog() && !(lo > 0)) return {};
  return isLog() ? logTicks(*this, pixels, spacing) : linearTicks(*this, pixels, spacing);
}

Axis Axis::fitted(double dataLo, double dataHi, AxisScale scale, double pad) {
  Axis a;
  a.scale = scale;
  const bool log = scale == AxisScale::Log;
  double lo = dataLo, hi = dataHi;
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi || (log && !(lo > 0))) {
    lo = log ? 1e-4 : 0;
    hi = 1;
  }
  if (log) lo = std::log10(lo), hi = std::log10(hi);
  if (hi - lo < 1e-12 * std::max(1.0, std::abs(hi))) {
    const double d = log ? 0.5 : std::max(std::abs(lo) * 0.1, 0.05);
    lo -= d, hi += d;
  }
  const double p = (hi - lo) * pad;
  lo -= p, hi += p;
  a.lo = log ? std::pow(10.0, lo) : lo;
  a.hi = log ? std::pow(10.0, hi) : hi;
  return a;
}

}  // namespace flowscope::gui
