#include "core/objectives/NoiseMatching.h"

#include <torch/torch.h>

namespace flowscope {

torch::Tensor NoiseMatching::lossAt(const NetFn& net, const torch::Tensor& t,
                                    const torch::Tensor& x0, const torch::Tensor& x1) const {
  const torch::Tensor xt = path_->psi(broadcastTime(t, x1), x0, x1);
  return (net(xt, t) - x0).square().mean();
}

torch::Tensor NoiseMatching::velocity(const torch::Tensor& output, const torch::Tensor& x,
                                      const torch::Tensor& t) const {
  return path_->velocityFromNoise(t, x, output);
}

}  // namespace flowscope
