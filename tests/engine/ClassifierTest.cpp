// The classifier behind the classifier FD: it learns a labelled image set, its file round-trips
// exactly and refuses other or damaged files, and its scores tell data from noise (FD near 0
// for the reference split itself, large for noise; confident on data).

#include <gtest/gtest.h>
#include <torch/torch.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "core/io/ChecksumTrailer.h"
#include "core/metrics/ClassifierFile.h"
#include "core/metrics/ClassifierScores.h"
#include "core/metrics/ClassifierTraining.h"
#include "core/util/Error.h"

using namespace flowscope;

namespace {

/// `n` 1x12x12 images of 4 classes: class c is a bright 3-row band at rows 3c..3c+2 on a dark
/// noisy background.
std::shared_ptr<ImageSet> bands(int64_t n, unsigned seed) {
  auto s = std::make_shared<ImageSet>();
  s->count = n;
  s->channels = 1;
  s->height = 12;
  s->width = 12;
  s->classes = 4;
  s->source = "bands";
  std::mt19937 rng(seed);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t c = i % 4;
    s->labels.push_back(c);
    for (int y = 0; y < 12; ++y)
      for (int x = 0; x < 12; ++x)
        s->pixels.push_back(static_cast<uint8_t>(y / 3 == c ? 190 + rng() % 60 : rng() % 40));
  }
  return s;
}

ClassifierTrainingOptions smallOptions() {
  ClassifierTrainingOptions o;
  o.epochs = 4;
  o.batchSize = 32;
  o.widths = {8, 16};
  o.seed = 3;
  o.loaderThreads = 1;
  return o;
}

std::string tempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("flowscope-clf-" + name + "-" + std::to_string(::getpid()))).string();
}

}  // namespace

TEST(FeatureClassifier, LearnsALabelledSetAndScoresDataAgainstNoise) {
  const auto train = bands(256, 1);
  const auto test = bands(96, 2);
  int reports = 0;
  const ClassifierRecord r = trainFeatureClassifier(train, *test, smallOptions(), [&](const ClassifierProgress& p) {
    EXPECT_LE(p.step, p.steps);
    ++reports;
  });
  EXPECT_GT(reports, 0);
  EXPECT_GE(r.testAccuracy, 0.95);
  EXPECT_EQ(r.reference.count, 96);

  // The reference split scored again: FD to its own statistics is ~0 (the same images, the
  // same net), the labels are confident and spread over all 4 classes.
  auto [x, y] = centeredImages(*test);
  FeatureClassifier net = r.net;
  const ClassifierScores self = scoreImages(net, x, y);
  EXPECT_NEAR(frechetDistance(self.features, r.reference), 0.0, 1e-6);
  EXPECT_GE(self.accuracy, 0.95);
  EXPECT_NEAR(self.labelEntropy, std::log(4.0), 0.05);

  // Uniform noise images: far in feature space.
  torch::manual_seed(4);
  const ClassifierScores noise = scoreImages(net, torch::rand({96, 1, 12, 12}) * 2 - 1);
  const ClassifierScores other = scoreImages(net, centeredImages(*bands(96, 5)).first);
  const double fdNoise = frechetDistance(noise.features, r.reference);
  const double fdOther = frechetDistance(other.features, r.reference);
  EXPECT_GT(fdNoise, 10 * fdOther) << "noise " << fdNoise << ", fresh data " << fdOther;
  EXPECT_GT(self.meanMaxProbability, noise.meanMaxProbability);
}

TEST(FeatureClassifier, FileRoundTripsExactlyAndRejectsOtherFiles) {
  ClassifierTrainingOptions o = smallOptions();
  o.epochs = 1;
  ClassifierRecord r = trainFeatureClassifier(bands(64, 1), *bands(16, 2), o);
  const std::string path = tempPath("roundtrip");
  ClassifierRecord named = r;
  named.dataset = "bands";
  saveClassifier(named, path);
  ClassifierRecord back = loadClassifier(path);
  EXPECT_EQ(back.dataset, "bands");
  EXPECT_EQ(back.testAccuracy, r.testAccuracy);
  EXPECT_EQ(back.net->options().widths, r.net->options().widths);
  EXPECT_TRUE(torch::equal(back.reference.cov, r.reference.cov));
  const torch::Tensor x = centeredImages(*bands(8, 9)).first;
  torch::NoGradGuard noGrad;
  EXPECT_TRUE(torch::equal(back.net->forward(x), r.net->forward(x)));

  // A feature-statistics file is not a classifier; a flipped byte is damage; absence is named.
  const std::string stats = tempPath("stats");
  saveFeatureStats(r.reference, "x", stats);
  EXPECT_THROW(loadClassifier(stats), FileError);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(200);
    f.put('\x5a');
  }
  EXPECT_THROW(loadClassifier(path), DamagedFileError);
  std::filesystem::remove(path);
  std::filesystem::remove(stats);
  try {
    loadClassifier(path);
    FAIL() << "a missing file loaded";
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
  }
}

TEST(FeatureClassifier, RefusesUnlabelledOrMismatchedData) {
  auto unlabelled = bands(32, 1);
  unlabelled->labels.clear();
  unlabelled->classes = 0;
  EXPECT_THROW(trainFeatureClassifier(unlabelled, *bands(8, 2), smallOptions()), InputError);
  auto wide = bands(8, 2);
  wide->width = 6;
  wide->count = 16;
  EXPECT_THROW(trainFeatureClassifier(bands(32, 1), *wide, smallOptions()), InputError);
  FeatureClassifier net(FeatureClassifierOptions{1, 12, 12, 4, {8}});
  EXPECT_THROW(net->forward(torch::zeros({2, 3, 12, 12})), InputError);
}
