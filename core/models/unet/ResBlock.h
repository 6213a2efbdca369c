#pragma once
// The ADM U-Net's residual block (guided-diffusion's ResBlock, 2-D):
//   h = conv3x3(SiLU(GN(x)))                         (in_layers; with up/down, x and h are
//                                                      resampled after the SiLU, before the conv)
//   e = Linear(SiLU(emb))                            (emb_layers: 2*out channels with scale-shift)
//   scale-shift: h = GN(h) * (1 + scale) + shift, (scale, shift) = split(e)
//   otherwise:   h = GN(h + e)
//   h = conv3x3(Dropout(SiLU(h)))                    (out_layers; the conv starts at zero)
//   return skip(x) + h                               (skip: identity, or 1x1 conv when the
//                                                      channel count changes)
// GroupNorm runs in float32 for half / bfloat16 input (guided-diffusion's GroupNorm32).

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

namespace flowscope {

/// GroupNorm computed in float32 for half and bfloat16 input, the result cast back to x's dtype.
torch::Tensor groupNorm32(torch::nn::GroupNorm& norm, const torch::Tensor& x);

/// Sets every parameter of `module` to zero (guided-diffusion's zero_module).
void zeroParameters(torch::nn::Module& module);

struct ResBlockOptions {
  int64_t channels = 0;
  int64_t embChannels = 0;
  int64_t outChannels = 0;  ///< 0 = channels
  double dropout = 0.0;
  bool useScaleShiftNorm = true;
  int64_t groups = 32;
  enum class Resample { None, Up, Down } resample = Resample::None;  ///< nearest x2 / avg pool /2
};

class ResBlockImpl : public torch::nn::Module {
 public:
  explicit ResBlockImpl(const ResBlockOptions& options);

  /// x [B, channels, H, W], emb [B, embChannels] -> [B, outChannels, H', W'] (H' = 2H up, H/2 down).
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& emb);

  const ResBlockOptions& options() const { return options_; }

  torch::nn::GroupNorm inNorm{nullptr};
  torch::nn::Conv2d inConv{nullptr};
  torch::nn::Linear embProj{nullptr};
  torch::nn::GroupNorm outNorm{nullptr};
  torch::nn::Dropout dropout{nullptr};
  torch::nn::Conv2d outConv{nullptr};  ///< zero-initialised
  torch::nn::Conv2d skip{nullptr};     ///< 1x1; null when channels == outChannels

 private:
  ResBlockOptions options_;
};
TORCH_MODULE(ResBlock);

}  // namespace flowscope
