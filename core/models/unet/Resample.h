#pragma once
// The U-Net's resampling layers between levels (guided-diffusion's Upsample / Downsample, 2-D):
// Upsample doubles the side with nearest-neighbour interpolation, then an optional 3x3 conv;
// Downsample halves it with a 3x3 conv of stride 2, or a 2x2 average pool without the conv.

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

namespace flowscope {

/// Nearest-neighbour x2 and average-pool /2 of [B, C, H, W] (no parameters; also used inside
/// ResBlock's up/down variants).
torch::Tensor upsampleNearest2x(const torch::Tensor& x);
torch::Tensor averagePool2x(const torch::Tensor& x);

class UpsampleImpl : public torch::nn::Module {
 public:
  /// outChannels 0 = channels; a conv is required to change the channel count.
  UpsampleImpl(int64_t channels, bool useConv, int64_t outChannels = 0);
  torch::Tensor forward(const torch::Tensor& x);

  torch::nn::Conv2d conv{nullptr};  ///< 3x3, padding 1; null without useConv

 private:
  int64_t channels_;
};
TORCH_MODULE(Upsample);

class DownsampleImpl : public torch::nn::Module {
 public:
  DownsampleImpl(int64_t channels, bool useConv, int64_t outChannels = 0);
  torch::Tensor forward(const torch::Tensor& x);

  torch::nn::Conv2d op{nullptr};  ///< 3x3, stride 2, padding 1; null without useConv (avg pool)

 private:
  int64_t channels_;
};
TORCH_MODULE(Downsample);

}  // namespace flowscope
