#pragma once
// What a FeatureClassifier says about a set of images: the statistics of its features (for the
// Fréchet distance against a reference set) and how confidently it labels them. A generator
// whose samples the classifier labels with high confidence, spread over the classes, makes
// recognizable images of the dataset.

#include <torch/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/metrics/FeatureClassifier.h"
#include "core/metrics/FrechetDistance.h"

namespace flowscope {
struct ClassifierRecord;
}

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

/// Generated samples [N, C*H*W] (or [N, C, H, W]) as the images a PNG of them holds: each value
/// rounded to its 8-bit pixel (clamped) and mapped back to that pixel's bin centre, [N, C, H, W].
/// Scoring these, not the raw floats, puts samples and the dataset's 8-bit images on one footing.
torch::Tensor asEightBitImages(const torch::Tensor& samples, const std::vector<int64_t>& shape);

/// The classifier metrics of `images` [N, C, H, W] against the record's reference split, as the
/// keys eval and sweep print: classifier_fd, classifier_confident, classifier_mean_max_prob,
/// classifier_label_entropy.
std::map<std::string, double> classifierMetrics(ClassifierRecord& record, const torch::Tensor& images);

}  // namespace flowscope
