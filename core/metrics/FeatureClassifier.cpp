#include "core/metrics/FeatureClassifier.h"

#include <torch/torch.h>

#include <algorithm>
#include <string>

#include "core/util/Error.h"

namespace flowscope {
namespace {

// 3x3 convolution, GroupNorm, SiLU, appended to `seq` (Sequential cannot hold a Sequential).
void appendConvUnit(torch::nn::Sequential& seq, int64_t in, int64_t out) {
  seq->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1)));
  seq->push_back(torch::nn::GroupNorm(torch::nn::GroupNormOptions(std::min<int64_t>(8, out), out)));
  seq->push_back(torch::nn::SiLU());
}

}  // namespace

FeatureClassifierImpl::FeatureClassifierImpl(FeatureClassifierOptions o) : options_(std::move(o)) {
  if (options_.channels < 1 || options_.height < 1 || options_.width < 1)
    throw InputError("feature classifier: image shape " + std::to_string(options_.channels) + "x" +
                     std::to_string(options_.height) + "x" + std::to_string(options_.width) +
                     " (expected positive sizes)");
  if (options_.classes < 2)
    throw InputError("feature classifier: " + std::to_string(options_.classes) +
                     " classes (expected a labelled dataset with at least 2)");
  if (options_.widths.empty()) throw InputError("feature classifier: no stages (expected at least one width)");
  body_ = torch::nn::Sequential();
  int64_t in = options_.channels;
  for (size_t i = 0; i < options_.widths.size(); ++i) {
    const int64_t w = options_.widths[i];
    if (w < 1) throw InputError("feature classifier: stage width " + std::to_string(w) + " (expected >= 1)");
    if (i > 0) body_->push_back(torch::nn::AvgPool2d(torch::nn::AvgPool2dOptions(2).ceil_mode(true)));
    appendConvUnit(body_, in, w);
    appendConvUnit(body_, w, w);
    in = w;
  }
  body_->push_back(torch::nn::AdaptiveAvgPool2d(torch::nn::AdaptiveAvgPool2dOptions(1)));
  body_->push_back(torch::nn::Flatten());
  register_module("body", body_);
  head_ = register_module("head", torch::nn::Linear(in, options_.classes));
}

torch::Tensor FeatureClassifierImpl::features(const torch::Tensor& images) {
  if (images.dim() != 4 || images.size(1) != options_.channels || images.size(2) != options_.height ||
      images.size(3) != options_.width)
    throw InputError("feature classifier: images of shape " + c10::str(images.sizes()) + " (expected [B, " +
                     std::to_string(options_.channels) + ", " + std::to_string(options_.height) + ", " +
                     std::to_string(options_.width) + "])");
  return body_->forward(images);
}

torch::Tensor FeatureClassifierImpl::forward(const torch::Tensor& images) { return head_(features(images)); }

}  // namespace flowscope
