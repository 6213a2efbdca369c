// What the image views ask the engine for (core/api/ImageQueries.h): paths stored at many times
// equal direct solves from the same noise, interpolation between stored times, the model's x1
// prediction, identical noise across runs, the NFE strip's convergence towards its reference,
// spherical noise interpolation, and clear errors for bad requests.

#include <gtest/gtest.h>
#include <torch/torch.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "core/api/Classifiers.h"
#include "core/api/ImageQueries.h"
#include "core/api/Sweeps.h"
#include "core/metrics/ClassifierFile.h"
#include "core/metrics/ClassifierScores.h"
#include "core/solvers/OdeSolver.h"
#include "core/train/TrainedFlow.h"
#include "core/train/Trainer.h"
#include "core/util/Error.h"
#include "tests/common/TinyIdx.h"

using namespace flowscope;
namespace fs = std::filesystem;

namespace {

class ImageQueries : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() / ("flowscope-imgq-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    test::writeIdxFolder(root_ / "mnist", 40);
    ot_ = train("ot", "cond_ot", false);
    vp_ = train("vp", "vp", false);
    conditional_ = train("cond", "cond_ot", true);
  }
  static void TearDownTestSuite() {
    ot_.reset();
    vp_.reset();
    conditional_.reset();
    fs::remove_all(root_);
  }

  static FlowModelPtr train(const std::string& name, const std::string& path, bool classes) {
    ExperimentConfig c;
    c.name = name;
    c.data.name = "mnist";
    c.data.root = (root_ / "mnist").string();
    c.data.loader_threads = 0;
    c.model.name = "unet";
    c.model.preset = "fashion_mnist28";
    c.model.channels = 8;
    c.model.groups = 4;
    if (classes) c.model.classes = 10;
    c.path.name = path;
    c.training.steps = 20;
    c.training.batch_size = 8;
    c.training.checkpoint_every = 20;
    c.training.device = "cpu";
    c.training.threads = 1;
    c.optimizer.lr = 3e-3;
    c.schedule.warmup_steps = 0;
    c.ema.decay = 0.5;
    const std::string dir = (root_ / name).string();
    Trainer(c, dir, StartMode::Fresh).train();
    return loadFlowModel(dir);
  }

  static fs::path root_;
  static FlowModelPtr ot_, vp_, conditional_;
};
fs::path ImageQueries::root_;
FlowModelPtr ImageQueries::ot_, ImageQueries::vp_, ImageQueries::conditional_;

ImageNoise noiseOf(int64_t count, uint64_t seed, std::vector<int64_t> labels = {}, double guidance = 1.0) {
  ImageNoise n;
  n.count = count;
  n.seed = seed;
  n.labels = std::move(labels);
  n.guidance = guidance;
  return n;
}

torch::Tensor asTensor(const float* data, int64_t n) {
  return torch::from_blob(const_cast<float*>(data), {n}, torch::kFloat32).clone();
}

TEST_F(ImageQueries, StoredStatesEqualDirectSolvesToEachTime) {
  const ImageNoise noise = noiseOf(6, 11);
  // Midpoint in 8 steps with 5 stored times: every stored time lies on the step grid.
  const ImagePath path = computeImagePath(*ot_, noise, 5, {"midpoint", 8}, false);
  ASSERT_TRUE(path.complete);
  EXPECT_EQ(path.shape, (ImageShape{1, 28, 28}));
  EXPECT_EQ(path.count, 6);
  ASSERT_EQ(path.times.size(), 5u);
  EXPECT_EQ(path.nfe, 16);
  const TrainedFlow& flow = ot_->flow();
  torch::NoGradGuard noGrad;
  const torch::Tensor x0 = flow.sampleNoise(6, 11);
  for (size_t k = 0; k < path.times.size(); ++k) {
    torch::Tensor direct = x0;
    if (k > 0) {
      SolveOptions o = flow.defaultSolveOptions();
      o.method = SolverMethod::Midpoint;
      o.t1 = path.times[k];
      o.steps = static_cast<int>(2 * k);
      direct = solve(flow.velocity(), x0, o).final();
    }
    const torch::Tensor stored = asTensor(path.at(k, 0), path.frameSize()).view({6, 784});
    EXPECT_TRUE(torch::allclose(stored, direct, 1e-5, 1e-5)) << "time index " << k;
  }
  // The end of the path is what sampleImages gives from the same noise.
  const ImageBatch end = sampleImages(*ot_, noise, {"midpoint", 8});
  EXPECT_EQ(end.nfe, 16);
  EXPECT_TRUE(torch::allclose(asTensor(end.pixels.data(), path.frameSize()),
                              asTensor(path.at(4, 0), path.frameSize()), 1e-6, 1e-6));
}

