#include "core/data/TrainingData.h"

#include "core/config/ExperimentConfig.h"
#include "core/data/Dataset2D.h"
#include "core/data/ImageDatasets.h"
#include "core/data/ImageTrainingData.h"

namespace flowscope {
namespace {

/// A 2D target: i.i.d. draws from the run's generator, as the 2D runs have always trained.
class PointTrainingData final : public TrainingData {
 public:
  explicit PointTrainingData(std::unique_ptr<Dataset2D> data) : data_(std::move(data)) {}
  std::vector<int64_t> sampleShape() const override { return {2}; }
  DataBatch batch(int64_t, int64_t size, at::Generator& gen) override {
    return {data_->sample(size, gen), {}};
  }
  const Dataset2D* target2D() const override { return data_.get(); }

 private:
  std::unique_ptr<Dataset2D> data_;
};

}  // namespace

std::unique_ptr<TrainingData> makeTrainingData(const ExperimentConfig& config,
                                               const std::string& baseDir) {
  if (isImageDataset(config.data.name))
    return std::make_unique<ImageTrainingData>(config, baseDir);
  return std::make_unique<PointTrainingData>(makeDataset(config.data, baseDir));
}

}  // namespace flowscope
