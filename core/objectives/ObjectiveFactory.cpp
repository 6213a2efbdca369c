#include "core/objectives/ObjectiveFactory.h"

#include <torch/torch.h>

#include "core/config/ExperimentConfig.h"
#include "core/objectives/ConditionalFlowMatching.h"
#include "core/objectives/NoiseMatching.h"
#include "core/objectives/ScoreMatching.h"
#include "core/registry/Registries.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

using Path = std::shared_ptr<const AffineGaussianPath>;

/// The engine's own check of eq. 46's precondition, whatever path it is given.
void requirePositiveAlpha(const std::string& objective, const AffineGaussianPath& path) {
  const torch::Tensor ends =
      path.alpha(torch::tensor({path.tMin(), path.tMax()}, torch::kFloat64));
  if (!(ends.min().item<double>() > 0.0))
    throw ConfigError("objective.name",
                      "objective.name: '" + objective +
                          "' converts its output to a velocity through alpha_t'/alpha_t (eq. 46), "
                          "which needs alpha_t > 0 for all t; path '" + path.name() +
                          "' has alpha_0 = 0 (use path.name vp or ve, or objective cfm)");
}

std::shared_ptr<const Objective> scoreMatching(const std::string& name, Path path,
                                               ScoreMatching::Weighting weighting) {
  requirePositiveAlpha(name, *path);
  return std::make_shared<ScoreMatching>(std::move(path), weighting);
}

}  // namespace

const std::map<std::string, ObjectiveFactory>& objectiveFactories() {
  using Ptr = std::shared_ptr<const Objective>;
  static const std::map<std::string, ObjectiveFactory> factories{
      {"cfm", [](const ObjectiveConfig&, Path path) -> Ptr {
         return std::make_shared<ConditionalFlowMatching>(std::move(path));
       }},
      {"sm", [](const ObjectiveConfig&, Path path) -> Ptr {
         return scoreMatching("sm", std::move(path), ScoreMatching::Weighting::SigmaSquared);
       }},
      {"scoreflow", [](const ObjectiveConfig&, Path path) -> Ptr {
         return scoreMatching("scoreflow", std::move(path), ScoreMatching::Weighting::ScoreFlow);
       }},
      {"ddpm", [](const ObjectiveConfig&, Path path) -> Ptr {
         requirePositiveAlpha("ddpm", *path);
         return std::make_shared<NoiseMatching>(std::move(path));
       }},
  };
  return factories;
}

std::shared_ptr<const Objective> makeObjective(const ObjectiveConfig& config, Path path) {
  const auto it = objectiveFactories().find(config.name);
  if (it == objectiveFactories().end() || !objectiveRegistry().find(config.name))
    throw ConfigError("objective.name", "objective.name: unknown objective '" + config.name +
                                            "' (expected " + objectiveRegistry().expected() + ")");
  return it->second(config, std::move(path));
}

}  // namespace flowscope
