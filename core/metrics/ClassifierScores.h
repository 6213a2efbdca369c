#pragma once
// What a FeatureClassifier says about a set of images: the statistics of its features (for the
// Fréchet distance against a reference set) and how confidently it labels them. A generator
// whose samples the classifier labels with high confidence, spread over the classes, makes
// recognizable images of the dataset.

#include <torch/types.h>

#include <cstdint>
#include <vector>

#include "core/metrics/FeatureClassifier.h"
#include "core/metrics/FrechetDistance.h"

namespace flowscope {

struct ClassifierScores {
  FeatureStats features;               ///< of FeatureClassifier::features
  double meanMaxProbability = 0;       ///< mean over images of the top softmax probability
  double confidentShare = 0;           ///< share of images whose top probability >= threshold
  double accuracy = -1;                ///< against `labels` when given, else -1
  std::vector<int64_t> classCounts;    ///< predicted labels per class
  /// Entropy of the predicted-label histogram in nats (log(classes) when spread evenly).
  double labelEntropy = 0;
};

/// Scores images [N, C, H, W] in [-1, 1] (float, CPU) in batches of `batchSize` with `net` in
/// eval mode. `labels` (int64 [N]) is optional. Throws InputError for N < 2 or a wrong shape.
ClassifierScores scoreImages(FeatureClassifier& net, const torch::Tensor& images,
                             const torch::Tensor& labels = {}, int64_t batchSize = 256,
                             double confidenceThreshold = 0.9);

}  // namespace flowscope
