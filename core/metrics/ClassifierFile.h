#pragma once
// The classifier file that `flowscope-cli train-classifier` writes and `eval --classifier` reads:
// the FeatureClassifier's weights and shape, which dataset it was trained on, its test accuracy,
// and the feature statistics of the dataset's test split (the reference of the classifier FD,
// cached so each eval needs only the samples' features). Torch archive + CRC-32 trailer,
// written atomically.

#include <cstdint>
#include <string>
#include <vector>

#include "core/metrics/FeatureClassifier.h"
#include "core/metrics/FrechetDistance.h"

namespace flowscope {

struct ClassifierRecord {
  FeatureClassifier net{nullptr};
  std::string dataset;        ///< data.name it was trained on
  std::string source;         ///< the files it was trained on
  double testAccuracy = 0;    ///< on the reference split
  FeatureStats reference;     ///< features of the reference split (covariance / (N - 1))
  std::string referenceSplit = "test";
  int64_t epochs = 0;
};

/// Throws FileError naming `path`.
void saveClassifier(const ClassifierRecord& record, const std::string& path);
/// Throws FileError (missing, another kind of file, inconsistent shapes) or DamagedFileError.
ClassifierRecord loadClassifier(const std::string& path);
/// The classifier at `path`, checked to be of `dataset` (data.name) and of images `shape`
/// {C, H, W}: the one a run's samples can be scored with. Throws InputError/FileError naming it.
ClassifierRecord loadClassifierFor(const std::string& path, const std::string& dataset,
                                   const std::vector<int64_t>& shape);

}  // namespace flowscope
