#pragma once
// Learning-rate schedules of Appendix E.2: constant, or polynomial decay, each after an optional
// linear warm-up from initial_lr to the peak rate.

#include <cstdint>

namespace flowscope {

struct ScheduleConfig;

class LrSchedule {
 public:
  LrSchedule(const ScheduleConfig& config, double peakLr, int64_t totalSteps);

  /// Learning rate for optimizer step `step` (0-based).
  double at(int64_t step) const;

 private:
  bool polynomial_;
  int64_t warmup_, total_;
  double initial_, peak_, final_, power_;
};

}  // namespace flowscope
