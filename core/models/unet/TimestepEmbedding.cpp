#include "core/models/unet/TimestepEmbedding.h"

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>

namespace flowscope {

torch::Tensor sinusoidalEmbedding(const torch::Tensor& timesteps, int64_t dim, double maxPeriod) {
  if (timesteps.dim() != 1)
    throw std::invalid_argument("sinusoidalEmbedding: expected timesteps of shape [B]");
  if (dim < 1) throw std::invalid_argument("sinusoidalEmbedding: expected dim >= 1");
  const int64_t half = dim / 2;
  const auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(timesteps.device());
  const torch::Tensor freqs =
      torch::exp(-std::log(maxPeriod) * torch::arange(0, half, opts) / static_cast<double>(half));
  const torch::Tensor args = timesteps.to(torch::kFloat32).unsqueeze(1) * freqs.unsqueeze(0);
  torch::Tensor embedding = torch::cat({torch::cos(args), torch::sin(args)}, 1);
  if (dim % 2) embedding = torch::cat({embedding, torch::zeros({timesteps.size(0), 1}, opts)}, 1);
  return embedding;
}

TimestepEmbeddingImpl::TimestepEmbeddingImpl(int64_t channels, int64_t embedDim, double timeScale,
                                             double maxPeriod)
    : channels_(channels), timeScale_(timeScale), maxPeriod_(maxPeriod) {
  linear1 = register_module("linear1", torch::nn::Linear(channels, embedDim));
  linear2 = register_module("linear2", torch::nn::Linear(embedDim, embedDim));
}

torch::Tensor TimestepEmbeddingImpl::forward(const torch::Tensor& t, int64_t batch) {
  torch::Tensor s = t.reshape({-1});
  if (s.size(0) == 1 && batch != 1) s = s.expand({batch});
  if (s.size(0) != batch)
    throw std::invalid_argument("TimestepEmbedding: t has " + std::to_string(s.size(0)) +
                                " values for a batch of " + std::to_string(batch) +
                                " (expected [B, 1], [B] or one value)");
  // Scaled in t's own precision, then the sinusoids in float32 (as guided-diffusion's .float()).
  torch::Tensor e = sinusoidalEmbedding(s * timeScale_, channels_, maxPeriod_);
  e = e.to(linear1->weight.device(), linear1->weight.scalar_type());
  return linear2->forward(torch::silu(linear1->forward(e)));
}

}  // namespace flowscope
