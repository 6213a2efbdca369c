#pragma once
// Round tick positions for every axis FlowScope draws by hand or hands to Qt Charts.

#include <vector>

namespace flowscope::gui {

/// 1, 2 or 5 times a power of ten, at least `raw`: tick spacing humans read at a glance.
double niceStep(double raw);

/// About `target` evenly spaced round numbers (1-2-5 steps) covering [lo, hi]; at least three
/// when target >= 2, so a narrow axis never shows a lone label. Empty for an empty range.
std::vector<double> niceTicks(double lo, double hi, int target);

}  // namespace flowscope::gui
