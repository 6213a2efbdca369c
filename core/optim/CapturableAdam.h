#pragma once
// Adam (Kingma and Ba 2015; the paper trains every model with it, Appendix E) whose whole state
// lives in tensors on the parameters' device: moments, the step count, the bias corrections and
// the learning rate. A step is then a fixed sequence of kernels with no host reads and no new
// state after the first step, so it can be captured in a CUDA graph and replayed (LibTorch's
// torch::optim::Adam keeps its step count on the host and would freeze it in the graph).
// A non-finite gradient leaves parameters and moments unchanged and raises a device flag that
// the trainer reads every few steps, so the NaN check needs no sync either.
//
//   CapturableAdam adam(model->parameters(), {.lr = 1e-3});
//   loss.backward();
//   clipGradNorm(adam.parameters(), 1.0);   // core/optim/GradNorm.h, also sync-free
//   adam.step();
//   if (step % 100 == 0 && adam.sawNonFinite()) ...   // one host read every 100 steps

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace torch::serialize {
class InputArchive;
class OutputArchive;
}  // namespace torch::serialize

namespace flowscope {

struct CapturableAdamOptions {
  double lr = 1e-3;
  double beta1 = 0.9, beta2 = 0.999;
  double eps = 1e-8;
  double weightDecay = 0;  ///< L2 added to the gradient, as torch.optim.Adam (not AdamW)
};

class CapturableAdam {
 public:
  CapturableAdam(std::vector<torch::Tensor> parameters, CapturableAdamOptions options);

  /// One update from the parameters' .grad() (undefined grads count as zero).
  void step();
  /// Zeroes gradients in place: their storage stays put, as a captured graph needs.
  void zeroGrad();

  /// The learning rate as a 0-dim device tensor: a schedule may write it (fill_) between steps,
  /// also between graph replays.
  const torch::Tensor& learningRate() const { return lr_; }
  void setLearningRate(double lr);

  /// Reads the device state (host syncs: not inside a capture).
  int64_t stepCount() const;
  bool sawNonFinite() const;
  void clearNonFinite();

  const std::vector<torch::Tensor>& parameters() const { return params_; }
  const CapturableAdamOptions& options() const { return options_; }

  void save(torch::serialize::OutputArchive& archive) const;
  void load(torch::serialize::InputArchive& archive);

 private:
  std::vector<torch::Tensor> params_, exp_avg_, exp_avg_sq_;
  CapturableAdamOptions options_;
  torch::Tensor step_, lr_, nonFinite_;  // 0-dim, on the parameters' device
};

}  // namespace flowscope
