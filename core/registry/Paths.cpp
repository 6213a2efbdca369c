// path.name: the Gaussian probability paths p_t(x|x1) of Section 4 (core/paths/PathFactory.cpp).
// Tag "alpha_positive": alpha_t > 0 on the whole time range, so a score or noise prediction
// converts to a velocity (eq. 46).

#include "core/registry/Registries.h"

namespace flowscope {

const Registry& pathRegistry() {
  static const Registry registry(
      "path.name", "paths",
      {
          {"cond_ot", "conditional OT: mu_t = t x1, sigma_t = 1 - (1 - sigma_min) t (eq. 20-22)",
           {"path.sigma_min"}, {}, {}, {{"path.sigma_min", ValueRange::rightOpen(0, 1)}}, {}, {}},
          {"vp", "variance preserving diffusion, alpha_{1-t} = exp(-T(1-t)/2) (eq. 18-19)",
           {"path.beta_min", "path.beta_max", "path.eps"}, {}, {}, {}, {}, {"alpha_positive"}},
          {"ve", "variance exploding diffusion, sigma from sigma_max to sigma_min (eq. 16-17)",
           {"path.sigma_min", "path.sigma_max"}, {}, {},
           {{"path.sigma_min", ValueRange::leftOpen(0, 100)}}, {}, {"alpha_positive"}},
      });
  return registry;
}

}  // namespace flowscope
