#pragma once
// A small convolutional classifier that FlowScope trains on an image dataset itself, so sample
// quality can be measured offline: the Fréchet distance in its feature space ("classifier FD",
// core/metrics/FrechetDistance.h; comparable only between runs scored with the same classifier
// file, never FID) and how confidently it labels samples (the "recognizable" test of issue 11).
//
//   FeatureClassifier net(FeatureClassifierOptions{1, 28, 28, 10});
//   torch::Tensor logits = net->forward(images);   // images [B, C, H, W] in [-1, 1]
//   torch::Tensor f = net->features(images);       // [B, widths.back()]: global-average-pooled
//
// Stages of two 3x3 convolutions with GroupNorm and SiLU, 2x average pooling between stages,
// global average pooling, one linear layer to the logits.

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <vector>

namespace flowscope {

struct FeatureClassifierOptions {
  int64_t channels = 1;
  int64_t height = 28;
  int64_t width = 28;
  int64_t classes = 10;
  std::vector<int64_t> widths{32, 64, 128};  ///< channels per stage; the last is the feature size
};

class FeatureClassifierImpl : public torch::nn::Module {
 public:
  /// Throws InputError for non-positive sizes, fewer than 2 classes or no stages.
  explicit FeatureClassifierImpl(FeatureClassifierOptions options);
  /// Logits [B, classes].
  torch::Tensor forward(const torch::Tensor& images);
  /// The pooled features [B, widths.back()] that the Fréchet distance uses.
  torch::Tensor features(const torch::Tensor& images);
  /// The logits of features() output (forward = logitsOf(features(x))).
  torch::Tensor logitsOf(const torch::Tensor& features) { return head_(features); }
  const FeatureClassifierOptions& options() const { return options_; }

 private:
  FeatureClassifierOptions options_;
  torch::nn::Sequential body_{nullptr};
  torch::nn::Linear head_{nullptr};
};

TORCH_MODULE(FeatureClassifier);

}  // namespace flowscope
