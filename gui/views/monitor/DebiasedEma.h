#pragma once
// TensorBoard's loss smoothing: an exponential moving average started from zero and divided by
// the weight it has gathered, s_k = a s_{k-1} + (1 - a) x_k, reported as s_k / (1 - a^k). The
// division removes the pull towards the zero start, so the first value is x_1 itself and the
// average of a constant is that constant from the first point on.

#include <vector>

namespace flowscope::gui {

class DebiasedEma {
 public:
  /// a = 1 would never move; the slider and the session clamp to this.
  static constexpr double kMaxSmoothing = 0.999;

  /// `a` is clamped to [0, kMaxSmoothing]; a = 0 returns the input unchanged.
  explicit DebiasedEma(double a = 0.9);

  double smoothing() const { return a_; }
  /// The smoothed value after `x`. A non-finite x returns NaN and leaves the average unchanged.
  double push(double x);
  void reset();

  /// push() over `values` from a fresh average.
  static std::vector<double> apply(const std::vector<double>& values, double a);

 private:
  double a_;
  double s_ = 0;
  double weight_ = 1;  ///< a^k
  bool any_ = false;
};

}  // namespace flowscope::gui
