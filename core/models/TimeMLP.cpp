#include "core/models/TimeMLP.h"

#include <torch/torch.h>

#include <cmath>

#include "core/config/ExperimentConfig.h"
#include "core/registry/Registries.h"
#include "core/util/Error.h"

namespace flowscope {

TimeMLPOptions TimeMLPOptions::fromConfig(const ModelConfig& config, int64_t dataDim) {
  TimeMLPOptions o;
  o.dataDim = dataDim;
  o.width = config.width;
  o.depth = config.depth;
  o.activation = config.activation;
  o.timeEmbedding = config.time_embedding;
  o.timeFrequencies = config.time_frequencies;
  return o;
}

TimeMLPImpl::TimeMLPImpl(const TimeMLPOptions& options) : options_(options) {
  if (options.width < 1) throw ConfigError("model.width", "model.width: expected >= 1");
  if (options.depth < 1) throw ConfigError("model.depth", "model.depth: expected >= 1");
  const std::string& a = options.activation;
  if (a == "silu") activation_ = Activation::SiLU;
  else if (a == "relu") activation_ = Activation::ReLU;
  else if (a == "gelu") activation_ = Activation::GELU;
  else if (a == "tanh") activation_ = Activation::Tanh;
  else if (a == "softplus") activation_ = Activation::Softplus;
  else
    throw ConfigError("model.activation", "model.activation: unknown activation '" + a +
                                              "' (expected " + activationRegistry().expected() + ")");

  int64_t embedDim = 1;
  if (options.timeEmbedding == "fourier") {
    if (options.timeFrequencies < 1)
      throw ConfigError("model.time_frequencies", "model.time_frequencies: expected >= 1");
    embedDim = 1 + 2 * options.timeFrequencies;
    frequencies_ = register_buffer(
        "frequencies", torch::arange(1, options.timeFrequencies + 1, torch::kFloat32) * M_PI);
  } else if (options.timeEmbedding != "concat") {
    throw ConfigError("model.time_embedding", "model.time_embedding: unknown embedding '" +
                                                  options.timeEmbedding +
                                                  "' (expected fourier or concat)");
  }

  int64_t in = options.dataDim + embedDim;
  for (int64_t i = 0; i < options.depth; ++i) {
    hidden_.push_back(
        register_module("hidden" + std::to_string(i), torch::nn::Linear(in, options.width)));
    in = options.width;
  }
  head_ = register_module("head", torch::nn::Linear(in, options.dataDim));
}

torch::Tensor TimeMLPImpl::embedTime(const torch::Tensor& t, int64_t batch) const {
  torch::Tensor tc = t.reshape({-1, 1});
  if (tc.size(0) == 1 && batch != 1) tc = tc.expand({batch, 1});
  if (!frequencies_.defined()) return tc;
  const torch::Tensor phase = tc * frequencies_.to(tc.scalar_type());
  return torch::cat({tc, torch::sin(phase), torch::cos(phase)}, 1);
}

torch::Tensor TimeMLPImpl::activate(const torch::Tensor& h) const {
  switch (activation_) {
    case Activation::SiLU: return torch::silu(h);
    case Activation::ReLU: return torch::relu(h);
    case Activation::GELU: return torch::gelu(h);
    case Activation::Tanh: return torch::tanh(h);
    case Activation::Softplus: return torch::softplus(h);
  }
  return h;
}

torch::Tensor TimeMLPImpl::forward(const torch::Tensor& x, const torch::Tensor& t) {
  torch::Tensor h = torch::cat({x, embedTime(t.to(x.scalar_type()), x.size(0))}, 1);
  for (auto& layer : hidden_) h = activate(layer->forward(h));
  return head_->forward(h);
}

}  // namespace flowscope
