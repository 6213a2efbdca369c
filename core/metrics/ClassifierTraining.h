#pragma once
// Training the FeatureClassifier of the classifier FD on a labelled image dataset: Adam with a
// cosine learning-rate decay, batches from the seeded ImageLoader (dequantized, optionally
// flipped), then the test accuracy and the test split's feature statistics.
//
//   ClassifierTrainingOptions o;  o.epochs = 2;
//   ClassifierRecord r = trainFeatureClassifier(train, test, o, [](const ClassifierProgress& p) {...});
//   saveClassifier(r, "fashion-classifier.pt");

#include <functional>
#include <memory>

#include "core/images/ImageSet.h"
#include "core/metrics/ClassifierFile.h"

namespace flowscope {

struct ClassifierTrainingOptions {
  int64_t epochs = 2;
  int64_t batchSize = 128;
  double learningRate = 2e-3;
  uint64_t seed = 0;
  int loaderThreads = 2;
  bool flip = false;
  std::vector<int64_t> widths{32, 64, 128};
};

struct ClassifierProgress {
  int64_t step = 0, steps = 0;  ///< optimizer steps done and in all
  double loss = 0;              ///< mean cross-entropy over the last reported stretch
  double trainAccuracy = 0;     ///< over the same stretch
};

/// Throws InputError for unlabelled sets, mismatched train/test shapes or bad options.
ClassifierRecord trainFeatureClassifier(std::shared_ptr<const ImageSet> train, const ImageSet& test,
                                        const ClassifierTrainingOptions& options,
                                        const std::function<void(const ClassifierProgress&)>& progress = {});

/// The test split as floats [N, C, H, W] at the pixel-bin centres (no dequantization noise)
/// and its labels [N].
std::pair<torch::Tensor, torch::Tensor> centeredImages(const ImageSet& set);

}  // namespace flowscope
