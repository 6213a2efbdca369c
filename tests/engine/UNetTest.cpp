// The ADM U-Net (core/models/unet): config validation, shapes of every preset, parameter counts
// against guided-diffusion's layout, the zero field at init, ResBlock's scale-shift conditioning
// and the sinusoidal embedding against hand computations, attention against a naive loop and
// under pixel permutations, class conditioning with the null class, gradients to every parameter.

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "core/models/unet/AdmUNet.h"
#include "core/models/unet/AttentionBlock.h"
#include "core/models/unet/ResBlock.h"
#include "core/models/unet/Resample.h"
#include "core/models/unet/TimestepEmbedding.h"
#include "core/models/unet/UNetConfig.h"

using namespace flowscope;

namespace {

// A small model with every kind of block: attention at two levels, the middle, 4 groups.
UNetConfig tinyConfig() {
  UNetConfig c;
  c.inChannels = 2;
  c.imageSize = 8;
  c.modelChannels = 8;
  c.numResBlocks = 1;
  c.channelMult = {1, 2, 2};
  c.attentionResolutions = {4, 2};
  c.numHeadChannels = 8;
  c.groups = 4;
  return c;
}

// The preset with its width cut to 32 channels (same levels, attention, resampling): cheap enough
// to run on a CPU in a test.
UNetConfig narrowed(UNetConfig c) {
  c.modelChannels = 32;
  c.numHeadChannels = 32;
  return c;
}

// Gives every all-zero parameter (the zero-initialised convs, GroupNorm biases) random values, so
// that every path through the network carries signal.
void perturbZeroParameters(torch::nn::Module& m, uint64_t seed) {
  torch::NoGradGuard noGrad;
  auto gen = at::detail::createCPUGenerator(seed);
  for (auto& p : m.parameters())
    if (p.abs().max().item<double>() == 0.0)
      p.copy_(torch::empty(p.sizes()).normal_(0.0, 0.1, gen));
}

torch::Tensor randn(at::IntArrayRef shape, uint64_t seed) {
  auto gen = at::detail::createCPUGenerator(seed);
  return torch::empty(shape).normal_(0.0, 1.0, gen);
}

torch::Tensor uniformT(int64_t batch, uint64_t seed) {
  auto gen = at::detail::createCPUGenerator(seed);
  return torch::empty({batch, 1}).uniform_(0.0, 1.0, gen);
}

void expectRejected(const std::function<void(UNetConfig&)>& edit, const std::string& field,
                    UNetConfig base = UNetConfig::fashionMnist28()) {
  edit(base);
  try {
    base.validate();
    ADD_FAILURE() << "validate() accepted a bad " << field;
  } catch (const UNetConfigError& e) {
    EXPECT_EQ(e.field(), field) << e.what();
    EXPECT_NE(std::string(e.what()).find("UNetConfig." + field + ":"), std::string::npos)
        << e.what();
  }
  // The module refuses the same config, as a std::invalid_argument.
  EXPECT_THROW(AdmUNet{base}, std::invalid_argument) << field;
}

}  // namespace

// --- config -----------------------------------------------------------------------------------

