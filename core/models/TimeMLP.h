#pragma once
// The time-conditioned MLP of the paper's 2D experiments (Appendix E: 5 layers of 512). Input is
// [x, embed(t)]; `depth` hidden layers of `width` units with the chosen activation; a linear head
// of the data dimension.

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <string>
#include <vector>

#include "core/models/VelocityNet.h"

namespace flowscope {

struct ModelConfig;

struct TimeMLPOptions {
  int64_t dataDim = 2;
  int64_t width = 256;
  int64_t depth = 4;
  std::string activation = "silu";      ///< silu | relu | gelu | tanh | softplus
  std::string timeEmbedding = "fourier";  ///< fourier: [t, sin(k pi t), cos(k pi t)]; concat: [t]
  int64_t timeFrequencies = 8;

  static TimeMLPOptions fromConfig(const ModelConfig& config, int64_t dataDim);
};

class TimeMLPImpl : public VelocityNetImpl {
 public:
  explicit TimeMLPImpl(const TimeMLPOptions& options);

  /// x: [B, dataDim]; t: [B, 1], [B] or a scalar tensor. Returns [B, dataDim].
  using VelocityNetImpl::forward;
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& t) override;

  const TimeMLPOptions& options() const { return options_; }

 private:
  torch::Tensor embedTime(const torch::Tensor& t, int64_t batch) const;
  torch::Tensor activate(const torch::Tensor& h) const;

  TimeMLPOptions options_;
  enum class Activation { SiLU, ReLU, GELU, Tanh, Softplus } activation_;
  std::vector<torch::nn::Linear> hidden_;  // registered as hidden0, hidden1, ...
  torch::nn::Linear head_{nullptr};
  torch::Tensor frequencies_;  // buffer [F]: k * pi
};
TORCH_MODULE(TimeMLP);

}  // namespace flowscope
