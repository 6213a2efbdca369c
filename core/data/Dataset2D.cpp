#include "core/data/Dataset2D.h"

#include <stdexcept>

namespace flowscope {

// Only the analytic targets know their density; the rest are defined by a sampler alone, and
// asking them is a programming error (callers check hasLogDensity() first).
torch::Tensor Dataset2D::logDensity(const torch::Tensor& /*x*/) const {
  throw std::logic_error(name() +
                         ": no exact log density (hasLogDensity() is false; check it first)");
}

}  // namespace flowscope
