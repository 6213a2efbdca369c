#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/paths/AffineGaussianPath.h"

namespace flowscope {

struct PathConfig;

using PathFactory = std::function<std::shared_ptr<const AffineGaussianPath>(const PathConfig&)>;

/// The factories by path.name (core/registry/Paths.cpp lists the same names).
const std::map<std::string, PathFactory>& pathFactories();

/// The path named by config.name. Throws ConfigError naming the key.
std::shared_ptr<const AffineGaussianPath> makePath(const PathConfig& config);

}  // namespace flowscope
