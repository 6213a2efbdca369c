#pragma once
// Which experiment keys may change when a run is resumed. The reference is the experiment stored
// in the checkpoint being resumed (config.yaml is editable, the checkpoint is what was trained).
// Keys of how long, where and how observably training runs may change: training.steps,
// keep_checkpoints, checkpoint_every, log_every, threads and device, sampling.* and
// evaluation.*. Everything that changes what is computed (data, path, objective, model,
// optimizer, schedule, ema, seed, batch size) must stay, or the resumed run is another run.

#include <string>
#include <vector>

#include "core/config/ExperimentConfig.h"

namespace flowscope {

bool mayChangeOnResume(const std::string& key);

/// "key: stored -> requested" for each key that differs and may not change (empty when none).
std::vector<std::string> resumeConflicts(const ExperimentConfig& stored,
                                         const ExperimentConfig& requested);

}  // namespace flowscope
