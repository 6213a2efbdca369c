#pragma once
// Training the classifier of the offline classifier FD (docs/metrics.md) from the app, torch-free:
// the NFE panel's "Train" button and the test fixtures call this; `flowscope-cli train-classifier`
// is the same training with its own progress lines.
//
//   ClassifierJob job;  job.epochs = 2;
//   ClassifierSummary s = trainClassifierFile(model->config().data, "", job, "fmnist-clf.pt");

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "core/config/ExperimentConfig.h"

namespace flowscope {

struct ClassifierJob {
  int64_t epochs = 2;
  int64_t batchSize = 128;
  double learningRate = 2e-3;
  uint64_t seed = 0;
  int loaderThreads = 2;
};

struct ClassifierSummary {
  std::string path;
  std::string dataset;
  double testAccuracy = 0;
  int64_t referenceCount = 0;  ///< test images behind the reference statistics
  bool completed = true;       ///< false: cancelled, nothing written
};

/// Trains on `data`'s train split, scores its test split and writes the classifier file to `out`
/// atomically. Relative data files resolve against `baseDir`. `progress(step, steps)` after each
/// reported stretch; a raised `cancel` stops at the next report and writes nothing (completed =
/// false). Throws ConfigError for a dataset that is not images, InputError for
/// unlabelled data, FileError naming an unreadable or unwritable file.
ClassifierSummary trainClassifierFile(const DataConfig& data, const std::string& baseDir, const ClassifierJob& job,
                                      const std::string& out,
                                      const std::function<void(int64_t, int64_t)>& progress = {},
                                      const std::atomic<bool>* cancel = nullptr);

}  // namespace flowscope
