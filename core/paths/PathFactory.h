#pragma once

#include <memory>

#include "core/paths/AffineGaussianPath.h"

namespace flowscope {

struct PathConfig;

/// The path named by config.name (cond_ot | vp | ve). Throws ConfigError naming the key.
std::shared_ptr<const AffineGaussianPath> makePath(const PathConfig& config);

}  // namespace flowscope
