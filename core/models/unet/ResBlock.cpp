#include "core/models/unet/ResBlock.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

#include "core/models/unet/Resample.h"

namespace flowscope {

torch::Tensor groupNorm32(torch::nn::GroupNorm& norm, const torch::Tensor& x) {
  // Only reduced precision is widened (float64 models stay float64, as the weights are).
  if (x.scalar_type() != torch::kHalf && x.scalar_type() != torch::kBFloat16)
    return norm->forward(x);
  return norm->forward(x.to(torch::kFloat32)).to(x.scalar_type());
}

void zeroParameters(torch::nn::Module& module) {
  torch::NoGradGuard noGrad;
  for (auto& p : module.parameters()) p.zero_();
}

ResBlockImpl::ResBlockImpl(const ResBlockOptions& options) : options_(options) {
  auto& o = options_;
  if (o.outChannels == 0) o.outChannels = o.channels;
  if (o.channels < 1 || o.embChannels < 1 || o.outChannels < 1)
    throw std::invalid_argument("ResBlock: channels, embChannels and outChannels must be >= 1");
  if (o.channels % o.groups != 0 || o.outChannels % o.groups != 0)
    throw std::invalid_argument("ResBlock: " + std::to_string(o.channels) + " -> " +
                                std::to_string(o.outChannels) +
                                " channels are not divisible by " + std::to_string(o.groups) +
                                " GroupNorm groups");
  using namespace torch::nn;
  inNorm = register_module("in_norm", GroupNorm(GroupNormOptions(o.groups, o.channels)));
  inConv = register_module("in_conv",
                           Conv2d(Conv2dOptions(o.channels, o.outChannels, 3).padding(1)));
  embProj = register_module(
      "emb_proj", Linear(o.embChannels, o.useScaleShiftNorm ? 2 * o.outChannels : o.outChannels));
  outNorm = register_module("out_norm", GroupNorm(GroupNormOptions(o.groups, o.outChannels)));
  dropout = register_module("dropout", Dropout(DropoutOptions(o.dropout)));
  outConv = register_module("out_conv",
                            Conv2d(Conv2dOptions(o.outChannels, o.outChannels, 3).padding(1)));
  zeroParameters(*outConv);
  if (o.outChannels != o.channels)
    skip = register_module("skip_connection", Conv2d(Conv2dOptions(o.channels, o.outChannels, 1)));
}

torch::Tensor ResBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& emb) {
  const auto& o = options_;
  if (x.dim() != 4 || x.size(1) != o.channels)
    throw std::invalid_argument("ResBlock: expected [B, " + std::to_string(o.channels) +
                                ", H, W] input");
  torch::Tensor h = torch::silu(groupNorm32(inNorm, x));
  torch::Tensor xs = x;
  if (o.resample == ResBlockOptions::Resample::Up) {
    h = upsampleNearest2x(h);
    xs = upsampleNearest2x(x);
  } else if (o.resample == ResBlockOptions::Resample::Down) {
    h = averagePool2x(h);
    xs = averagePool2x(x);
  }
  h = inConv->forward(h);

  const torch::Tensor e = embProj->forward(torch::silu(emb)).to(h.scalar_type()).unsqueeze(-1).unsqueeze(-1);
  if (o.useScaleShiftNorm) {
    const auto parts = e.chunk(2, 1);  // scale, shift: [B, out, 1, 1] each
    h = groupNorm32(outNorm, h) * (1 + parts[0]) + parts[1];
  } else {
    h = groupNorm32(outNorm, h + e);
  }
  h = outConv->forward(dropout->forward(torch::silu(h)));
  return (skip ? skip->forward(xs) : xs) + h;
}

}  // namespace flowscope
