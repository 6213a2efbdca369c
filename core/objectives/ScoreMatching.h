#pragma once
// Denoising score matching on a Gaussian path (eq. 42-43). As in the paper, the network s_t
// regresses (x - mu_t(x1)) / sigma_t^2 = x0 / sigma_t, which is the *negative* score of
// p_t(x|x1); weighting lambda(t) = sigma_t^2 gives the SM loss of Song & Ermon (2019) and
// lambda(t) = beta(1 - t) the ScoreFlow loss of Song et al. (2021, VP path only).
// Sampling uses eq. 46 (generalized: see AffineGaussianPath::velocityFromNoise) with
// E[x0|x] = sigma_t s_t(x).

#include "core/objectives/Objective.h"

namespace flowscope {

class ScoreMatching : public Objective {
 public:
  enum class Weighting { SigmaSquared, ScoreFlow };

  /// ScoreFlow weighting requires a VPDiffusionPath (throws ConfigError otherwise).
  ScoreMatching(std::shared_ptr<const AffineGaussianPath> path, Weighting weighting);

  std::string name() const override { return weighting_ == Weighting::ScoreFlow ? "scoreflow" : "sm"; }
  torch::Tensor lossAt(const NetFn& net, const torch::Tensor& t, const torch::Tensor& x0,
                       const torch::Tensor& x1) const override;
  torch::Tensor velocity(const torch::Tensor& output, const torch::Tensor& x,
                         const torch::Tensor& t) const override;

  /// lambda(t) of eq. 43, shaped like t.
  torch::Tensor weight(const torch::Tensor& t) const;

 private:
  Weighting weighting_;
};

}  // namespace flowscope
