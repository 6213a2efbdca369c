#include "core/models/unet/Resample.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

namespace flowscope {

namespace {

void checkChannels(const char* who, const torch::Tensor& x, int64_t channels) {
  if (x.dim() != 4 || x.size(1) != channels)
    throw std::invalid_argument(std::string(who) + ": expected [B, " + std::to_string(channels) +
                                ", H, W], got " + std::to_string(x.dim()) + "-D input with " +
                                std::to_string(x.dim() > 1 ? x.size(1) : 0) + " channels");
}

}  // namespace

torch::Tensor upsampleNearest2x(const torch::Tensor& x) {
  namespace F = torch::nn::functional;
  return F::interpolate(x, F::InterpolateFuncOptions()
                               .scale_factor(std::vector<double>{2.0, 2.0})
                               .mode(torch::kNearest));
}

torch::Tensor averagePool2x(const torch::Tensor& x) { return torch::avg_pool2d(x, {2, 2}, {2, 2}); }

UpsampleImpl::UpsampleImpl(int64_t channels, bool useConv, int64_t outChannels)
    : channels_(channels) {
  if (outChannels == 0) outChannels = channels;
  if (!useConv && outChannels != channels)
    throw std::invalid_argument("Upsample: changing the channel count needs the conv");
  if (useConv)
    conv = register_module(
        "conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, outChannels, 3).padding(1)));
}

torch::Tensor UpsampleImpl::forward(const torch::Tensor& x) {
  checkChannels("Upsample", x, channels_);
  torch::Tensor h = upsampleNearest2x(x);
  return conv ? conv->forward(h) : h;
}

DownsampleImpl::DownsampleImpl(int64_t channels, bool useConv, int64_t outChannels)
    : channels_(channels) {
  if (outChannels == 0) outChannels = channels;
  if (!useConv && outChannels != channels)
    throw std::invalid_argument("Downsample: changing the channel count needs the conv");
  if (useConv)
    op = register_module("op", torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, outChannels, 3)
                                                     .stride(2)
                                                     .padding(1)));
}

torch::Tensor DownsampleImpl::forward(const torch::Tensor& x) {
  checkChannels("Downsample", x, channels_);
  return op ? op->forward(x) : averagePool2x(x);
}

}  // namespace flowscope
