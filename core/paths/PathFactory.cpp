#include "core/paths/PathFactory.h"

#include "core/config/ExperimentConfig.h"
#include "core/paths/CondOTPath.h"
#include "core/paths/VEDiffusionPath.h"
#include "core/paths/VPDiffusionPath.h"
#include "core/registry/Registries.h"
#include "core/util/Error.h"

namespace flowscope {

const std::map<std::string, PathFactory>& pathFactories() {
  using Ptr = std::shared_ptr<const AffineGaussianPath>;
  static const std::map<std::string, PathFactory> factories{
      {"cond_ot", [](const PathConfig& c) -> Ptr { return std::make_shared<CondOTPath>(c.sigma_min); }},
      {"vp", [](const PathConfig& c) -> Ptr {
         return std::make_shared<VPDiffusionPath>(c.beta_min, c.beta_max, c.eps);
       }},
      {"ve", [](const PathConfig& c) -> Ptr {
         return std::make_shared<VEDiffusionPath>(c.sigma_min, c.sigma_max);
       }},
  };
  return factories;
}

std::shared_ptr<const AffineGaussianPath> makePath(const PathConfig& config) {
  const auto it = pathFactories().find(config.name);
  if (it == pathFactories().end() || !pathRegistry().find(config.name))
    throw ConfigError("path.name", "path.name: unknown path '" + config.name + "' (expected " +
                                       pathRegistry().expected() + ")");
  return it->second(config);
}

}  // namespace flowscope
