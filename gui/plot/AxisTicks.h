#pragma once
// Round tick positions for every axis the plot layer draws (gui/plot/Axis).

#include <vector>

namespace flowscope::gui {

/// 1, 2 or 5 times a power of ten, at least `raw`: tick spacing humans read at a glance.
double niceStep(double raw);

/// About `target` evenly spaced round numbers (1-2-5 steps) covering [lo, hi]; at least three
/// when target >= 2 and `maxCount` allows, so a narrow axis rarely shows a lone label; never more
/// than `maxCount` (the labels that fit without touching). Empty for an empty range.
std::vector<double> niceTicks(double lo, double hi, int target, int maxCount = 1 << 20);

}  // namespace flowscope::gui
