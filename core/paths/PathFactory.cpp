#include "core/paths/PathFactory.h"

#include "core/config/ExperimentConfig.h"
#include "core/paths/CondOTPath.h"
#include "core/paths/VEDiffusionPath.h"
#include "core/paths/VPDiffusionPath.h"
#include "core/util/Error.h"

namespace flowscope {

std::shared_ptr<const AffineGaussianPath> makePath(const PathConfig& config) {
  if (config.name == "cond_ot") return std::make_shared<CondOTPath>(config.sigma_min);
  if (config.name == "vp")
    return std::make_shared<VPDiffusionPath>(config.beta_min, config.beta_max, config.eps);
  if (config.name == "ve") return std::make_shared<VEDiffusionPath>(config.sigma_min, config.sigma_max);
  throw ConfigError("path.name",
                    "path.name: unknown path '" + config.name + "' (expected cond_ot, vp or ve)");
}

}  // namespace flowscope
