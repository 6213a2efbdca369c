#include "core/optim/GradNorm.h"

#include <torch/torch.h>

namespace flowscope {

torch::Tensor clipGradNorm(const std::vector<torch::Tensor>& parameters, double maxNorm) {
  torch::NoGradGuard noGrad;
  std::vector<torch::Tensor> norms;
  for (const auto& p : parameters)
    if (p.grad().defined()) norms.push_back(p.grad().norm(2).to(torch::kFloat32));
  if (norms.empty()) return torch::zeros({});
  const torch::Tensor total = torch::stack(norms).norm(2);
  const torch::Tensor scale = (maxNorm / (total + 1e-6)).clamp_max(1.0);
  for (const auto& p : parameters)
    if (p.grad().defined()) p.grad().mul_(scale.to(p.grad().scalar_type()));
  return total;
}

}  // namespace flowscope
