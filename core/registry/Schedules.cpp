// schedule.name: the learning-rate schedules (Appendix E.2; core/train/LrSchedule.cpp).

#include "core/registry/Registries.h"

namespace flowscope {

const Registry& scheduleRegistry() {
  static const Registry registry(
      "schedule.name", "learning-rate schedules",
      {
          {"constant", "optimizer.lr after the warm-up"},
          {"polynomial", "decay from optimizer.lr to final_lr at the last step, (1 - s)^power",
           {"schedule.final_lr", "schedule.power"}},
      });
  return registry;
}

}  // namespace flowscope
