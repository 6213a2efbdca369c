#include "core/data/Checkerboard.h"

#include <cmath>
#include <limits>

namespace flowscope {

namespace {
constexpr double kHalfWidth = 4.0;   // the board covers [-4, 4)^2
constexpr double kSquare = 2.0;      // side of one square
constexpr double kBlackArea = 32.0;  // 8 black squares of area 4
// Largest offset kept inside a square. float32 rounding of lo + 2u can land exactly on the next
// square's edge (u close to 1); 2^-20 is exactly representable next to every edge in [-4, 4].
constexpr double kInsideEdge = kSquare - 1.0 / (1 << 20);
}  // namespace

torch::Tensor Checkerboard::sample(int64_t n, at::Generator& gen) const {
  TORCH_CHECK(n >= 0, name(), ": sample count n = ", n, " is negative (expected n >= 0)");
  // Pick one of the 8 black squares uniformly: row j = k / 2 in 0..3, and the column i in 0..3
  // with i + j even (floor(x/2) = i - 2, so parity of i + j is the board's parity).
  const torch::Tensor k = torch::randint(0, 8, {n}, gen);
  const torch::Tensor row = k.div(2, "floor");
  const torch::Tensor col = k.remainder(2) * 2 + row.remainder(2);
  const torch::Tensor corner =
      torch::stack({col, row}, 1).to(torch::kFloat32) * kSquare - kHalfWidth;
  const torch::Tensor offset = torch::rand({n, 2}, gen) * kSquare;
  return corner + offset.clamp_max(kInsideEdge);
}

torch::Tensor Checkerboard::logDensity(const torch::Tensor& x) const {
  const torch::Tensor mask = blackMask(x);
  return torch::full({x.size(0)}, -std::numeric_limits<double>::infinity(), x.options().dtype(torch::kFloat64))
      .masked_fill_(mask, -std::log(kBlackArea));
}

bool Checkerboard::isBlack(double x, double y) {
  if (!(x >= -kHalfWidth && x < kHalfWidth && y >= -kHalfWidth && y < kHalfWidth)) return false;
  const auto cells = static_cast<long long>(std::floor(x / kSquare) + std::floor(y / kSquare));
  return cells % 2 == 0;
}

torch::Tensor Checkerboard::blackMask(const torch::Tensor& x) {
  TORCH_CHECK(x.dim() == 2 && x.size(1) == 2, "Checkerboard::blackMask: points have shape ",
              x.sizes(), " (expected [n, 2])");
  // float64 so that the cell of a point just below an edge is the same as isBlack() computes.
  const torch::Tensor p = x.to(torch::kFloat64);
  const torch::Tensor inside = p.ge(-kHalfWidth).logical_and(p.lt(kHalfWidth)).all(1);
  const torch::Tensor cells = p.div(kSquare).floor().sum(1).to(torch::kLong);
  return inside.logical_and(cells.remainder(2).eq(0));
}

}  // namespace flowscope
