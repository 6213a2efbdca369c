#pragma once
// The trainer's evaluation hook (Figure 10): at evaluation.every steps, sample from the EMA model
// with the config's solver from a fixed noise seed and record NFE and sample-quality metrics in
// metrics.csv.

#include <string>

#include "core/train/Trainer.h"

namespace flowscope {

/// Hooks whose `evaluate` computes the metrics for `config` (columns depend on the dataset).
TrainerHooks evaluationHooks(const ExperimentConfig& config);

/// " nfe 62 frac_black 0.953 ..." for logs.
std::string formatEvalValues(const EvalValues& values);

}  // namespace flowscope
