#include "core/likelihood/Divergence.h"

#include <torch/torch.h>

#include "core/util/Error.h"

namespace flowscope {

ProbeKind parseProbeKind(const std::string& name, const std::string& what) {
  if (name == "gaussian") return ProbeKind::Gaussian;
  if (name == "rademacher") return ProbeKind::Rademacher;
  throw InputError(what + ": unknown probe '" + name + "' (expected gaussian or rademacher)");
}

torch::Tensor exactDivergence(const torch::Tensor& v, const torch::Tensor& x) {
  const torch::Tensor vf = v.flatten(1), xf = x.flatten(1);
  const int64_t d = vf.size(1);
  torch::Tensor div = torch::zeros({v.size(0)}, v.options());
  for (int64_t i = 0; i < d; ++i) {
    // Rows are independent, so the gradient of the column sum gives each row's d v_i / d x_i.
    const torch::Tensor g = torch::autograd::grad({vf.select(1, i).sum()}, {x},
                                                  /*grad_outputs=*/{},
                                                  /*retain_graph=*/i + 1 < d,
                                                  /*create_graph=*/false)[0];
    div = div + g.flatten(1).select(1, i);
  }
  return div;
}

torch::Tensor hutchinsonDivergence(const torch::Tensor& v, const torch::Tensor& x,
                                   const std::vector<torch::Tensor>& probes) {
  torch::Tensor sum = torch::zeros({v.size(0)}, v.options());
  for (size_t k = 0; k < probes.size(); ++k) {
    const torch::Tensor& z = probes[k];
    const torch::Tensor vjp = torch::autograd::grad({v}, {x}, {z},
                                                    /*retain_graph=*/k + 1 < probes.size(),
                                                    /*create_graph=*/false)[0];
    sum = sum + (vjp * z).flatten(1).sum(1);
  }
  return sum / static_cast<double>(probes.size());
}

}  // namespace flowscope
