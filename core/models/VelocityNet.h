#pragma once
// The network v_t(x; theta) every model family implements: x [B, ...] and t [B, 1] in, the
// network output (a velocity, a score or a noise, by objective) of x's shape out. The trainer,
// checkpoints and TrainedFlow hold models through this interface (core/models/ModelFactory.h).

#include <torch/nn/module.h>

#include <memory>

namespace flowscope {

class VelocityNetImpl : public torch::nn::Module {
 public:
  virtual torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& t) = 0;
};

using VelocityNet = std::shared_ptr<VelocityNetImpl>;

}  // namespace flowscope
