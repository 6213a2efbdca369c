#pragma once
// div v_t(x) for the change-of-variables ODE (eq. 27-28): exact by automatic differentiation
// (d backward passes; right for low dimension such as 2D) or the Hutchinson estimator
// z^T Dv z with E[z z^T] = I (eq. 34-35).

#include <torch/types.h>

#include <string>
#include <vector>

namespace flowscope {

enum class ProbeKind { Gaussian, Rademacher };

/// "gaussian" | "rademacher"; throws InputError naming `what`.
ProbeKind parseProbeKind(const std::string& name, const std::string& what = "probe");

/// v(x) and its exact divergence, one backward pass per dimension. `x` must require grad and `v`
/// be computed from it under grad mode. Returns [B].
torch::Tensor exactDivergence(const torch::Tensor& v, const torch::Tensor& x);

/// Mean over the probes of z^T (dv/dx) z, one vector-Jacobian product per probe. Returns [B].
torch::Tensor hutchinsonDivergence(const torch::Tensor& v, const torch::Tensor& x,
                                   const std::vector<torch::Tensor>& probes);

}  // namespace flowscope
