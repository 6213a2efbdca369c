#pragma once
// The one formatter of every number FlowScope draws on an axis, a colorbar or a read-out, so
// every figure writes numbers the same way: a true minus sign (U+2212), as many decimals as the
// tick step needs, and powers of ten ("2×10⁻⁵", "10⁴") outside [1e-3, 1e5).

#include <QString>

namespace flowscope::gui {

/// A tick label for `value` on an axis whose ticks are `step` apart (step <= 0: 4 significant
/// digits). Values within step * 1e-9 of zero print as "0".
QString formatTick(double value, double step);

/// A value outside an axis (hover read-outs, notes): `significant` digits, the same conventions.
QString formatValue(double value, int significant = 5);

/// "10⁻⁵": 10 to an integer power.
QString powerOfTen(int exponent);

}  // namespace flowscope::gui
