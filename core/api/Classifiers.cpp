#include "core/api/Classifiers.h"

#include <memory>

#include "core/data/ImageDatasets.h"
#include "core/metrics/ClassifierTraining.h"
#include "core/util/Error.h"

namespace flowscope {
namespace {
struct Cancelled {};  // unwinds trainFeatureClassifier from its progress callback
}  // namespace

ClassifierSummary trainClassifierFile(const DataConfig& data, const std::string& baseDir, const ClassifierJob& job,
                                      const std::string& out, const std::function<void(int64_t, int64_t)>& progress,
                                      const std::atomic<bool>* cancel) {
  if (!isImageDataset(data.name))
    throw ConfigError("data.name", "data.name '" + data.name +
                                       "' is not an image dataset (the classifier FD scores image runs)");
  auto train = std::make_shared<ImageSet>(loadImageSet(data, "train", baseDir));
  const ImageSet test = loadImageSet(data, "test", baseDir);
  ClassifierTrainingOptions o;
  o.epochs = job.epochs;
  o.batchSize = job.batchSize;
  o.learningRate = job.learningRate;
  o.seed = job.seed;
  o.loaderThreads = job.loaderThreads;
  o.flip = data.flip;
  ClassifierSummary summary;
  ClassifierRecord r;
  try {
    r = trainFeatureClassifier(train, test, o, [&](const ClassifierProgress& p) {
      if (cancel && cancel->load()) throw Cancelled{};
      if (progress) progress(p.step, p.steps);
    });
  } catch (const Cancelled&) {
    summary.completed = false;
    return summary;
  }
  r.dataset = data.name;
  saveClassifier(r, out);
  summary.path = out;
  summary.dataset = r.dataset;
  summary.testAccuracy = r.testAccuracy;
  summary.referenceCount = r.reference.count;
  return summary;
}

}  // namespace flowscope
