#pragma once
// DDPM noise matching (eq. 44-45): the network eps_t regresses the noise x0 that produced
// x = sigma_t x0 + mu_t(x1). Sampling uses eq. 46 with s_t = eps_t / sigma_t (Appendix E.1).

#include "core/objectives/Objective.h"

namespace flowscope {

class NoiseMatching : public Objective {
 public:
  using Objective::Objective;

  std::string name() const override { return "ddpm"; }
  torch::Tensor lossAt(const NetFn& net, const torch::Tensor& t, const torch::Tensor& x0,
                       const torch::Tensor& x1) const override;
  torch::Tensor velocity(const torch::Tensor& output, const torch::Tensor& x,
                         const torch::Tensor& t) const override;
};

}  // namespace flowscope
