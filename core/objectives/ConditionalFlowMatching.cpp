#include "core/objectives/ConditionalFlowMatching.h"

#include <torch/torch.h>

namespace flowscope {

torch::Tensor ConditionalFlowMatching::lossAt(const NetFn& net, const torch::Tensor& t,
                                              const torch::Tensor& x0,
                                              const torch::Tensor& x1) const {
  const torch::Tensor xt = path_->psi(t, x0, x1);
  const torch::Tensor target = path_->dpsi(t, x0, x1);
  return (net(xt, t) - target).square().mean();
}

torch::Tensor ConditionalFlowMatching::velocity(const torch::Tensor& output, const torch::Tensor&,
                                                const torch::Tensor&) const {
  return output;
}

}  // namespace flowscope
