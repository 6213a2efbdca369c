#pragma once
// The network v_t(x; theta) every model family implements: x [B, ...] and t [B, 1] in, the
// network output (a velocity, a score or a noise, by objective) of x's shape out. The trainer,
// checkpoints and TrainedFlow hold models through this interface (core/models/ModelFactory.h).

#include <torch/nn/module.h>

#include <memory>
#include <stdexcept>

namespace flowscope {

class VelocityNetImpl : public torch::nn::Module {
 public:
  virtual torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& t) = 0;

  /// Class-conditional networks: labels [B] in 0..classes(), where classes() itself is the null
  /// class (classifier-free guidance, Ho & Salimans 2022). An undefined `labels` is the
  /// unconditional call.
  virtual torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& t,
                                const torch::Tensor& labels) {
    if (labels.defined()) throw std::invalid_argument("this network takes no class labels");
    return forward(x, t);
  }
  /// The classes a conditional network knows (its null class is this index); 0: unconditional.
  virtual int64_t classes() const { return 0; }
};

using VelocityNet = std::shared_ptr<VelocityNetImpl>;

}  // namespace flowscope
