#include "core/train/LrSchedule.h"

#include <algorithm>
#include <cmath>

#include "core/config/ExperimentConfig.h"
#include "core/registry/Registries.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

/// schedule.name as the registry lists it (constant | polynomial); an unknown name is an error,
/// not a silent constant schedule.
bool isPolynomial(const std::string& name) {
  if (name == "constant") return false;
  if (name == "polynomial") return true;
  throw ConfigError("schedule.name", "schedule.name: unknown schedule '" + name + "' (expected " +
                                         scheduleRegistry().expected() + ")");
}

}  // namespace

LrSchedule::LrSchedule(const ScheduleConfig& c, double peakLr, int64_t totalSteps)
    : polynomial_(isPolynomial(c.name)),
      warmup_(c.warmup_steps),
      total_(totalSteps),
      initial_(c.initial_lr),
      peak_(peakLr),
      final_(c.final_lr),
      power_(c.power) {}

double LrSchedule::at(int64_t step) const {
  if (step < warmup_)
    return initial_ + (peak_ - initial_) * static_cast<double>(step) / static_cast<double>(warmup_);
  if (!polynomial_ || total_ <= warmup_) return peak_;
  const double progress =
      std::clamp(static_cast<double>(step - warmup_) / static_cast<double>(total_ - warmup_), 0.0, 1.0);
  return final_ + (peak_ - final_) * std::pow(1.0 - progress, power_);
}

}  // namespace flowscope