TEST(UNetConfig, PresetsValidateAndAreNamed) {
  for (const auto& name : UNetConfig::presetNames()) {
    const UNetConfig c = UNetConfig::preset(name);
    EXPECT_NO_THROW(c.validate()) << name;
    EXPECT_EQ(c.numClasses, 0) << name;
    EXPECT_FALSE(c.learnSigma) << name;
    EXPECT_EQ(c.dropout, 0.0) << name;
  }
  EXPECT_THROW(UNetConfig::preset("cifar100"), std::invalid_argument);

  // Table 3 of the flow matching paper.
  const UNetConfig cifar = UNetConfig::cifar10();
  EXPECT_EQ(cifar.modelChannels, 256);
  EXPECT_EQ(cifar.numResBlocks, 2);
  EXPECT_EQ(cifar.channelMult, (std::vector<int64_t>{1, 2, 2, 2}));
  EXPECT_EQ(cifar.attentionResolutions, (std::vector<int64_t>{16}));
  EXPECT_EQ(cifar.numHeadChannels, 64);
  EXPECT_EQ(cifar.headsFor(256), 4);  // 4 heads of 64 channels where attention is (16 px)
  EXPECT_EQ(UNetConfig::imagenet32().attentionResolutions, (std::vector<int64_t>{16, 8}));
  EXPECT_EQ(UNetConfig::imagenet64().channelMult, (std::vector<int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(UNetConfig::imagenet64().modelChannels, 192);
  EXPECT_EQ(UNetConfig::imagenet128().channelMult, (std::vector<int64_t>{1, 1, 2, 3, 4}));
  EXPECT_EQ(UNetConfig::imagenet128().attentionResolutions, (std::vector<int64_t>{32, 16, 8}));

  const UNetConfig fm = UNetConfig::fashionMnist28();
  EXPECT_EQ(fm.inChannels, 1);
  EXPECT_EQ(fm.imageSize, 28);
  EXPECT_EQ(fm.levels(), 3);
  EXPECT_EQ(fm.resolutionAt(2), 7);
  EXPECT_TRUE(fm.attentionAt(2));
  EXPECT_FALSE(fm.attentionAt(0));
}

TEST(UNetConfig, ValidateRejectsBadConfigsNamingTheField) {
  expectRejected([](UNetConfig& c) { c.inChannels = 0; }, "inChannels");
  expectRejected([](UNetConfig& c) { c.imageSize = 0; }, "imageSize");
  expectRejected([](UNetConfig& c) { c.modelChannels = 0; }, "modelChannels");
  expectRejected([](UNetConfig& c) { c.numResBlocks = 0; }, "numResBlocks");
  expectRejected([](UNetConfig& c) { c.channelMult.clear(); }, "channelMult");
  expectRejected([](UNetConfig& c) { c.channelMult = {1, 0, 2}; }, "channelMult");
  // 28 is not divisible by 2^3: a fourth level would not come back to 28 px.
  expectRejected([](UNetConfig& c) { c.channelMult = {1, 2, 2, 2}; }, "imageSize");
  // 32 channels at level 0 in 12 groups.
  expectRejected([](UNetConfig& c) { c.groups = 12; }, "groups");
  expectRejected([](UNetConfig& c) { c.groups = 0; }, "groups");
  // A width that only the second level's channels divide: 20 * 1 is not a multiple of 8.
  expectRejected([](UNetConfig& c) { c.modelChannels = 20; }, "groups");
  // Pixels, not downsample factors: the levels of 28 px are 28, 14, 7.
  expectRejected([](UNetConfig& c) { c.attentionResolutions = {4}; }, "attentionResolutions");
  // flow_matching-style downsample factor 2 on CIFAR-10 (meaning 16 px) is not a resolution here.
  expectRejected([](UNetConfig& c) { c.attentionResolutions = {2}; }, "attentionResolutions",
                 narrowed(UNetConfig::cifar10()));
  expectRejected([](UNetConfig& c) { c.numHeadChannels = 0; }, "numHeadChannels");
  expectRejected([](UNetConfig& c) { c.numHeadChannels = 48; }, "numHeadChannels");
  expectRejected([](UNetConfig& c) {
    c.numHeadChannels = -1;
    c.numHeads = 3;  // 64 channels at 7 px (and the middle)
  }, "numHeads");
  expectRejected([](UNetConfig& c) {
    c.numHeadChannels = -1;
    c.numHeads = 0;
  }, "numHeads");
  expectRejected([](UNetConfig& c) { c.dropout = 1.0; }, "dropout");
  expectRejected([](UNetConfig& c) { c.dropout = -0.1; }, "dropout");
  expectRejected([](UNetConfig& c) { c.numClasses = -1; }, "numClasses");
  expectRejected([](UNetConfig& c) { c.learnSigma = true; }, "learnSigma");
  expectRejected([](UNetConfig& c) { c.timeScale = 0.0; }, "timeScale");
  expectRejected([](UNetConfig& c) { c.timeScale = std::nan(""); }, "timeScale");
  expectRejected([](UNetConfig& c) { c.maxPeriod = 0.5; }, "maxPeriod");

  // A ResBlock's own check: 6 channels in 4 groups.
  ResBlockOptions o;
  o.channels = 6;
  o.embChannels = 4;
  o.groups = 4;
  EXPECT_THROW(ResBlock{o}, std::invalid_argument);
}

// --- shapes and parameter counts --------------------------------------------------------------

TEST(UNetShapes, EveryPresetKeepsTheInputShape) {
  torch::NoGradGuard noGrad;
  // The small preset as it is, batch 3, t as [B, 1].
  {
    const UNetConfig c = UNetConfig::fashionMnist28();
    AdmUNet net(c);
    const torch::Tensor x = randn({3, 1, 28, 28}, 1);
    EXPECT_EQ(net->forward(x, uniformT(3, 2)).sizes(), x.sizes());
  }
  // The paper's presets at their own resolution and levels, narrowed to 32 channels.
  for (const auto& name : {"cifar10", "imagenet32", "imagenet64", "imagenet128"}) {
    const UNetConfig c = narrowed(UNetConfig::preset(name));
    AdmUNet net(c);
    perturbZeroParameters(*net, 3);
    const torch::Tensor x = randn({1, 3, c.imageSize, c.imageSize}, 4);
    const torch::Tensor y = net->forward(x, torch::full({1}, 0.5));
    EXPECT_EQ(y.sizes(), x.sizes()) << name;
    EXPECT_TRUE(torch::isfinite(y).all().item<bool>()) << name;
  }
}

TEST(UNetShapes, Cifar10AtFullSizeKeepsTheShapeAndHasGuidedDiffusionsCount) {
  torch::NoGradGuard noGrad;
  const UNetConfig c = UNetConfig::cifar10();
  AdmUNet net(c);
  // guided-diffusion's UNetModel(image_size 32, in 3, model_channels 256, out 3, num_res_blocks 2,
  // attention_resolutions (32 // 16,) = (2,), channel_mult (1, 2, 2, 2), num_head_channels 64,
  // use_scale_shift_norm True, resblock_updown False, conv_resample True), counted in Python
  // with torch 1.13: 153,094,915 (the 153.1 M of the FM CIFAR-10 model).
  EXPECT_EQ(net->parameterCount(), 153094915);
  EXPECT_EQ(c.parameterCount(), 153094915);
  const torch::Tensor x = randn({1, 3, 32, 32}, 5);
  const torch::Tensor y = net->forward(x, torch::full({1, 1}, 0.3));
  EXPECT_EQ(y.sizes(), x.sizes());
}

TEST(UNetParameters, PresetCountsMatchGuidedDiffusionsLayout) {
  // Counted from guided-diffusion's UNetModel layout in Python (torch 1.13), with the same
  // settings (resblock_updown True for the ImageNet presets, as ADM).
  EXPECT_EQ(UNetConfig::cifar10().parameterCount(), 153094915);
  EXPECT_EQ(UNetConfig::imagenet32().parameterCount(), 228149507);
  EXPECT_EQ(UNetConfig::imagenet64().parameterCount(), 295131267);
  EXPECT_EQ(UNetConfig::imagenet128().parameterCount(), 542804483);
  EXPECT_EQ(UNetConfig::fashionMnist28().parameterCount(), 1191233);
  UNetConfig cifarUpdown = UNetConfig::cifar10();
  cifarUpdown.resblockUpdown = true;
  EXPECT_EQ(cifarUpdown.parameterCount(), 171268099);
  UNetConfig conditional = UNetConfig::cifar10();
  conditional.numClasses = 10;  // 11 rows of 1024
  EXPECT_EQ(conditional.parameterCount(), 153106179);
}

TEST(UNetParameters, CountWithoutBuildingEqualsTheBuiltModule) {
  std::vector<UNetConfig> configs;
  configs.push_back(UNetConfig::fashionMnist28());
  for (const auto& name : {"cifar10", "imagenet32", "imagenet64", "imagenet128"})
    configs.push_back(narrowed(UNetConfig::preset(name)));
  UNetConfig c = tinyConfig();
  configs.push_back(c);
  c.useScaleShiftNorm = false;
  configs.push_back(c);
  c.resblockUpdown = true;
  configs.push_back(c);
  c.resblockUpdown = false;
  c.convResample = false;
  configs.push_back(c);
  c.numClasses = 5;
  c.numResBlocks = 2;
  configs.push_back(c);
  UNetConfig wide = UNetConfig::imagenet32();  // full size: 228 M parameters built once
  configs.push_back(wide);
  for (const auto& config : configs) {
    AdmUNet net(config);
    EXPECT_EQ(net->parameterCount(), config.parameterCount())
        << config.imageSize << " px, " << config.modelChannels << " channels";
  }
}

// --- initialization ---------------------------------------------------------------------------

TEST(UNetInit, OutputIsExactlyZeroAtInit) {
  torch::NoGradGuard noGrad;
  UNetConfig c = UNetConfig::fashionMnist28();
  AdmUNet net(c);
  const torch::Tensor x = randn({4, 1, 28, 28}, 7) * 3.0;
  EXPECT_TRUE(torch::equal(net->forward(x, uniformT(4, 8)), torch::zeros_like(x)));

  // Still zero after a seeded re-initialization, for a class-conditional model too.
  c.numClasses = 10;
  AdmUNet cond(c);
  auto gen = at::detail::createCPUGenerator(11);
  cond->resetParameters(gen);
  const torch::Tensor labels = torch::tensor({0, 3, 9, 10}, torch::kLong);
  EXPECT_TRUE(torch::equal(cond->forward(x, uniformT(4, 9), labels), torch::zeros_like(x)));

  // Perturbing only the final conv makes it nonzero (the zero comes from that layer).
  perturbZeroParameters(*cond->outConv, 12);
  EXPECT_GT(cond->forward(x, uniformT(4, 9), labels).abs().max().item<double>(), 0.0);
}

TEST(UNetInit, ResetParametersIsSeeded) {
  AdmUNet a(tinyConfig()), b(tinyConfig()), other(tinyConfig());
  auto g1 = at::detail::createCPUGenerator(42), g2 = at::detail::createCPUGenerator(42),
       g3 = at::detail::createCPUGenerator(43);
  a->resetParameters(g1);
  b->resetParameters(g2);
  other->resetParameters(g3);
  const auto pa = a->parameters(), pb = b->parameters(), po = other->parameters();
  ASSERT_EQ(pa.size(), pb.size());
  bool anyDifferent = false;
  for (size_t i = 0; i < pa.size(); ++i) {
    EXPECT_TRUE(torch::equal(pa[i], pb[i])) << i;
    anyDifferent = anyDifferent || !torch::equal(pa[i], po[i]);
  }
  EXPECT_TRUE(anyDifferent);
  // The first decoder ResBlock's 3x3 conv reads [h, skip] = 16 + 16 channels: U(-b, b) with
  // b = 1/sqrt(32 * 9); its 16 * 32 * 9 draws come close to the bound.
  const torch::Tensor w = a->outputBlocks->ptr<TimestepSequentialImpl>(0)
                              ->named_parameters()["0.in_conv.weight"];
  ASSERT_EQ(w.sizes(), (std::vector<int64_t>{16, 32, 3, 3}));
  const double bound = 1.0 / std::sqrt(32.0 * 9.0);
  EXPECT_LE(w.abs().max().item<double>(), bound + 1e-7);
  EXPECT_GE(w.abs().max().item<double>(), 0.99 * bound);
}

// --- ResBlock ---------------------------------------------------------------------------------

namespace {

// GroupNorm with one channel per group on a [1, C, H, W] tensor, by hand.
std::vector<std::vector<double>> normalizePerChannel(const std::vector<std::vector<double>>& x) {
  std::vector<std::vector<double>> out;
  for (const auto& ch : x) {
    double mean = 0.0, var = 0.0;
    for (double v : ch) mean += v;
    mean /= static_cast<double>(ch.size());
    for (double v : ch) var += (v - mean) * (v - mean);
    var /= static_cast<double>(ch.size());
    std::vector<double> n;
    for (double v : ch) n.push_back((v - mean) / std::sqrt(var + 1e-5));
    out.push_back(n);
  }
  return out;
}

double silu(double v) { return v / (1.0 + std::exp(-v)); }

}  // namespace

TEST(UNetResBlock, ScaleShiftConditioningMatchesAHandComputation) {
  // 2 channels, 2 groups (GroupNorm = per-channel normalization), a 1-D embedding. Both convs
  // are the identity (1 at the kernel centre), so by hand:
  //   h1 = silu(GN(x)),  e_j = w_j silu(emb) + b_j,  (scale, shift) = (e_0, e_1), (e_2, e_3)
  //   y  = x + silu(GN(h1) * (1 + scale) + shift)          (scale-shift)
  //   y  = x + silu(GN(h1 + e))                            (plain: e has 2 entries)
  for (bool scaleShift : {true, false}) {
    ResBlockOptions o;
    o.channels = 2;
    o.embChannels = 1;
    o.groups = 2;
    o.useScaleShiftNorm = scaleShift;
    ResBlock block(o);
    const std::vector<double> w = {0.5, -1.5, 0.25, 2.0}, b = {0.1, 0.3, -0.7, 0.4};
    const int64_t nE = scaleShift ? 4 : 2;
    block->to(torch::kFloat64);  // before setting the weights, so they are exact in double
    {
      torch::NoGradGuard noGrad;
      for (auto* conv : {&block->inConv, &block->outConv}) {
        (*conv)->weight.zero_();
        (*conv)->bias.zero_();
        for (int64_t c = 0; c < 2; ++c) (*conv)->weight[c][c][1][1] = 1.0;
      }
      for (int64_t j = 0; j < nE; ++j) {
        block->embProj->weight[j][0] = w[static_cast<size_t>(j)];
        block->embProj->bias[j] = b[static_cast<size_t>(j)];
      }
    }
    const torch::Tensor x = randn({1, 2, 3, 3}, 21).to(torch::kFloat64);
    const double embValue = 0.8;
    const torch::Tensor y =
        block->forward(x, torch::full({1, 1}, embValue, torch::kFloat64));

    std::vector<std::vector<double>> xs(2);
    for (int64_t c = 0; c < 2; ++c)
      for (int64_t i = 0; i < 9; ++i) xs[c].push_back(x[0][c][i / 3][i % 3].item<double>());
    std::vector<double> e;
    for (int64_t j = 0; j < nE; ++j)
      e.push_back(w[static_cast<size_t>(j)] * silu(embValue) + b[static_cast<size_t>(j)]);
    auto h1 = normalizePerChannel(xs);
    for (auto& ch : h1)
      for (double& v : ch) v = silu(v);
    std::vector<std::vector<double>> h2;
    if (scaleShift) {
      h2 = normalizePerChannel(h1);
      for (size_t c = 0; c < 2; ++c)
        for (double& v : h2[c]) v = v * (1.0 + e[c]) + e[2 + c];
    } else {
      for (size_t c = 0; c < 2; ++c)
        for (double& v : h1[c]) v += e[c];
      h2 = normalizePerChannel(h1);
    }
    for (int64_t c = 0; c < 2; ++c)
      for (int64_t i = 0; i < 9; ++i) {
        const double expected = xs[c][i] + silu(h2[c][i]);
        EXPECT_NEAR(y[0][c][i / 3][i % 3].item<double>(), expected, 1e-9)
            << (scaleShift ? "scale-shift" : "plain") << " c" << c << " i" << i;
      }
  }
}

TEST(UNetResBlock, SkipConvAndResamplingShapes) {
  torch::NoGradGuard noGrad;
  ResBlockOptions o;
  o.channels = 4;
  o.outChannels = 8;
  o.embChannels = 6;
  o.groups = 2;
  ResBlock widen(o);
  ASSERT_TRUE(widen->skip);
  EXPECT_EQ(widen->skip->weight.sizes(), (std::vector<int64_t>{8, 4, 1, 1}));
  const torch::Tensor x = randn({2, 4, 6, 6}, 31), emb = randn({2, 6}, 32);
  // The last conv starts at zero, so the block is its skip connection at init.
  EXPECT_TRUE(torch::allclose(widen->forward(x, emb), widen->skip->forward(x)));

  o.outChannels = 4;
  o.resample = ResBlockOptions::Resample::Down;
  ResBlock down(o);
  EXPECT_FALSE(down->skip);
  EXPECT_TRUE(torch::allclose(down->forward(x, emb), torch::avg_pool2d(x, 2)));
  o.resample = ResBlockOptions::Resample::Up;
  ResBlock up(o);
  const torch::Tensor u = up->forward(x, emb);
  EXPECT_EQ(u.sizes(), (std::vector<int64_t>{2, 4, 12, 12}));
  EXPECT_TRUE(torch::equal(u.index({torch::indexing::Slice(), torch::indexing::Slice(), 5, 7}),
                           x.index({torch::indexing::Slice(), torch::indexing::Slice(), 2, 3})));
}

TEST(UNetResample, UpsampleAndDownsample) {
  torch::NoGradGuard noGrad;
  const torch::Tensor x = torch::arange(16, torch::kFloat32).reshape({1, 1, 4, 4});
  Upsample up(1, /*useConv=*/false);
  const torch::Tensor u = up->forward(x);
  ASSERT_EQ(u.sizes(), (std::vector<int64_t>{1, 1, 8, 8}));
  for (int64_t i = 0; i < 8; ++i)
    for (int64_t j = 0; j < 8; ++j)
      EXPECT_EQ(u[0][0][i][j].item<float>(), x[0][0][i / 2][j / 2].item<float>());
  Downsample pool(1, /*useConv=*/false);
  const torch::Tensor d = pool->forward(x);
  EXPECT_FLOAT_EQ(d[0][0][0][0].item<float>(), (0 + 1 + 4 + 5) / 4.0f);
  EXPECT_FLOAT_EQ(d[0][0][1][1].item<float>(), (10 + 11 + 14 + 15) / 4.0f);
  Downsample strided(1, /*useConv=*/true, 3);
  EXPECT_EQ(strided->forward(x).sizes(), (std::vector<int64_t>{1, 3, 2, 2}));
  Upsample upConv(1, /*useConv=*/true);
  EXPECT_EQ(upConv->forward(x).sizes(), (std::vector<int64_t>{1, 1, 8, 8}));
  EXPECT_THROW(Downsample(1, false, 2), std::invalid_argument);
}

// --- time embedding ---------------------------------------------------------------------------

TEST(UNetTimeEmbedding, SinusoidsMatchTheFormula) {
  const std::vector<double> ts = {0.0, 1.0, 37.5, 999.0};
  for (int64_t dim : {8, 7}) {
    const torch::Tensor e =
        sinusoidalEmbedding(torch::tensor(std::vector<float>(ts.begin(), ts.end())), dim);
    ASSERT_EQ(e.sizes(), (std::vector<int64_t>{4, dim}));
    const int64_t half = dim / 2;
    for (size_t i = 0; i < ts.size(); ++i) {
      for (int64_t k = 0; k < half; ++k) {
        const double f = std::exp(-std::log(10000.0) * static_cast<double>(k) / half);
        EXPECT_NEAR(e[i][k].item<double>(), std::cos(ts[i] * f), 2e-4) << "t " << ts[i] << " k " << k;
        EXPECT_NEAR(e[i][half + k].item<double>(), std::sin(ts[i] * f), 2e-4)
            << "t " << ts[i] << " k " << k;
      }
      if (dim % 2) {
        EXPECT_EQ(e[i][dim - 1].item<double>(), 0.0);
      }
    }
  }
  // The first frequency is 1 and the last half-1 is 10000^(-(half-1)/half).
  const torch::Tensor e = sinusoidalEmbedding(torch::tensor({2.0f}), 4);
  EXPECT_NEAR(e[0][0].item<double>(), std::cos(2.0), 1e-6);
  EXPECT_NEAR(e[0][3].item<double>(), std::sin(2.0 / 100.0), 1e-6);
}

TEST(UNetTimeEmbedding, ScalesTByTheTimeScaleThenTheMlp) {
  torch::NoGradGuard noGrad;
  TimestepEmbedding embed(16, 64);  // timeScale 1000
  EXPECT_EQ(embed->timeScale(), 1000.0);
  const torch::Tensor t = torch::tensor({0.0f, 0.25f, 0.999f});
  const torch::Tensor expected = embed->linear2->forward(
      torch::silu(embed->linear1->forward(sinusoidalEmbedding(t * 1000.0, 16))));
  EXPECT_TRUE(torch::allclose(embed->forward(t, 3), expected));
  EXPECT_TRUE(torch::allclose(embed->forward(t.reshape({3, 1}), 3), expected));
  // One value broadcasts to the batch.
  const torch::Tensor one = embed->forward(torch::tensor(0.25f), 3);
  EXPECT_TRUE(torch::allclose(one[2], expected[1]));
  EXPECT_THROW(embed->forward(torch::zeros({2}), 3), std::invalid_argument);
}

// --- attention --------------------------------------------------------------------------------

namespace {

// x [1, C, T] through GN -> qkv -> heads -> proj_out -> residual, by loops in double.
std::vector<std::vector<double>> naiveAttention(AttentionBlockImpl& block, const torch::Tensor& x) {
  const int64_t c = x.size(1), length = x.size(2), heads = block.heads(), ch = c / heads;
  const torch::Tensor xn = torch::group_norm(x.to(torch::kFloat64), block.options().groups,
                                             block.norm->weight.to(torch::kFloat64),
                                             block.norm->bias.to(torch::kFloat64), 1e-5);
  const torch::Tensor wq = block.qkv->weight.to(torch::kFloat64), bq = block.qkv->bias.to(torch::kFloat64);
  std::vector<std::vector<double>> qkv(static_cast<size_t>(3 * c), std::vector<double>(length));
  for (int64_t o = 0; o < 3 * c; ++o)
    for (int64_t t = 0; t < length; ++t) {
      double s = bq[o].item<double>();
      for (int64_t i = 0; i < c; ++i) s += wq[o][i][0].item<double>() * xn[0][i][t].item<double>();
      qkv[o][t] = s;
    }
  const bool newOrder = block.options().useNewAttentionOrder;
  std::vector<std::vector<double>> a(static_cast<size_t>(c), std::vector<double>(length));
  for (int64_t h = 0; h < heads; ++h) {
    auto row = [&](int64_t part, int64_t k) -> const std::vector<double>& {  // part 0 q, 1 k, 2 v
      return newOrder ? qkv[part * c + h * ch + k] : qkv[h * 3 * ch + part * ch + k];
    };
    for (int64_t t = 0; t < length; ++t) {
      std::vector<double> w(length);
      double mx = -1e300;
      for (int64_t s = 0; s < length; ++s) {
        double d = 0.0;
        for (int64_t k = 0; k < ch; ++k) d += row(0, k)[t] * row(1, k)[s];
        w[s] = d / std::sqrt(static_cast<double>(ch));
        mx = std::max(mx, w[s]);
      }
      double z = 0.0;
      for (double& v : w) z += (v = std::exp(v - mx));
      for (int64_t k = 0; k < ch; ++k) {
        double s = 0.0;
        for (int64_t j = 0; j < length; ++j) s += w[j] / z * row(2, k)[j];
        a[h * ch + k][t] = s;
      }
    }
  }
  const torch::Tensor wp = block.projOut->weight.to(torch::kFloat64), bp = block.projOut->bias.to(torch::kFloat64);
  std::vector<std::vector<double>> y(static_cast<size_t>(c), std::vector<double>(length));
  for (int64_t o = 0; o < c; ++o)
    for (int64_t t = 0; t < length; ++t) {
      double s = x[0][o][t].item<double>() + bp[o].item<double>();
      for (int64_t i = 0; i < c; ++i) s += wp[o][i][0].item<double>() * a[i][t];
      y[o][t] = s;
    }
  return y;
}

}  // namespace

TEST(UNetAttention, MatchesANaiveLoopInBothHeadOrders) {
  torch::NoGradGuard noGrad;
  for (bool newOrder : {false, true}) {
    AttentionBlockOptions o;
    o.channels = 8;
    o.numHeadChannels = 4;  // 2 heads
    o.groups = 2;
    o.useNewAttentionOrder = newOrder;
    AttentionBlock block(o);
    EXPECT_EQ(block->heads(), 2);
    perturbZeroParameters(*block, 41);
    {  // non-trivial norm affine too
      block->norm->weight.copy_(randn({8}, 42) * 0.3 + 1.0);
    }
    const torch::Tensor x = randn({1, 8, 3, 2}, 43);
    const torch::Tensor y = block->forward(x).reshape({1, 8, 6});
    const auto expected = naiveAttention(*block, x.reshape({1, 8, 6}));
    for (int64_t c = 0; c < 8; ++c)
      for (int64_t t = 0; t < 6; ++t)
        EXPECT_NEAR(y[0][c][t].item<double>(), expected[c][t], 1e-4)
            << (newOrder ? "new" : "legacy") << " c" << c << " t" << t;
  }
}

TEST(UNetAttention, PermutingPixelsPermutesTheOutput) {
  torch::NoGradGuard noGrad;
  AttentionBlockOptions o;
  o.channels = 16;
  o.numHeads = 4;
  o.groups = 4;
  AttentionBlock block(o);
  perturbZeroParameters(*block, 51);
  const torch::Tensor x = randn({2, 16, 4, 4}, 52);
  auto gen = at::detail::createCPUGenerator(53);
  const torch::Tensor perm = torch::randperm(16, gen);
  auto permute = [&](const torch::Tensor& v) {
    return v.reshape({2, 16, 16}).index_select(2, perm).reshape({2, 16, 4, 4});
  };
  const torch::Tensor y = block->forward(x);
  EXPECT_TRUE(torch::allclose(block->forward(permute(x)), permute(y), 1e-5, 1e-5));
  // And the attention mixes positions: changing one pixel changes the output at the others.
  torch::Tensor x2 = x.clone();
  x2[0][0][0][0] += 5.0;
  const torch::Tensor d = (block->forward(x2) - y).abs();
  EXPECT_GT(d[0].index({torch::indexing::Slice(), 3, 3}).max().item<double>(), 1e-6);
}

// --- the whole network ------------------------------------------------------------------------

TEST(UNetForward, TimeShapesAndFlattenedInputAgree) {
  torch::NoGradGuard noGrad;
  AdmUNet net(tinyConfig());
  perturbZeroParameters(*net, 61);
  const torch::Tensor x = randn({3, 2, 8, 8}, 62);
  const torch::Tensor t = uniformT(3, 63);
  const torch::Tensor y = net->forward(x, t);
  EXPECT_TRUE(torch::allclose(net->forward(x, t.reshape({3})), y));
  EXPECT_TRUE(torch::allclose(net->forward(x.reshape({3, 128}), t), y.reshape({3, 128})));
  // t matters.
  EXPECT_GT((net->forward(x, t * 0.5) - y).abs().max().item<double>(), 1e-6);
  // Through the VelocityNet interface.
  VelocityNet base = net.ptr();
  EXPECT_TRUE(torch::allclose(base->forward(x, t), y));
  EXPECT_THROW(net->forward(randn({3, 2, 16, 16}, 64), t), std::invalid_argument);
  EXPECT_THROW(net->forward(x, torch::zeros({2, 1})), std::invalid_argument);
}

TEST(UNetClassConditional, LabelsChangeTheOutputAndTheNullClassIsAccepted) {
  torch::NoGradGuard noGrad;
  UNetConfig c = tinyConfig();
  c.numClasses = 3;
  AdmUNet net(c);
  ASSERT_TRUE(net->labelEmbed);
  EXPECT_EQ(net->labelEmbed->weight.size(0), 4);  // 3 classes + the null class
  EXPECT_EQ(net->nullClass(), 3);
  perturbZeroParameters(*net, 71);
  const torch::Tensor x = randn({2, 2, 8, 8}, 72).index({torch::indexing::Slice(0, 1)}).expand({2, 2, 8, 8});
  const torch::Tensor t = torch::full({2, 1}, 0.4);
  const torch::Tensor y = net->forward(x, t, torch::tensor({0, 1}, torch::kLong));
  EXPECT_GT((y[0] - y[1]).abs().max().item<double>(), 1e-5);
  // Same label, same output; int32 labels work.
  const torch::Tensor same = net->forward(x, t, torch::tensor({2, 2}, torch::kInt));
  EXPECT_TRUE(torch::allclose(same[0], same[1]));
  // The null class, and the two-argument forward (= the null class).
  const torch::Tensor nullOut = net->forward(x, t, torch::tensor({3, 3}, torch::kLong));
  EXPECT_TRUE(torch::allclose(net->forward(x, t), nullOut));
  EXPECT_GT((nullOut - y).abs().max().item<double>(), 1e-5);

  EXPECT_THROW(net->forward(x, t, torch::tensor({0, 4}, torch::kLong)), std::invalid_argument);
  EXPECT_THROW(net->forward(x, t, torch::tensor({-1, 0}, torch::kLong)), std::invalid_argument);
  EXPECT_THROW(net->forward(x, t, torch::tensor({0}, torch::kLong)), std::invalid_argument);
  EXPECT_THROW(net->forward(x, t, torch::tensor({0.0f, 1.0f})), std::invalid_argument);

  AdmUNet unconditional(tinyConfig());
  EXPECT_FALSE(unconditional->labelEmbed);
  EXPECT_THROW(unconditional->forward(x, t, torch::tensor({0, 0}, torch::kLong)),
               std::invalid_argument);
}

TEST(UNetGradients, ReachEveryParameter) {
  // Two variants between them cover every block: ResBlock up/down with scale-shift, and conv
  // resampling with plain embedding addition.
  for (bool updown : {true, false}) {
    UNetConfig c = tinyConfig();
    c.numClasses = 3;
    c.resblockUpdown = updown;
    c.useScaleShiftNorm = updown;
    c.useNewAttentionOrder = !updown;
    AdmUNet net(c);
    perturbZeroParameters(*net, 81);
    const torch::Tensor x = randn({4, 2, 8, 8}, 82);
    const torch::Tensor labels = torch::tensor({0, 1, 2, 3}, torch::kLong);  // every row
    const torch::Tensor loss = net->forward(x, uniformT(4, 83), labels).pow(2).sum();
    loss.backward();
    size_t checked = 0;
    for (const auto& item : net->named_parameters()) {
      const torch::Tensor& g = item.value().grad();
      ASSERT_TRUE(g.defined()) << item.key();
      EXPECT_TRUE(torch::isfinite(g).all().item<bool>()) << item.key();
      if (item.key() == "label_emb.weight") {
        for (int64_t r = 0; r < 4; ++r)
          EXPECT_GT(g[r].abs().max().item<double>(), 0.0) << "label row " << r;
      } else {
        EXPECT_GT(g.abs().max().item<double>(), 0.0) << item.key();
      }
      ++checked;
    }
    EXPECT_EQ(checked, net->parameters().size());
  }
}

// --- against guided-diffusion -----------------------------------------------------------------

namespace {

// Parameter i (in registration order, which follows guided-diffusion's module order) gets
// 0.2 sin(0.37 k + 1.3 i) at its flat index k.
void fillDeterministically(torch::nn::Module& m) {
  torch::NoGradGuard noGrad;
  int64_t i = 0;
  for (auto& p : m.parameters()) {
    const torch::Tensor k = torch::arange(p.numel(), torch::kFloat64);
    p.copy_((0.2 * torch::sin(0.37 * k + 1.3 * static_cast<double>(i))).reshape(p.sizes()));
    ++i;
  }
}

}  // namespace

TEST(UNetReference, MatchesATranscriptionOfGuidedDiffusion) {
  // Golden values from a float64 transcription of guided-diffusion's UNetModel forward (unet.py,
  // nn.py's timestep_embedding; timesteps = 1000 t) in Python with torch 1.13, the same
  // deterministic weights and input: tinyConfig() (8 px, 2 channels, width 8, mult 1,2,2,
  // attention at 4 and 2 px, 8 channels per head, 4 groups). Checksums of the [2, 2, 8, 8]
  // output: sum, sum of out * cos(0.7 k), sum of squares, out[0,0,0,0], out[1,1,7,3].
  struct Case {
    const char* name;
    bool scaleShift, updown, convResample, newOrder;
    int64_t classes;
    size_t tensors;
    int64_t params;
    std::vector<double> golden;
  };
  const std::vector<Case> cases = {
      {"scale-shift, resblock up/down, 3 classes", true, true, true, false, 3, 217, 91146,
       {-6.010990807622627e+01, -4.657126785570686e-01, 1.461073004546341e+01,
        -2.343178079073744e-01, -2.353161032425811e-01}},
      {"plain embedding, conv resampling, new attention order", false, false, true, true, 0, 184,
       74538,
       {-2.064478928951009e+01, 9.694535112209763e-01, 5.404396870609440e+00,
        -1.509308403694211e-01, 1.556090575617521e-01}},
      {"scale-shift, nearest / average pool", true, false, false, false, 0, 176, 72010,
       {5.163395912691564e+01, -1.879254233385666e-01, 1.095759569173140e+01,
        2.093396672096984e-01, 2.140363875150252e-01}},
  };
  torch::NoGradGuard noGrad;
  for (const auto& k : cases) {
    UNetConfig c = tinyConfig();
    c.useScaleShiftNorm = k.scaleShift;
    c.resblockUpdown = k.updown;
    c.convResample = k.convResample;
    c.useNewAttentionOrder = k.newOrder;
    c.numClasses = k.classes;
    AdmUNet net(c);
    net->to(torch::kFloat64);
    ASSERT_EQ(net->parameters().size(), k.tensors) << k.name;
    ASSERT_EQ(net->parameterCount(), k.params) << k.name;
    fillDeterministically(*net);
    const torch::Tensor x =
        torch::cos(0.1 * torch::arange(2 * 2 * 8 * 8, torch::kFloat64)).reshape({2, 2, 8, 8});
    const torch::Tensor t = torch::tensor({0.1, 0.7}, torch::kFloat64);
    const torch::Tensor out = k.classes ? net->forward(x, t, torch::tensor({1, 3}, torch::kLong))
                                        : net->forward(x, t);
    const torch::Tensor w = torch::cos(0.7 * torch::arange(out.numel(), torch::kFloat64))
                                .reshape(out.sizes());
    const std::vector<double> got = {out.sum().item<double>(), (out * w).sum().item<double>(),
                                     (out * out).sum().item<double>(),
                                     out[0][0][0][0].item<double>(), out[1][1][7][3].item<double>()};
    for (size_t i = 0; i < got.size(); ++i)
      EXPECT_NEAR(got[i], k.golden[i], 1e-9 * std::max(1.0, std::abs(k.golden[i])))
          << k.name << ", checksum " << i;
  }
}
