#include "core/objectives/ScoreMatching.h"

#include <torch/torch.h>

#include "core/paths/VPDiffusionPath.h"
#include "core/util/Error.h"

namespace flowscope {

ScoreMatching::ScoreMatching(std::shared_ptr<const AffineGaussianPath> path, Weighting weighting)
    : Objective(std::move(path)), weighting_(weighting) {
  if (weighting_ == Weighting::ScoreFlow && !dynamic_cast<const VPDiffusionPath*>(path_.get()))
    throw ConfigError("objective.name",
                      "objective.name: 'scoreflow' weights by beta(1 - t), defined for the vp path "
                      "only (got path.name '" + path_->name() + "')");
}

torch::Tensor ScoreMatching::weight(const torch::Tensor& t) const {
  if (weighting_ == Weighting::ScoreFlow)
    return static_cast<const VPDiffusionPath&>(*path_).beta(1.0 - t);
  return path_->sigma(t).square();
}

torch::Tensor ScoreMatching::lossAt(const NetFn& net, const torch::Tensor& t,
                                    const torch::Tensor& x0, const torch::Tensor& x1) const {
  const torch::Tensor tb = broadcastTime(t, x1);
  const torch::Tensor xt = path_->psi(tb, x0, x1);
  const torch::Tensor target = x0 / path_->sigma(tb);  // (x - mu_t)/sigma_t^2, eq. 43
  return (weight(tb) * (net(xt, t) - target).square()).mean();
}

torch::Tensor ScoreMatching::velocity(const torch::Tensor& output, const torch::Tensor& x,
                                      const torch::Tensor& t) const {
  const torch::Tensor epsHat = path_->sigma(broadcastTime(t, x)) * output;
  return path_->velocityFromNoise(t, x, epsHat);
}

}  // namespace flowscope
