// CapturableAdam and clipGradNorm (core/optim) against LibTorch's own Adam and clip_grad_norm_:
// the same trajectory step for step, learning-rate changes between steps, a skipped non-finite
// step, and a save/load that continues exactly.

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <sstream>

#include "core/optim/CapturableAdam.h"
#include "core/optim/GradNorm.h"

using namespace flowscope;

namespace {

struct Problem {
  torch::Tensor x = torch::randn({64, 5}, torch::TensorOptions().dtype(torch::kFloat64));
  torch::Tensor y = torch::randn({64, 3}, torch::TensorOptions().dtype(torch::kFloat64));
};

std::vector<torch::Tensor> freshParams(uint64_t seed) {
  torch::manual_seed(seed);
  auto w = torch::randn({5, 3}, torch::kFloat64).requires_grad_();
  auto b = torch::randn({3}, torch::kFloat64).requires_grad_();
  return {w, b};
}

void backward(const std::vector<torch::Tensor>& p, const Problem& pr) {
  for (const auto& t : p)
    if (t.grad().defined()) t.grad().zero_();
  const auto loss = (torch::tanh(pr.x.matmul(p[0]) + p[1]) - pr.y).pow(2).mean();
  loss.backward();
}

double maxDiff(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  double d = 0;
  for (size_t i = 0; i < a.size(); ++i) d = std::max(d, (a[i] - b[i]).abs().max().item<double>());
  return d;
}

}  // namespace

TEST(CapturableAdam, FollowsLibTorchAdamStepForStepWithWeightDecayAndLrChanges) {
  torch::manual_seed(3);
  const Problem pr;
  for (const double wd : {0.0, 0.01}) {
    auto mine = freshParams(1), theirs = freshParams(1);
    CapturableAdam adam(mine, {2e-2, 0.9, 0.999, 1e-8, wd});
    torch::optim::Adam reference(theirs, torch::optim::AdamOptions(2e-2).weight_decay(wd));
    for (int k = 0; k < 60; ++k) {
      if (k == 30) {  // a schedule changes the rate between steps
        adam.setLearningRate(5e-3);
        for (auto& g : reference.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(5e-3);
      }
      backward(mine, pr);
      backward(theirs, pr);
      adam.step();
      reference.step();
    }
    EXPECT_LT(maxDiff(mine, theirs), 1e-6) << "weight decay " << wd;
    EXPECT_GT((mine[0] - freshParams(1)[0]).abs().max().item<double>(), 1e-2);  // it did move
    EXPECT_EQ(adam.stepCount(), 60);
    EXPECT_FALSE(adam.sawNonFinite());
  }
}

TEST(CapturableAdam, ANonFiniteGradientLeavesEverythingUnchangedAndRaisesTheFlag) {
  torch::manual_seed(4);
  const Problem pr;
  auto mine = freshParams(2), theirs = freshParams(2);
  CapturableAdam adam(mine, {1e-2});
  torch::optim::Adam reference(theirs, torch::optim::AdamOptions(1e-2));
  for (int k = 0; k < 5; ++k) {
    backward(mine, pr);
    backward(theirs, pr);
    adam.step();
    reference.step();
  }
  const auto before = std::vector<torch::Tensor>{mine[0].clone(), mine[1].clone()};
  backward(mine, pr);
  mine[1].mutable_grad()[0] = std::numeric_limits<double>::quiet_NaN();
  adam.step();
  EXPECT_EQ(maxDiff(mine, before), 0.0);
  EXPECT_TRUE(adam.sawNonFinite());
  EXPECT_EQ(adam.stepCount(), 5);
  // The skipped step left the moments alone: training goes on as if it never happened.
  adam.clearNonFinite();
  for (int k = 0; k < 5; ++k) {
    backward(mine, pr);
    backward(theirs, pr);
    adam.step();
    reference.step();
  }
  EXPECT_LT(maxDiff(mine, theirs), 1e-9);
  EXPECT_FALSE(adam.sawNonFinite());
}

TEST(CapturableAdam, SaveAndLoadContinueExactly) {
  torch::manual_seed(5);
  const Problem pr;
  auto a = freshParams(3), b = freshParams(3);
  CapturableAdam first(a, {1e-2});
  for (int k = 0; k < 7; ++k) backward(a, pr), first.step();
  torch::serialize::OutputArchive out;
  first.save(out);
  std::ostringstream bytes;
  out.save_to(bytes);
  // A second optimizer on copies of the parameters, restored from the archive.
  for (size_t i = 0; i < a.size(); ++i) b[i].detach().copy_(a[i].detach());
  CapturableAdam second(b, {1e-2});
  torch::serialize::InputArchive in;
  std::istringstream read(bytes.str());
  in.load_from(read);
  second.load(in);
  EXPECT_EQ(second.stepCount(), 7);
  for (int k = 0; k < 7; ++k) {
    backward(a, pr), first.step();
    backward(b, pr), second.step();
  }
  EXPECT_EQ(maxDiff(a, b), 0.0);
}

TEST(GradNorm, MatchesLibTorchClipGradNormWithoutAHostRead) {
  torch::manual_seed(6);
  const Problem pr;
  for (const double maxNorm : {1e-3, 1e3}) {  // clipping, and a bound that does not bite
    auto mine = freshParams(4), theirs = freshParams(4);
    backward(mine, pr);
    backward(theirs, pr);
    const torch::Tensor norm = clipGradNorm(mine, maxNorm);
    const double expected = torch::nn::utils::clip_grad_norm_(theirs, maxNorm);
    EXPECT_EQ(norm.dim(), 0);
    EXPECT_NEAR(norm.item<double>(), expected, 1e-6 * expected);
    EXPECT_LT(maxDiff({mine[0].grad(), mine[1].grad()}, {theirs[0].grad(), theirs[1].grad()}), 1e-9);
  }
}
