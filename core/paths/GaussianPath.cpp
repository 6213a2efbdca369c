#include "core/paths/GaussianPath.h"

#include <torch/torch.h>

#include <cmath>

namespace flowscope {

torch::Tensor broadcastTime(const torch::Tensor& t, const torch::Tensor& x) {
  if (t.dim() == 0) return t;
  if (t.dim() == x.dim()) return t;
  std::vector<int64_t> shape(static_cast<size_t>(x.dim()), 1);
  shape[0] = t.size(0);
  return t.reshape(shape);
}

torch::Tensor GaussianPath::psi(const torch::Tensor& t, const torch::Tensor& x0,
                                const torch::Tensor& x1) const {
  return stddev(t, x1) * x0 + mean(t, x1);
}

torch::Tensor GaussianPath::dpsi(const torch::Tensor& t, const torch::Tensor& x0,
                                 const torch::Tensor& x1) const {
  return dstddev(t, x1) * x0 + dmean(t, x1);
}

torch::Tensor GaussianPath::conditionalVectorField(const torch::Tensor& t, const torch::Tensor& x,
                                                   const torch::Tensor& x1) const {
  return dstddev(t, x1) / stddev(t, x1) * (x - mean(t, x1)) + dmean(t, x1);
}

torch::Tensor GaussianPath::conditionalLogDensity(const torch::Tensor& t, const torch::Tensor& x,
                                                  const torch::Tensor& x1) const {
  const torch::Tensor s = stddev(t, x1);
  const torch::Tensor z = (x - mean(t, x1)) / s;
  const torch::Tensor perDim = -0.5 * z.square() - torch::log(s) - 0.5 * std::log(2.0 * M_PI);
  return perDim.flatten(1).sum(1);
}

}  // namespace flowscope
