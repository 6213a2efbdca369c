#pragma once
// The time conditioning of the ADM U-Net: guided-diffusion's sinusoidal timestep_embedding, then
// Linear -> SiLU -> Linear to the embedding width (4 * model channels).
//
// Flow matching's t is in [0, 1]; it is multiplied by `timeScale` (1000 by default, the range of
// guided-diffusion's discrete timesteps, as FM/guided-diffusion ports do) before the sinusoids, so
// that with max_period 10000 the frequencies span the same phases as in the diffusion code.

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace flowscope {

/// guided-diffusion's timestep_embedding: for timesteps s [B] and half = dim / 2,
/// [cos(s f_0), ..., cos(s f_{half-1}), sin(s f_0), ..., sin(s f_{half-1})] with
/// f_k = exp(-ln(maxPeriod) k / half), and a zero column appended when dim is odd. Computed in
/// float32; returns [B, dim].
torch::Tensor sinusoidalEmbedding(const torch::Tensor& timesteps, int64_t dim,
                                  double maxPeriod = 10000.0);

class TimestepEmbeddingImpl : public torch::nn::Module {
 public:
  /// Sinusoids of width `channels`, then Linear(channels, embedDim) -> SiLU -> Linear(embedDim,
  /// embedDim).
  TimestepEmbeddingImpl(int64_t channels, int64_t embedDim, double timeScale = 1000.0,
                        double maxPeriod = 10000.0);

  /// t: [B, 1], [B] or one value (broadcast to `batch`), in [0, 1]. Returns [B, embedDim] in
  /// float32 (the linear layers' dtype).
  torch::Tensor forward(const torch::Tensor& t, int64_t batch);

  int64_t channels() const { return channels_; }
  double timeScale() const { return timeScale_; }

  torch::nn::Linear linear1{nullptr}, linear2{nullptr};

 private:
  int64_t channels_;
  double timeScale_;
  double maxPeriod_;
};
TORCH_MODULE(TimestepEmbedding);

}  // namespace flowscope