TEST_F(ImageQueries, ScrubbingInterpolatesBetweenStoredTimesAndClamps) {
  const ImagePath path = computeImagePath(*ot_, noiseOf(3, 2), 3, {"euler", 4}, false);
  std::vector<float> frame;
  const int64_t n = path.frameSize();
  const double mid = 0.25 * path.times[0] + 0.75 * path.times[1];
  path.framesAt(mid, ImageKind::State, frame);
  for (int64_t i = 0; i < n; i += 97)
    EXPECT_NEAR(frame[i], 0.25f * path.at(0, 0)[i] + 0.75f * path.at(1, 0)[i], 1e-6);
  path.framesAt(-1.0, ImageKind::State, frame);
  EXPECT_EQ(frame[5], path.at(0, 0)[5]);
  path.framesAt(2.0, ImageKind::State, frame);
  EXPECT_EQ(frame[5], path.at(2, 0)[5]);
}

TEST_F(ImageQueries, ThePredictionOfX1OnTheOtPathIsXPlusOneMinusTTimesV) {
  const ImagePath path = computeImagePath(*ot_, noiseOf(4, 3), 5, {"midpoint", 8}, true);
  ASSERT_TRUE(path.hasPrediction());
  const TrainedFlow& flow = ot_->flow();
  torch::NoGradGuard noGrad;
  for (size_t k = 1; k < 4; ++k) {
    const torch::Tensor x = asTensor(path.at(k, 0), path.frameSize()).view({4, 784});
    const double t = path.times[k];
    const torch::Tensor v = flow.velocityAt(x, torch::full({4, 1}, t));
    // sigma_min = 1e-4 moves E[x1|x] from x + (1 - t) v by O(sigma_min).
    const torch::Tensor expected = x + (1 - t) * v;
    const torch::Tensor got = asTensor(path.at(k, 0, ImageKind::Predicted), path.frameSize()).view({4, 784});
    EXPECT_LT((got - expected).abs().max().item<double>(), 2e-3) << "t = " << t;
    // And it is not just x: the network's velocity is in it.
    EXPECT_GT((got - x).abs().max().item<double>(), 1e-2);
  }
}

TEST_F(ImageQueries, EveryRunStartsSampleIFromTheSameNoise) {
  const ImagePath a = computeImagePath(*ot_, noiseOf(5, 9), 3, {"euler", 2}, false);
  const ImagePath b = computeImagePath(*vp_, noiseOf(5, 9), 3, {"euler", 2}, false);
  const ImagePath fewer = computeImagePath(*ot_, noiseOf(2, 9), 3, {"euler", 2}, false);
  ASSERT_EQ(a.shape, b.shape);
  // x0 = priorStd * eps with the same eps: the VP path's p_0 has std sqrt(1 - alpha_0^2), not 1.
  const float sa = static_cast<float>(ot_->flow().priorStd()), sb = static_cast<float>(vp_->flow().priorStd());
  EXPECT_NE(sa, sb);
  for (int64_t i = 0; i < a.shape.size() * 5; ++i) ASSERT_FLOAT_EQ(a.at(0, 0)[i] / sa, b.at(0, 0)[i] / sb) << i;
  // Sample i's noise does not depend on how many samples are asked for.
  for (int64_t i = 0; i < a.shape.size() * 2; ++i) ASSERT_EQ(a.at(0, 0)[i], fewer.at(0, 0)[i]) << i;
  // A different seed is different noise; the two runs end in different images.
  const ImagePath other = computeImagePath(*ot_, noiseOf(5, 10), 3, {"euler", 2}, false);
  EXPECT_NE(other.at(0, 0)[0], a.at(0, 0)[0]);
  EXPECT_GT(imageMse(a.at(2, 0), b.at(2, 0), a.shape.size()), 1e-4);
}

