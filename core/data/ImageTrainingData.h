#pragma once
// Training batches from an image dataset: the "train" split through an ImageLoader (background
// decode and augment threads, seeded epoch order), scaled to [-1, 1] (eq. 36-37) and flattened.
// Batch `step` is the loader's batch `step`, so resume needs no loader state in checkpoints.

#include <memory>
#include <string>

#include "core/data/TrainingData.h"

namespace flowscope {

class ImageLoader;
struct ImageSet;

class ImageTrainingData final : public TrainingData {
 public:
  /// Reads the training split of config.data. Throws ConfigError/FileError/InputError (a batch
  /// larger than the dataset, naming training.batch_size).
  ImageTrainingData(const ExperimentConfig& config, const std::string& baseDir,
                    BatchShard shard = {});
  ~ImageTrainingData() override;

  std::vector<int64_t> sampleShape() const override;
  int64_t classes() const override;
  DataBatch batch(int64_t step, int64_t size, at::Generator& gen) override;
  const ImageSet& images() const;

 private:
  std::unique_ptr<ImageLoader> loader_;
  int64_t batchSize_;
};

}  // namespace flowscope
