#pragma once

#include <memory>

#include "core/objectives/Objective.h"

namespace flowscope {

struct ObjectiveConfig;

/// The objective named by config.name (cfm | sm | scoreflow | ddpm) on `path`. The score and noise
/// parametrizations need alpha_t > 0 on the whole time range (vp or ve paths); throws ConfigError
/// naming the key otherwise.
std::shared_ptr<const Objective> makeObjective(const ObjectiveConfig& config,
                                               std::shared_ptr<const AffineGaussianPath> path);

}  // namespace flowscope
