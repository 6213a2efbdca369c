#pragma once
// A training objective: a regression loss on the Gaussian path (eq. 14, 43, 45) and the rule that
// turns the trained network's output into the velocity v_t(x) used for sampling (eq. 1, 46).

#include <ATen/core/Generator.h>
#include <torch/types.h>

#include <functional>
#include <memory>
#include <string>

#include "core/dist/BatchShard.h"
#include "core/paths/AffineGaussianPath.h"

namespace flowscope {

/// The network: output(x, t) with x of shape [B, d] and t of shape [B, 1].
using NetFn = std::function<torch::Tensor(const torch::Tensor& x, const torch::Tensor& t)>;

class Objective {
 public:
  explicit Objective(std::shared_ptr<const AffineGaussianPath> path);
  virtual ~Objective() = default;

  virtual std::string name() const = 0;
  const AffineGaussianPath& path() const { return *path_; }
  std::shared_ptr<const AffineGaussianPath> pathPtr() const { return path_; }

  /// Monte-Carlo loss on a batch of data x1: draws t ~ U[tMin, tMax] and x0 ~ N(0, I) from the
  /// CPU generator `gen` (so runs reproduce on any device) and calls lossAt. With a `shard`, x1
  /// holds only its rows: t and x0 are drawn for the whole batch and cut to the same rows
  /// (core/dist/BatchShard.h).
  torch::Tensor loss(const NetFn& net, const torch::Tensor& x1, at::Generator& gen,
                     const BatchShard* shard = nullptr) const;

  /// The loss for given t [B, 1], x0 and x1 [B, d], averaged over batch and dimensions.
  virtual torch::Tensor lossAt(const NetFn& net, const torch::Tensor& t, const torch::Tensor& x0,
                               const torch::Tensor& x1) const = 0;

  /// v_t(x) from the network output at (x, t).
  virtual torch::Tensor velocity(const torch::Tensor& output, const torch::Tensor& x,
                                 const torch::Tensor& t) const = 0;

 protected:
  std::shared_ptr<const AffineGaussianPath> path_;
};

}  // namespace flowscope
