#include "gui/views/monitor/DebiasedEma.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace flowscope::gui {

DebiasedEma::DebiasedEma(double a) : a_(std::isfinite(a) ? std::clamp(a, 0.0, kMaxSmoothing) : 0.0) {}

double DebiasedEma::push(double x) {
  if (!std::isfinite(x)) return std::numeric_limits<double>::quiet_NaN();
  s_ = a_ * s_ + (1 - a_) * x;
  weight_ *= a_;
  if (!any_) {  // s_1 / (1 - a) is x_1 by definition: return it without rounding
    any_ = true;
    return x;
  }
  return s_ / (1 - weight_);
}

void DebiasedEma::reset() {
  s_ = 0;
  weight_ = 1;
  any_ = false;
}

std::vector<double> DebiasedEma::apply(const std::vector<double>& values, double a) {
  DebiasedEma ema(a);
  std::vector<double> out;
  out.reserve(values.size());
  for (double x : values) out.push_back(ema.push(x));
  return out;
}

}  // namespace flowscope::gui
