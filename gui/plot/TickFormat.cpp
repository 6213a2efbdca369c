#include "gui/plot/TickFormat.h"

#include <algorithm>
#include <cmath>

namespace flowscope::gui {
namespace {

constexpr double kSciBelow = 1e-3, kSciFrom = 1e5;
const QChar kMinus(0x2212);

QString superscript(int n) {
  static const char16_t digits[] = {0x2070, 0x00B9, 0x00B2, 0x00B3, 0x2074,
                                    0x2075, 0x2076, 0x2077, 0x2078, 0x2079};
  QString s = n < 0 ? QString(QChar(0x207B)) : QString();
  for (QChar c : QString::number(std::abs(n))) s += QChar(digits[c.digitValue()]);
  return s;
}

QString withMinus(QString s) { return s.replace(QLatin1Char('-'), kMinus); }

/// m×10^e with `significant` digits of mantissa; "10^e" when the mantissa is 1.
QString scientific(double v, int significant) {
  const int e = static_cast<int>(std::floor(std::log10(std::abs(v)) + 1e-9));
  double m = v / std::pow(10.0, e);
  QString mant = QString::number(m, 'g', significant);
  if (mant == QLatin1String("10") || mant == QLatin1String("-10")) {  // rounding carried over
    m /= 10;
    return scientific(m * std::pow(10.0, e + 1), significant);
  }
  if (mant == QLatin1String("1")) return powerOfTen(e);
  if (mant == QLatin1String("-1")) return kMinus + powerOfTen(e);
  return withMinus(mant) + QChar(0x00D7) + powerOfTen(e);
}

}  // namespace

QString powerOfTen(int exponent) { return QStringLiteral("10") + superscript(exponent); }

QString formatTick(double value, double step) {
  if (!std::isfinite(value)) return value != value ? QStringLiteral("NaN") : value > 0 ? QStringLiteral("∞") : QString(kMinus) + "∞";
  if (step > 0 && std::abs(value) < step * 1e-9) return QStringLiteral("0");
  if (value == 0) return QStringLiteral("0");
  const double a = std::abs(value);
  if (a >= kSciFrom || a < kSciBelow) {
    // The mantissa needs the digits that tell neighbouring ticks apart.
    int digits = 3;
    if (step > 0) {
      const int e = static_cast<int>(std::floor(std::log10(a) + 1e-9));
      const int s = static_cast<int>(std::floor(std::log10(step) + 1e-9));
      digits = std::clamp(e - s + 1, 1, 6);
    }
    return scientific(value, digits);
  }
  if (!(step > 0)) return withMinus(QString::number(value, 'g', 4));
  // Decimals of the step (1-2-5 steps need no more than their own exponent).
  const double stepMag = std::floor(std::log10(step) + 1e-9);
  const double mantissa = step / std::pow(10.0, stepMag);
  int decimals = std::max(0, static_cast<int>(-stepMag));
  if (std::abs(mantissa - std::round(mantissa)) > 1e-6) ++decimals;  // e.g. 2.5
  return withMinus(QString::number(value, 'f', std::min(decimals, 8)));
}

QString formatValue(double value, int significant) {
  if (!std::isfinite(value) || value == 0) return formatTick(value, 0);
  const double a = std::abs(value);
  if (a >= kSciFrom || a < kSciBelow) return scientific(value, significant);
  return withMinus(QString::number(value, 'g', significant));
}

}  // namespace flowscope::gui
