#pragma once
// Checkerboard: uniform on the 8 black squares of a 4x4 board covering [-4, 4)^2.

#include "core/data/Dataset2D.h"

namespace flowscope {

class Checkerboard final : public Dataset2D {
 public:
  std::string name() const override { return "checkerboard"; }
  torch::Tensor sample(int64_t n, at::Generator& gen) const override;
  bool hasLogDensity() const override { return true; }
  /// -log(32) on black squares, -inf on white squares and outside the board.
  torch::Tensor logDensity(const torch::Tensor& x) const override;
  Bounds2D bounds() const override { return {-4.0, 4.0, -4.0, 4.0}; }

  /// Whether (x, y) lies on a black square: inside [-4, 4)^2 and floor(x/2) + floor(y/2) even.
  static bool isBlack(double x, double y);
  /// isBlack for each row of a float [n, 2] tensor (any device): bool [n].
  static torch::Tensor blackMask(const torch::Tensor& x);
};

}  // namespace flowscope
