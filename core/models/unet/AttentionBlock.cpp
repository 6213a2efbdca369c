#include "core/models/unet/AttentionBlock.h"

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "core/models/unet/ResBlock.h"

namespace flowscope {

torch::Tensor qkvAttention(const torch::Tensor& qkv, int64_t heads, bool newOrder) {
  const int64_t b = qkv.size(0), width = qkv.size(1), length = qkv.size(2);
  if (width % (3 * heads) != 0)
    throw std::invalid_argument("qkvAttention: " + std::to_string(width) +
                                " qkv channels are not divisible by 3 * " + std::to_string(heads) +
                                " heads");
  const int64_t ch = width / (3 * heads);
  torch::Tensor q, k, v;
  if (newOrder) {
    const auto parts = qkv.chunk(3, 1);
    q = parts[0].reshape({b * heads, ch, length});
    k = parts[1].reshape({b * heads, ch, length});
    v = parts[2].reshape({b * heads, ch, length});
  } else {
    const auto parts = qkv.reshape({b * heads, 3 * ch, length}).split(ch, 1);
    q = parts[0];
    k = parts[1];
    v = parts[2];
  }
  const double scale = 1.0 / std::sqrt(std::sqrt(static_cast<double>(ch)));
  // weight[b, t, s] = sum_c q[b, c, t] k[b, c, s]   (einsum "bct,bcs->bts")
  torch::Tensor weight = torch::bmm((q * scale).transpose(1, 2), k * scale);
  // Softmax in float32 for half / bfloat16 (guided-diffusion's .float()); float64 stays float64.
  const bool reduced = weight.scalar_type() == torch::kHalf || weight.scalar_type() == torch::kBFloat16;
  weight = reduced ? torch::softmax(weight.to(torch::kFloat32), -1).to(weight.scalar_type())
                   : torch::softmax(weight, -1);
  // a[b, c, t] = sum_s weight[b, t, s] v[b, c, s]   (einsum "bts,bcs->bct")
  const torch::Tensor a = torch::bmm(v, weight.transpose(1, 2));
  return a.reshape({b, heads * ch, length});
}

AttentionBlockImpl::AttentionBlockImpl(const AttentionBlockOptions& options)
    : options_(options) {
  const auto& o = options_;
  if (o.numHeadChannels == -1) {
    heads_ = o.numHeads;
  } else {
    if (o.numHeadChannels < 1 || o.channels % o.numHeadChannels != 0)
      throw std::invalid_argument("AttentionBlock: " + std::to_string(o.channels) +
                                  " channels are not divisible by " +
                                  std::to_string(o.numHeadChannels) + " channels per head");
    heads_ = o.channels / o.numHeadChannels;
  }
  if (heads_ < 1 || o.channels % heads_ != 0)
    throw std::invalid_argument("AttentionBlock: " + std::to_string(o.channels) +
                                " channels are not divisible by " + std::to_string(heads_) +
                                " heads");
  using namespace torch::nn;
  norm = register_module("norm", GroupNorm(GroupNormOptions(o.groups, o.channels)));
  qkv = register_module("qkv", Conv1d(Conv1dOptions(o.channels, 3 * o.channels, 1)));
  projOut = register_module("proj_out", Conv1d(Conv1dOptions(o.channels, o.channels, 1)));
  zeroParameters(*projOut);
}

torch::Tensor AttentionBlockImpl::forward(const torch::Tensor& x) {
  if (x.dim() < 3 || x.size(1) != options_.channels)
    throw std::invalid_argument("AttentionBlock: expected [B, " +
                                std::to_string(options_.channels) + ", ...] input");
  const int64_t b = x.size(0), c = x.size(1);
  const torch::Tensor flat = x.reshape({b, c, -1});
  const torch::Tensor h =
      projOut->forward(qkvAttention(qkv->forward(groupNorm32(norm, flat)), heads_,
                                    options_.useNewAttentionOrder));
  return (flat + h).reshape(x.sizes());
}

}  // namespace flowscope
