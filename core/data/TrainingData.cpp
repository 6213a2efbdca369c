#include "core/data/TrainingData.h"

#include "core/config/ExperimentConfig.h"
#include "core/data/Dataset2D.h"
#include "core/data/ImageDatasets.h"
#include "core/data/ImageTrainingData.h"

#include <torch/torch.h>

namespace flowscope {
namespace {

/// A 2D target: i.i.d. draws from the run's generator, as the 2D runs have always trained.
class PointTrainingData final : public TrainingData {
 public:
  PointTrainingData(std::unique_ptr<Dataset2D> data, BatchShard shard) : data_(std::move(data)), shard_(shard) {}
  std::vector<int64_t> sampleShape() const override { return {2}; }
  DataBatch batch(int64_t, int64_t size, at::Generator& gen) override {
    torch::Tensor x = data_->sample(size, gen);
    if (!shard_.isWhole()) x = x.narrow(0, shard_.offset, shard_.count);
    return {x, {}};
  }
  const Dataset2D* target2D() const override { return data_.get(); }

 private:
  std::unique_ptr<Dataset2D> data_;
  BatchShard shard_;
};

}  // namespace

std::unique_ptr<TrainingData> makeTrainingData(const ExperimentConfig& config,
                                               const std::string& baseDir, const BatchShard* shard) {
  const BatchShard s = shard ? *shard : BatchShard::whole(config.training.batch_size);
  if (isImageDataset(config.data.name))
    return std::make_unique<ImageTrainingData>(config, baseDir, s);
  return std::make_unique<PointTrainingData>(makeDataset(config.data, baseDir), s);
}

}  // namespace flowscope
