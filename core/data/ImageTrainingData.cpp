#include "core/data/ImageTrainingData.h"

#include "core/config/ExperimentConfig.h"
#include "core/data/ImageDatasets.h"
#include "core/data/ImageLoader.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {

// Mixed into training.seed so the data order is not correlated with the noise and t draws of
// the run's own generator.
constexpr uint64_t kDataOrderTag = 0x1a9e5d0full;

}  // namespace

ImageTrainingData::ImageTrainingData(const ExperimentConfig& config, const std::string& baseDir,
                                     BatchShard shard)
    : batchSize_(config.training.batch_size) {
  auto set = std::make_shared<ImageSet>(loadImageSet(config.data, "train", baseDir));
  if (config.training.batch_size > set->count)
    throw ConfigError("training.batch_size",
                      "training.batch_size: " + std::to_string(config.training.batch_size) +
                          " is more than the " + std::to_string(set->count) + " images of " +
                          set->source + " (expected at most that)");
  ImageLoaderOptions o;
  o.batchSize = config.training.batch_size;
  o.seed = config.training.seed ^ kDataOrderTag;
  o.threads = config.data.loader_threads;
  o.preprocess.dequantize = config.data.dequantize;
  o.preprocess.randomFlip = config.data.flip;
  o.pinMemory = config.training.device != "cpu";
  if (!shard.isWhole()) {  // the distributed sampler: decode only our rows
    o.shardOffset = shard.offset;
    o.shardCount = shard.count;
  }
  loader_ = std::make_unique<ImageLoader>(std::move(set), o);
}

ImageTrainingData::~ImageTrainingData() = default;

std::vector<int64_t> ImageTrainingData::sampleShape() const {
  const ImageSet& s = loader_->set();
  return {s.channels, s.height, s.width};
}

int64_t ImageTrainingData::classes() const { return loader_->set().classes; }

const ImageSet& ImageTrainingData::images() const { return loader_->set(); }

DataBatch ImageTrainingData::batch(int64_t step, int64_t size, at::Generator&) {
  if (size != batchSize_)
    throw InputError("image batches are " + std::to_string(batchSize_) + " images (training."
                     "batch_size); got a request for " + std::to_string(size));
  ImageBatch b = loader_->batch(step);
  return {b.images.flatten(1), b.labels};
}

}  // namespace flowscope
