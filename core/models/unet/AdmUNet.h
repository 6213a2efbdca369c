#pragma once
// The ADM U-Net (Dhariwal & Nichol 2021; openai/guided-diffusion's UNetModel) as the flow matching
// paper uses it for images (Table 3), as a VelocityNet: v_t(x) for x [B, C, H, W] and t in [0, 1].
//
//   emb    = TimestepEmbedding(t) (+ label embedding; row numClasses is the null class)
//   input  = conv3x3, then per level numResBlocks x [ResBlock (+ Attention)], and between levels a
//            Downsample (or ResBlock(down)); every block's output is kept as a skip
//   middle = ResBlock, Attention, ResBlock
//   output = per level, deepest first, (numResBlocks + 1) x [cat(h, skip) -> ResBlock
//            (+ Attention)], the last of each level but the top followed by Upsample (or
//            ResBlock(up))
//   out    = GroupNorm -> SiLU -> zero-initialised conv3x3 to C channels
// The layers that guided-diffusion zero-initialises (each ResBlock's last conv, each attention
// projection, the final conv) start at zero, so a fresh network is exactly the zero field.

#include <ATen/core/Generator.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

#include <string>
#include <variant>
#include <vector>

#include "core/models/VelocityNet.h"
#include "core/models/unet/AttentionBlock.h"
#include "core/models/unet/ResBlock.h"
#include "core/models/unet/Resample.h"
#include "core/models/unet/TimestepEmbedding.h"
#include "core/models/unet/UNetConfig.h"

namespace flowscope {

/// guided-diffusion's TimestepEmbedSequential: layers applied in order, ResBlocks with the
/// embedding. Registered as "0", "1", ... in the order appended.
class TimestepSequentialImpl : public torch::nn::Module {
 public:
  /// A conv, ResBlock, AttentionBlock, Upsample or Downsample, registered as "0", "1", ...
  template <typename Holder>
  void append(Holder layer) {
    layers_.emplace_back(Holder(register_module(std::to_string(layers_.size()), std::move(layer))));
  }

  torch::Tensor forward(torch::Tensor x, const torch::Tensor& emb);
  size_t size() const { return layers_.size(); }

 private:
  using Layer = std::variant<torch::nn::Conv2d, ResBlock, AttentionBlock, Upsample, Downsample>;
  std::vector<Layer> layers_;
};
TORCH_MODULE(TimestepSequential);

class AdmUNetImpl : public VelocityNetImpl {
 public:
  /// Validates `config` (UNetConfigError names the field) and builds the network.
  explicit AdmUNetImpl(const UNetConfig& config);

  /// x: [B, C, H, W] (or [B, C*H*W], returned in the same shape); t: [B, 1], [B] or one value, in
  /// [0, 1]. A class-conditional model is evaluated with the null class (unconditional).
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& t) override;
  /// labels: [B] integers in 0..numClasses, where numClasses is the null class (classifier-free
  /// guidance). Throws std::invalid_argument for labels on an unconditional model, a wrong shape
  /// or, for CPU labels, a value out of range (accelerator labels are not read back to the host,
  /// to keep the forward free of synchronisation).
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& t,
                        const torch::Tensor& labels) override;
  int64_t classes() const override { return config_.numClasses; }

  const UNetConfig& config() const { return config_; }
  bool classConditional() const { return config_.numClasses > 0; }
  int64_t nullClass() const { return config_.numClasses; }

  /// Redraws every parameter from `gen` (on the CPU, then copied, so identical on every device)
  /// as PyTorch initialises them: convs and linears U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for
  /// weight and bias, embeddings N(0, 1), GroupNorm weight 1 and bias 0; then zeroes the
  /// zero-initialised layers again.
  void resetParameters(at::Generator& gen);

  /// Sum of the parameters' element counts (equals config().parameterCount()).
  int64_t parameterCount() const;

  TimestepEmbedding timeEmbed{nullptr};
  torch::nn::Embedding labelEmbed{nullptr};  ///< numClasses + 1 rows; null when unconditional
  torch::nn::ModuleList inputBlocks{nullptr}, outputBlocks{nullptr};
  TimestepSequential middleBlock{nullptr};
  torch::nn::GroupNorm outNorm{nullptr};
  torch::nn::Conv2d outConv{nullptr};  ///< zero-initialised

 private:
  torch::Tensor run(const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& labels);

  UNetConfig config_;
  std::vector<TimestepSequential> input_, output_;  // typed views of inputBlocks / outputBlocks
};
TORCH_MODULE(AdmUNet);

}  // namespace flowscope
