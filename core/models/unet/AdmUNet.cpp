#include "core/models/unet/AdmUNet.h"

#include <type_traits>
#include <variant>

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>
#include <string>

namespace flowscope {

// --- TimestepSequential -----------------------------------------------------------------------

torch::Tensor TimestepSequentialImpl::forward(torch::Tensor x, const torch::Tensor& emb) {
  for (auto& layer : layers_) {
    // Only ResBlocks take the time embedding (guided-diffusion's TimestepEmbedSequential).
    x = std::visit(
        [&](auto& m) -> torch::Tensor {
          if constexpr (std::is_same_v<std::decay_t<decltype(m)>, ResBlock>) return m->forward(x, emb);
          else return m->forward(x);
        },
        layer);
  }
  return x;
}

// --- AdmUNet ----------------------------------------------------------------------------------

namespace {

ResBlock makeResBlock(const UNetConfig& c, int64_t in, int64_t out,
                      ResBlockOptions::Resample resample = ResBlockOptions::Resample::None) {
  ResBlockOptions o;
  o.channels = in;
  o.embChannels = c.timeEmbedDim();
  o.outChannels = out;
  o.dropout = c.dropout;
  o.useScaleShiftNorm = c.useScaleShiftNorm;
  o.groups = c.groups;
  o.resample = resample;
  return ResBlock(o);
}

AttentionBlock makeAttention(const UNetConfig& c, int64_t channels) {
  AttentionBlockOptions o;
  o.channels = channels;
  o.numHeads = c.numHeads;
  o.numHeadChannels = c.numHeadChannels;
  o.groups = c.groups;
  o.useNewAttentionOrder = c.useNewAttentionOrder;
  return AttentionBlock(o);
}

const UNetConfig& validated(const UNetConfig& c) {
  c.validate();
  return c;
}

}  // namespace

AdmUNetImpl::AdmUNetImpl(const UNetConfig& config) : config_(validated(config)) {
  const UNetConfig& c = config_;
  using namespace torch::nn;
  timeEmbed = register_module(
      "time_embed", TimestepEmbedding(c.modelChannels, c.timeEmbedDim(), c.timeScale, c.maxPeriod));
  if (c.numClasses > 0)
    labelEmbed = register_module("label_emb", Embedding(c.numClasses + 1, c.timeEmbedDim()));

  inputBlocks = register_module("input_blocks", ModuleList());
  auto addInput = [&](TimestepSequential block) {
    inputBlocks->push_back(block);
    input_.push_back(std::move(block));
  };

  int64_t ch = c.modelChannels * c.channelMult[0];
  const int64_t topChannels = ch;
  {
    TimestepSequential first;
    first->append(Conv2d(Conv2dOptions(c.inChannels, ch, 3).padding(1)));
    addInput(first);
  }
  std::vector<int64_t> skips{ch};
  for (int64_t level = 0; level < c.levels(); ++level) {
    const int64_t out = c.modelChannels * c.channelMult[static_cast<size_t>(level)];
    for (int64_t i = 0; i < c.numResBlocks; ++i) {
      TimestepSequential block;
      block->append(makeResBlock(c, ch, out));
      ch = out;
      if (c.attentionAt(level)) block->append(makeAttention(c, ch));
      addInput(block);
      skips.push_back(ch);
    }
    if (level != c.levels() - 1) {
      TimestepSequential block;
      if (c.resblockUpdown) block->append(makeResBlock(c, ch, ch, ResBlockOptions::Resample::Down));
      else block->append(Downsample(ch, c.convResample));
      addInput(block);
      skips.push_back(ch);
    }
  }

  middleBlock = register_module("middle_block", TimestepSequential());
  middleBlock->append(makeResBlock(c, ch, ch));
  middleBlock->append(makeAttention(c, ch));
  middleBlock->append(makeResBlock(c, ch, ch));

  outputBlocks = register_module("output_blocks", ModuleList());
  for (int64_t level = c.levels() - 1; level >= 0; --level) {
    const int64_t out = c.modelChannels * c.channelMult[static_cast<size_t>(level)];
    for (int64_t i = 0; i <= c.numResBlocks; ++i) {
      TimestepSequential block;
      block->append(makeResBlock(c, ch + skips.back(), out));
      skips.pop_back();
      ch = out;
      if (c.attentionAt(level)) block->append(makeAttention(c, ch));
      if (level > 0 && i == c.numResBlocks) {
        if (c.resblockUpdown) block->append(makeResBlock(c, ch, ch, ResBlockOptions::Resample::Up));
        else block->append(Upsample(ch, c.convResample));
      }
      outputBlocks->push_back(block);
      output_.push_back(std::move(block));
    }
  }

  outNorm = register_module("out_norm", GroupNorm(GroupNormOptions(c.groups, ch)));
  outConv = register_module("out_conv",
                            Conv2d(Conv2dOptions(topChannels, c.inChannels, 3).padding(1)));
  zeroParameters(*outConv);
}

torch::Tensor AdmUNetImpl::forward(const torch::Tensor& x, const torch::Tensor& t) {
  return run(x, t, torch::Tensor());
}

torch::Tensor AdmUNetImpl::forward(const torch::Tensor& x, const torch::Tensor& t,
                                   const torch::Tensor& labels) {
  if (labels.defined() && !classConditional())
    throw std::invalid_argument("AdmUNet: labels given to an unconditional model (numClasses 0)");
  return run(x, t, labels);
}

torch::Tensor AdmUNetImpl::run(const torch::Tensor& xIn, const torch::Tensor& t,
                               const torch::Tensor& labelsIn) {
  const UNetConfig& c = config_;
  const int64_t side = c.imageSize;
  torch::Tensor x = xIn;
  const bool flat = xIn.dim() == 2 && xIn.size(1) == c.inChannels * side * side;
  if (flat) x = xIn.reshape({xIn.size(0), c.inChannels, side, side});
  if (x.dim() != 4 || x.size(1) != c.inChannels || x.size(2) != side || x.size(3) != side)
    throw std::invalid_argument("AdmUNet: expected x of shape [B, " + std::to_string(c.inChannels) +
                                ", " + std::to_string(side) + ", " + std::to_string(side) +
                                "] (or flattened), got " + std::to_string(xIn.dim()) + "-D " +
                                c10::str(xIn.sizes()));
  const int64_t batch = x.size(0);

  torch::Tensor emb = timeEmbed->forward(t.to(x.device()), batch);
  if (classConditional()) {
    torch::Tensor labels = labelsIn;
    if (!labels.defined()) {
      labels = torch::full({batch}, c.numClasses, torch::dtype(torch::kLong).device(x.device()));
    } else {
      if (labels.dim() != 1 || labels.size(0) != batch)
        throw std::invalid_argument("AdmUNet: expected labels of shape [" + std::to_string(batch) +
                                    "], got " + c10::str(labels.sizes()));
      if (!at::isIntegralType(labels.scalar_type(), /*includeBool=*/false))
        throw std::invalid_argument("AdmUNet: expected integer labels");
      if (labels.is_cpu() && batch > 0) {
        const int64_t lo = labels.min().item<int64_t>(), hi = labels.max().item<int64_t>();
        if (lo < 0 || hi > c.numClasses)
          throw std::invalid_argument(
              "AdmUNet: label " + std::to_string(lo < 0 ? lo : hi) + " out of range (expected 0.." +
              std::to_string(c.numClasses - 1) + ", or " + std::to_string(c.numClasses) +
              " for the null class)");
      }
      labels = labels.to(x.device(), torch::kLong);
    }
    emb = emb + labelEmbed->forward(labels);
  }

  std::vector<torch::Tensor> hs;
  hs.reserve(input_.size());
  torch::Tensor h = x;
  for (auto& block : input_) {
    h = block->forward(h, emb);
    hs.push_back(h);
  }
  h = middleBlock->forward(h, emb);
  for (auto& block : output_) {
    h = torch::cat({h, hs.back()}, 1);
    hs.pop_back();
    h = block->forward(h, emb);
  }
  h = outConv->forward(torch::silu(groupNorm32(outNorm, h)));
  return flat ? h.reshape(xIn.sizes()) : h;
}

void AdmUNetImpl::resetParameters(at::Generator& gen) {
  torch::NoGradGuard noGrad;
  auto uniform = [&](torch::Tensor& p, double bound) {
    p.copy_(torch::empty(p.sizes()).uniform_(-bound, bound, gen));
  };
  auto fanInUniform = [&](torch::Tensor& weight, torch::Tensor& bias) {
    const double fanIn = static_cast<double>(weight.numel() / weight.size(0));
    const double bound = 1.0 / std::sqrt(fanIn);
    uniform(weight, bound);
    if (bias.defined()) uniform(bias, bound);
  };
  for (auto& m : modules(/*include_self=*/true)) {
    if (auto* conv = dynamic_cast<torch::nn::Conv2dImpl*>(m.get())) {
      fanInUniform(conv->weight, conv->bias);
    } else if (auto* conv1 = dynamic_cast<torch::nn::Conv1dImpl*>(m.get())) {
      fanInUniform(conv1->weight, conv1->bias);
    } else if (auto* linear = dynamic_cast<torch::nn::LinearImpl*>(m.get())) {
      fanInUniform(linear->weight, linear->bias);
    } else if (auto* embedding = dynamic_cast<torch::nn::EmbeddingImpl*>(m.get())) {
      embedding->weight.copy_(torch::empty(embedding->weight.sizes()).normal_(0.0, 1.0, gen));
    } else if (auto* norm = dynamic_cast<torch::nn::GroupNormImpl*>(m.get())) {
      norm->weight.fill_(1.0);
      norm->bias.zero_();
    }
  }
  for (auto& m : modules(/*include_self=*/true)) {
    if (auto* res = dynamic_cast<ResBlockImpl*>(m.get())) zeroParameters(*res->outConv);
    else if (auto* attention = dynamic_cast<AttentionBlockImpl*>(m.get()))
      zeroParameters(*attention->projOut);
  }
  zeroParameters(*outConv);
}

int64_t AdmUNetImpl::parameterCount() const {
  int64_t n = 0;
  for (const auto& p : parameters()) n += p.numel();
  return n;
}

}  // namespace flowscope
