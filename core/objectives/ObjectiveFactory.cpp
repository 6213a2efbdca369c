#include "core/objectives/ObjectiveFactory.h"

#include <torch/torch.h>

#include "core/config/ExperimentConfig.h"
#include "core/objectives/ConditionalFlowMatching.h"
#include "core/objectives/NoiseMatching.h"
#include "core/objectives/ScoreMatching.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

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

}  // namespace

std::shared_ptr<const Objective> makeObjective(const ObjectiveConfig& config,
                                               std::shared_ptr<const AffineGaussianPath> path) {
  if (config.name == "cfm") return std::make_shared<ConditionalFlowMatching>(std::move(path));
  if (config.name == "sm" || config.name == "scoreflow" || config.name == "ddpm") {
    requirePositiveAlpha(config.name, *path);
    if (config.name == "ddpm") return std::make_shared<NoiseMatching>(std::move(path));
    return std::make_shared<ScoreMatching>(std::move(path), config.name == "sm"
                                                                ? ScoreMatching::Weighting::SigmaSquared
                                                                : ScoreMatching::Weighting::ScoreFlow);
  }
  throw ConfigError("objective.name", "objective.name: unknown objective '" + config.name +
                                          "' (expected cfm, sm, scoreflow or ddpm)");
}

}  // namespace flowscope
