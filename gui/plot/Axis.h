#pragma once
// One axis of a plot or colorbar: its range, scale and title, and the ticks that fit a given
// length. Pure numbers (no painting), so tick choices are testable.

#include <QString>

#include <vector>

namespace flowscope::gui {

enum class AxisScale { Linear, Log };

struct Tick {
  double value = 0;
  QString label;  ///< empty for minor ticks
  bool major = true;
};

struct Axis {
  double lo = 0, hi = 1;  ///< data units (both > 0 on a log axis)
  AxisScale scale = AxisScale::Linear;
  QString title;
  int logBase = 10;  ///< log axes: major ticks at powers of this (10, or 2 for NFE)

  bool isLog() const { return scale == AxisScale::Log; }
  /// Where `v` lies along the axis: 0 at lo, 1 at hi (log axes in log space).
  double fraction(double v) const;
  /// The inverse of fraction().
  double value(double fraction) const;
  /// Major ticks (with labels) and, on log axes, minor ticks at 2..9 x 10^k, for an axis `pixels`
  /// long whose major ticks should be at least `spacing` pixels apart.
  std::vector<Tick> ticks(double pixels, double spacing) const;

  /// [lo, hi] padded by `pad` of the span on each side (in log space on log axes); a degenerate
  /// or empty range becomes a plausible one. Non-positive values must be left out beforehand
  /// on log axes.
  static Axis fitted(double dataLo, double dataHi, AxisScale scale, double pad = 0.05);
};

}  // namespace flowscope::gui
