#include "core/models/ModelInit.h"

#include <torch/torch.h>

#include <cmath>

#include "core/models/unet/AdmUNet.h"

namespace flowscope {

void initializeParameters(torch::nn::Module& module, at::Generator& gen) {
  torch::NoGradGuard noGrad;
  if (auto* unet = dynamic_cast<AdmUNetImpl*>(&module)) {
    unet->resetParameters(gen);
    return;
  }
  for (auto& child : module.modules(/*include_self=*/true)) {
    auto* linear = dynamic_cast<torch::nn::LinearImpl*>(child.get());
    if (!linear) continue;
    const double bound = 1.0 / std::sqrt(static_cast<double>(linear->weight.size(1)));
    // Draw on the CPU from the CPU generator, then copy: identical weights on every device.
    linear->weight.copy_(torch::empty(linear->weight.sizes()).uniform_(-bound, bound, gen));
    if (linear->bias.defined())
      linear->bias.copy_(torch::empty(linear->bias.sizes()).uniform_(-bound, bound, gen));
  }
}

void copyParameters(const torch::nn::Module& from, torch::nn::Module& to) {
  torch::NoGradGuard noGrad;
  const auto src = from.parameters();
  auto dst = to.parameters();
  for (size_t i = 0; i < src.size(); ++i) dst[i].copy_(src[i]);
  const auto srcBuffers = from.buffers();
  auto dstBuffers = to.buffers();
  for (size_t i = 0; i < srcBuffers.size(); ++i) dstBuffers[i].copy_(srcBuffers[i]);
}

}  // namespace flowscope
