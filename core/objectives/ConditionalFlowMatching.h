#pragma once
// Conditional Flow Matching (eq. 9, in the reparametrized form of eq. 14): regress v_t(psi_t(x0))
// onto d/dt psi_t(x0) = u_t(psi_t(x0)|x1). On the OT path the target is x1 - (1 - sigma_min) x0
// (eq. 23). The network output is the velocity itself.

#include "core/objectives/Objective.h"

namespace flowscope {

class ConditionalFlowMatching : public Objective {
 public:
  using Objective::Objective;

  std::string name() const override { return "cfm"; }
  torch::Tensor lossAt(const NetFn& net, const torch::Tensor& t, const torch::Tensor& x0,
                       const torch::Tensor& x1) const override;
  torch::Tensor velocity(const torch::Tensor& output, const torch::Tensor& x,
                         const torch::Tensor& t) const override;
};

}  // namespace flowscope
