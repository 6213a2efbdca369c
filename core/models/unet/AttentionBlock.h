#pragma once
// Self-attention over the spatial positions of a feature map (guided-diffusion's AttentionBlock):
//   qkv = conv1x1(GN(x)) over the H*W positions, multi-head softmax(q k^T) v with q and k each
//   scaled by 1/sqrt(sqrt(head channels)) and the softmax at least in float32, then a zero-initialised
//   1x1 output projection and a residual: x + proj_out(attention).
// Head layout of the 3C qkv channels: legacy (QKVAttentionLegacy, guided-diffusion's default)
// splits heads first, [head][q|k|v][ch]; the new order (QKVAttention) splits q, k, v first,
// [q|k|v][head][ch].

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

namespace flowscope {

struct AttentionBlockOptions {
  int64_t channels = 0;
  int64_t numHeads = 1;          ///< used when numHeadChannels == -1
  int64_t numHeadChannels = -1;  ///< heads = channels / numHeadChannels when set
  int64_t groups = 32;
  bool useNewAttentionOrder = false;
};

/// The attention of already-projected qkv [B, 3*C, T] with `heads` heads -> [B, C, T].
torch::Tensor qkvAttention(const torch::Tensor& qkv, int64_t heads, bool newOrder);

class AttentionBlockImpl : public torch::nn::Module {
 public:
  explicit AttentionBlockImpl(const AttentionBlockOptions& options);

  /// x [B, C, H, W] -> [B, C, H, W].
  torch::Tensor forward(const torch::Tensor& x);

  int64_t heads() const { return heads_; }
  const AttentionBlockOptions& options() const { return options_; }

  torch::nn::GroupNorm norm{nullptr};
  torch::nn::Conv1d qkv{nullptr};      ///< C -> 3C, kernel 1
  torch::nn::Conv1d projOut{nullptr};  ///< C -> C, kernel 1, zero-initialised

 private:
  AttentionBlockOptions options_;
  int64_t heads_;
};
TORCH_MODULE(AttentionBlock);

}  // namespace flowscope