TEST_F(ImageQueries, TheNfeStripConvergesToItsReferenceAndTheReferenceIsADirectSolve) {
  const ImageNoise noise = noiseOf(4, 5);
  const SolverSpec reference{"rk4", 64};
  std::vector<size_t> partials;
  const ImageNfeStrip strip = computeImageNfeStrip(*ot_, noise, "euler", {1, 2, 4, 8, 16}, reference, 1e-4,
                                                   [&](const ImageNfeStrip& s) { partials.push_back(s.columns.size()); });
  ASSERT_TRUE(strip.complete);
  EXPECT_EQ(partials, (std::vector<size_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(strip.nfe, (std::vector<int64_t>{1, 2, 4, 8, 16}));
  EXPECT_EQ(strip.reference.nfe, 256);
  const ImageBatch direct = sampleImages(*ot_, noise, reference);
  EXPECT_EQ(direct.pixels, strip.reference.pixels);
  for (size_t c = 1; c < strip.meanMse.size(); ++c)
    EXPECT_LT(strip.meanMse[c], strip.meanMse[c - 1]) << "NFE " << strip.nfe[c];
  // Euler is first order: doubling the steps about halves the error, so the MSE falls ~4x.
  EXPECT_LT(strip.meanMse.back(), strip.meanMse[2] / 4);
  ASSERT_EQ(strip.adaptive.count, 4);
  EXPECT_GT(strip.adaptive.nfe, 0);
  for (double m : strip.adaptiveMse) EXPECT_LT(m, strip.meanMse.back());
  // Midpoint budgets: two evaluations per step.
  const ImageNfeStrip mid = computeImageNfeStrip(*ot_, noise, "midpoint", {2, 8}, reference, 0);
  EXPECT_EQ(mid.nfe, (std::vector<int64_t>{2, 8}));
  EXPECT_EQ(mid.adaptive.count, 0);
}

TEST_F(ImageQueries, SphericalInterpolationStartsAndEndsAtTheTwoSamples) {
  const SolverSpec solver{"midpoint", 4};
  const ImageBatch line = interpolateNoise(*ot_, 4, 1, 3, 5, solver);
  ASSERT_EQ(line.count, 5);
  const ImageBatch samples = sampleImages(*ot_, noiseOf(4, 4), solver);
  const int64_t d = samples.shape.size();
  EXPECT_LT(imageMse(line.image(0), samples.image(1), d), 1e-10);
  EXPECT_LT(imageMse(line.image(4), samples.image(3), d), 1e-10);
  EXPECT_GT(imageMse(line.image(2), samples.image(1), d), 1e-4);
}

TEST_F(ImageQueries, ClassLabelsAndBadRequestsGetClearErrors) {
  // An unconditional model has no classes to pick.
  try {
    computeImagePath(*ot_, noiseOf(2, 0, {3}), 3, {"euler", 2}, false);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("unconditional"), std::string::npos) << e.what();
  }
  EXPECT_EQ(modelClasses(*conditional_), 10);
  EXPECT_THROW(computeImagePath(*conditional_, noiseOf(2, 0, {10}), 3, {"euler", 2}, false), InputError);
  EXPECT_THROW(computeImagePath(*conditional_, noiseOf(3, 0, {1, 2}), 3, {"euler", 2}, false), InputError);
  // One label for the grid or one per sample; a label changes the samples, guidance scales it.
  const ImageBatch one = sampleImages(*conditional_, noiseOf(2, 0, {3}, 1.0), {"euler", 4});
  const ImageBatch each = sampleImages(*conditional_, noiseOf(2, 0, {3, 3}, 1.0), {"euler", 4});
  const ImageBatch other = sampleImages(*conditional_, noiseOf(2, 0, {7}, 1.0), {"euler", 4});
  EXPECT_EQ(one.pixels, each.pixels);
  EXPECT_NE(one.pixels, other.pixels);
  EXPECT_THROW(computeImagePath(*ot_, noiseOf(0, 0), 3, {"euler", 2}, false), InputError);
  EXPECT_THROW(computeImagePath(*ot_, noiseOf(2, 0), 1, {"euler", 2}, false), InputError);
  EXPECT_THROW(computeImageNfeStrip(*ot_, noiseOf(2, 0), "dopri5", {1}, {"rk4", 8}, 0), InputError);
  EXPECT_THROW(computeImageNfeStrip(*ot_, noiseOf(2, 0), "euler", {}, {"rk4", 8}, 0), InputError);
  EXPECT_EQ(imageShapeOf(ot_->config().data), (ImageShape{1, 28, 28}));
  EXPECT_TRUE(isImageData(ot_->config().data));
  DataConfig points;
  EXPECT_FALSE(isImageData(points));
  DataConfig fashion;
  fashion.name = "fashion_mnist";
  EXPECT_EQ(imageClassNames(fashion).size(), 10u);
  EXPECT_EQ(imageClassNames(fashion)[9], "Ankle boot");
}

TEST_F(ImageQueries, ACancelledRequestReturnsIncomplete) {
  std::atomic<bool> cancel{true};
  const ImagePath path = computeImagePath(*ot_, noiseOf(2, 0), 3, {"euler", 4}, false, &cancel);
  EXPECT_FALSE(path.complete);
  const ImageNfeStrip strip = computeImageNfeStrip(*ot_, noiseOf(2, 0), "euler", {1, 2}, {"rk4", 8}, 0, {}, &cancel);
  EXPECT_FALSE(strip.complete);
}

TEST_F(ImageQueries, AClassifierScoresEverySweepRowOnThatSolvesOwnSamples) {
  ClassifierJob job;
  job.epochs = 2;
  job.batchSize = 8;
  job.loaderThreads = 0;
  const std::string file = (root_ / "clf.pt").string();
  const ClassifierSummary made = trainClassifierFile(ot_->config().data, "", job, file);
  ASSERT_TRUE(made.completed);
  EXPECT_EQ(made.dataset, "mnist");
  EXPECT_EQ(made.referenceCount, 40);

  SweepSpec spec;
  spec.solvers = {"euler"};
  spec.steps = {1, 4};
  spec.tolerances = {};
  spec.n = 12;
  spec.seed = 5;
  spec.reference = "rk4:8";
  spec.classifier = file;
  const SweepResult r = sweepModel(*ot_, spec);
  ASSERT_EQ(r.rows.size(), 2u);
  // Each row's FD is the classifier's FD of that row's samples: the same solve, scored directly.
  ClassifierRecord clf = loadClassifier(file);
  const TrainedFlow& flow = ot_->flow();
  torch::NoGradGuard noGrad;
  for (const SweepRow& row : r.rows) {
    SolveOptions o = flow.defaultSolveOptions();
    o.method = SolverMethod::Euler;
    o.steps = row.steps;
    const torch::Tensor x = solve(flow.velocity(), flow.sampleNoise(12, 5), o).final().cpu();
    const auto direct = classifierMetrics(clf, asEightBitImages(x, flow.sampleShape()));
    ASSERT_TRUE(row.metrics.count("classifier_fd")) << row.steps;
    EXPECT_NEAR(row.metrics.at("classifier_fd"), direct.at("classifier_fd"), 1e-6 * (1 + direct.at("classifier_fd")))
        << row.steps;
    EXPECT_GT(row.metrics.at("classifier_fd"), 0);
  }
  EXPECT_NE(r.rows[0].metrics.at("classifier_fd"), r.rows[1].metrics.at("classifier_fd"));

  // A classifier of other data, and one for a 2D-style misuse: errors naming the file.
  ClassifierRecord other = loadClassifier(file);
  other.dataset = "fashion_mnist";
  const std::string otherFile = (root_ / "other.pt").string();
  saveClassifier(other, otherFile);
  spec.classifier = otherFile;
  try {
    sweepModel(*ot_, spec);
    ADD_FAILURE() << "a classifier of another dataset was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(otherFile + ": a classifier of fashion_mnist"), std::string::npos) << e.what();
  }
  spec.classifier = (root_ / "missing.pt").string();
  EXPECT_THROW(sweepModel(*ot_, spec), FileError);
}

}  // namespace
