#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/objectives/Objective.h"

namespace flowscope {

struct ObjectiveConfig;

using ObjectiveFactory = std::function<std::shared_ptr<const Objective>(
    const ObjectiveConfig&, std::shared_ptr<const AffineGaussianPath>)>;

/// The factories by objective.name (core/registry/Objectives.cpp lists the same names).
const std::map<std::string, ObjectiveFactory>& objectiveFactories();

/// The objective named by config.name (cfm | sm | scoreflow | ddpm) on `path`. The score and noise
/// parametrizations need alpha_t > 0 on the whole time range (vp or ve paths); throws ConfigError
/// naming the key otherwise.
std::shared_ptr<const Objective> makeObjective(const ObjectiveConfig& config,
                                               std::shared_ptr<const AffineGaussianPath> path);

}  // namespace flowscope
