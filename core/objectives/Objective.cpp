#include "core/objectives/Objective.h"

#include <torch/torch.h>

namespace flowscope {

Objective::Objective(std::shared_ptr<const AffineGaussianPath> path) : path_(std::move(path)) {}

torch::Tensor Objective::loss(const NetFn& net, const torch::Tensor& x1, at::Generator& gen,
                              const BatchShard* shard) const {
  const bool sharded = shard && !shard->isWhole();
  const int64_t b = sharded ? shard->total : x1.size(0);
  const double lo = path_->tMin(), hi = path_->tMax();
  const auto cpu = torch::TensorOptions().dtype(x1.scalar_type());
  torch::Tensor t = torch::rand({b, 1}, gen, cpu) * (hi - lo) + lo;
  std::vector<int64_t> shape = x1.sizes().vec();
  shape[0] = b;
  torch::Tensor x0 = torch::randn(shape, gen, cpu);
  if (sharded) {
    t = t.narrow(0, shard->offset, shard->count);
    x0 = x0.narrow(0, shard->offset, shard->count);
  }
  if (!x1.device().is_cpu()) {
    t = t.to(x1.device(), /*non_blocking=*/true);
    x0 = x0.to(x1.device(), /*non_blocking=*/true);
  }
  return lossAt(net, t, x0, x1);
}

}  // namespace flowscope
