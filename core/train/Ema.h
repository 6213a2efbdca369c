#pragma once
// Exponential moving average of the weights: shadow <- d shadow + (1 - d) theta, with the usual
// warm start d_k = min(decay, (1 + k) / (10 + k)) so early averages are not dominated by the
// random initialization.

#include <torch/nn/module.h>

#include <cstdint>
#include <memory>

namespace flowscope {

class Ema {
 public:
  /// `shadow` must have the same parameters as the trained model (a clone of it).
  Ema(std::shared_ptr<torch::nn::Module> shadow, double decay);

  void update(const torch::nn::Module& model, int64_t step);
  double decayAt(int64_t step) const;

  torch::nn::Module& shadow() { return *shadow_; }
  bool enabled() const { return decay_ > 0; }

 private:
  std::shared_ptr<torch::nn::Module> shadow_;
  double decay_;
};

}  // namespace flowscope
