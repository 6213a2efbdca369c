#pragma once
// What the trainer draws its batches of x1 from: a 2D target or an image dataset, flattened to
// [B, D] (core/data/DataShape.h), with class labels where the data has them.
//
//   auto data = makeTrainingData(config, baseDir);
//   DataBatch b = data->batch(step, config.training.batch_size, generator);
//   // b.x1: float32 [B, D] on the CPU; b.labels: int64 [B] or undefined

#include <ATen/core/Generator.h>
#include <torch/types.h>

#include <memory>
#include <string>
#include <vector>

#include "core/dist/BatchShard.h"

namespace flowscope {

struct ExperimentConfig;
class Dataset2D;

struct DataBatch {
  torch::Tensor x1;      ///< float32 [B, D], CPU
  torch::Tensor labels;  ///< int64 [B] in 0..classes-1, CPU; undefined without labels
};

class TrainingData {
 public:
  virtual ~TrainingData() = default;
  /// {2} or {C, H, W}: what a flattened row of x1 is.
  virtual std::vector<int64_t> sampleShape() const = 0;
  /// Classes of the labels; 0 when there are none.
  virtual int64_t classes() const { return 0; }
  /// This process's rows (its shard, below) of the batch of optimizer step `step`. The 2D targets
  /// draw fresh points from `gen` (the run's generator, which checkpoints carry) for the whole
  /// batch and keep the shard; image sets walk their own seeded order, a function of `step`
  /// alone, decode only the shard's images and leave `gen` untouched. Either way a resumed run,
  /// with any number of processes, sees the same batches.
  virtual DataBatch batch(int64_t step, int64_t size, at::Generator& gen) = 0;
  /// The 2D target behind the batches (for the 2D metrics and views), else nullptr.
  virtual const Dataset2D* target2D() const { return nullptr; }
};

/// The training data of `config` (data.*, training.seed and training.batch_size) for the rows of
/// `shard` (default: the whole batch). Relative files resolve against `baseDir`. Throws
/// ConfigError/FileError naming the key or file.
std::unique_ptr<TrainingData> makeTrainingData(const ExperimentConfig& config,
                                               const std::string& baseDir = "",
                                               const BatchShard* shard = nullptr);

}  // namespace flowscope
