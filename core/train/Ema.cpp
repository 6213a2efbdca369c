#include "core/train/Ema.h"

#include <torch/torch.h>

#include <algorithm>

namespace flowscope {

Ema::Ema(std::shared_ptr<torch::nn::Module> shadow, double decay)
    : shadow_(std::move(shadow)), decay_(decay) {
  for (auto& p : shadow_->parameters()) p.set_requires_grad(false);
}

double Ema::decayAt(int64_t step) const {
  return std::min(decay_, (1.0 + static_cast<double>(step)) / (10.0 + static_cast<double>(step)));
}

void Ema::update(const torch::nn::Module& model, int64_t step) {
  torch::NoGradGuard noGrad;
  const double d = decayAt(step);
  auto shadow = shadow_->parameters();
  const auto current = model.parameters();
  for (size_t i = 0; i < shadow.size(); ++i) shadow[i].mul_(d).add_(current[i], 1.0 - d);
}

}  // namespace flowscope
