// Images through the same engine: the datasets of data.name, the U-Net built from model.*, the
// Trainer (loss, resume, thread-count independence, NaN guard), class-conditional training and
// classifier-free guidance at sampling, and samples of the image's shape.

#include <gtest/gtest.h>
#include <torch/torch.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "core/data/DataShape.h"
#include "core/data/ImageDatasets.h"
#include "core/data/TrainingData.h"
#include "core/api/Classifiers.h"
#include "core/eval/ChunkedSampling.h"
#include "core/train/Evaluation.h"
#include "core/train/MetricsLog.h"
#include "core/train/TrainedFlow.h"
#include "core/train/Trainer.h"
#include "core/train/TrainerState.h"
#include "core/util/Error.h"
#include "core/util/Random.h"
#include "tests/common/TinyIdx.h"

using namespace flowscope;
namespace fs = std::filesystem;

namespace {

class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("flowscope-img-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

ExperimentConfig imageConfig(const TempDir& dir) {
  test::writeIdxFolder(dir.path() / "mnist", 40);
  ExperimentConfig c;
  c.name = "images";
  c.data.name = "mnist";
  c.data.root = (dir.path() / "mnist").string();
  c.data.loader_threads = 2;
  c.model.name = "unet";
  c.model.preset = "fashion_mnist28";
  c.model.channels = 8;
  c.model.groups = 4;
  c.training.steps = 6;
  c.training.batch_size = 8;
  c.training.checkpoint_every = 3;
  c.training.log_every = 1;
  c.training.device = "cpu";
  c.training.threads = 1;
  c.ema.decay = 0.9;
  c.optimizer.lr = 1e-3;
  c.sampling.solver = "euler";
  c.sampling.steps = 4;
  return c;
}

std::vector<torch::Tensor> params(torch::nn::Module& m) {
  std::vector<torch::Tensor> out;
  for (auto& p : m.parameters()) out.push_back(p.detach().clone());
  return out;
}

void expectEqualParams(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(torch::equal(a[i], b[i])) << "parameter " << i;
}

}  // namespace

TEST(ImageDatasets, ShapesClassesAndSplitsComeFromTheConfig) {
  TempDir dir;
  const ExperimentConfig c = imageConfig(dir);
  EXPECT_EQ(dataShape(c.data), (std::vector<int64_t>{1, 28, 28}));
  EXPECT_EQ(dataDim(c.data), 784);
  EXPECT_EQ(imageClasses(c.data), 10);
  DataConfig cifar;
  cifar.name = "cifar10";
  EXPECT_EQ(dataShape(cifar), (std::vector<int64_t>{3, 32, 32}));
  DataConfig points;
  EXPECT_EQ(dataShape(points), (std::vector<int64_t>{2}));

  const ImageSet train = loadImageSet(c.data, "train");
  EXPECT_EQ(train.count, 40);
  EXPECT_EQ(train.labels[13], 3);
  DataConfig limited = c.data;
  limited.limit = 12;
  const ImageSet test = loadImageSet(limited, "test");
  EXPECT_EQ(test.count, 12);
  EXPECT_EQ(test.labels.size(), 12u);
  EXPECT_THROW(loadImageSet(c.data, "validation"), InputError);
  DataConfig missing = c.data;
  missing.root = (dir.path() / "nowhere").string();
  try {
    loadImageSet(missing, "train");
    FAIL();
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("data.root"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("nowhere"), std::string::npos) << e.what();
  }
  DataConfig noRoot;
  noRoot.name = "cifar10";
  try {
    loadImageSet(noRoot, "train");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "data.root");
  }
}

TEST(ImageTraining, TrainingDataBatchesAreFlatImagesInMinusOneToOneWithLabels) {
  TempDir dir;
  const ExperimentConfig c = imageConfig(dir);
  const auto data = makeTrainingData(c);
  EXPECT_EQ(data->sampleShape(), (std::vector<int64_t>{1, 28, 28}));
  EXPECT_EQ(data->classes(), 10);
  at::Generator gen = makeGenerator(0);
  const DataBatch b = data->batch(0, 8, gen);
  EXPECT_EQ(b.x1.sizes(), torch::IntArrayRef({8, 784}));
  EXPECT_GE(b.x1.min().item<float>(), -1.f);
  EXPECT_LT(b.x1.max().item<float>(), 1.f);
  ASSERT_TRUE(b.labels.defined());
  EXPECT_EQ(b.labels.sizes(), torch::IntArrayRef({8}));
  // The label's band is the bright rows of its image.
  for (int64_t i = 0; i < 8; ++i) {
    const int64_t label = b.labels[i].item<int64_t>();
    const torch::Tensor rows = b.x1[i].reshape({28, 28}).mean(1);
    EXPECT_GT(rows[2 * label + 2].item<float>(), 0.3f) << i;
  }
  EXPECT_THROW(data->batch(0, 7, gen), InputError);
}

TEST(ImageTraining, ResumeAndLoaderThreadsGiveTheSameWeightsAsOneUninterruptedRun) {
  TempDir dir;
  ExperimentConfig c = imageConfig(dir);
  c.data.flip = true;
  Trainer straight(c, dir / "straight", StartMode::Fresh);
  straight.train();
  {
    Trainer first(c, dir / "resumed", StartMode::Fresh);
    first.train(3);
  }
  ExperimentConfig other = c;
  other.data.loader_threads = 0;  // may change between runs: the batches do not depend on it
  Trainer resumed(other, dir / "resumed", StartMode::Resume);
  EXPECT_EQ(resumed.step(), 3);
  resumed.train();
  expectEqualParams(params(*resumed.state().model), params(*straight.state().model));
  expectEqualParams(params(*resumed.state().emaModel), params(*straight.state().emaModel));
}

TEST(ImageTraining, TrainingLowersTheLossOnImages) {
  TempDir dir;
  ExperimentConfig c = imageConfig(dir);
  c.training.steps = 60;
  c.training.checkpoint_every = 60;
  c.optimizer.lr = 3e-3;
  c.schedule.warmup_steps = 0;
  std::vector<double> losses;
  TrainerHooks hooks;
  hooks.progressIntervalMs = 0;
  hooks.progress = [&](const TrainProgress& p) { losses.push_back(p.loss); };
  Trainer trainer(c, dir / "run", StartMode::Fresh, hooks);
  trainer.train();
  ASSERT_GE(losses.size(), 50u);
  const auto mean = [&](size_t from, size_t to) {
    double s = 0;
    for (size_t i = from; i < to; ++i) s += losses[i];
    return s / static_cast<double>(to - from);
  };
  // A fresh U-Net is the zero field (loss E|x1 - x0|^2 ~ 1.4 here); it learns quickly.
  EXPECT_LT(mean(losses.size() - 10, losses.size()), 0.8 * mean(0, 5));
}

TEST(ImageTraining, EvaluationWritesBpdAndTheClassifierFdOfFixedNoiseIntoMetrics) {
  TempDir dir;
  ExperimentConfig c = imageConfig(dir);
  ClassifierJob job;
  job.epochs = 1;
  job.batchSize = 8;
  job.loaderThreads = 0;
  ASSERT_TRUE(trainClassifierFile(c.data, "", job, dir / "clf.pt").completed);
  c.evaluation.every = 3;
  c.evaluation.n_samples = 6;
  c.evaluation.likelihood = true;
  c.evaluation.classifier = dir / "clf.pt";
  TrainerHooks hooks = evaluationHooks(c);
  Trainer trainer(c, dir / "run", StartMode::Fresh, hooks);
  trainer.train();
  const MetricsTable m = readMetrics(dir / "run/metrics.csv");
  const int bpd = m.columnIndex("bpd"), fd = m.columnIndex("classifier_fd"),
            confident = m.columnIndex("classifier_confident"), step = m.columnIndex("step");
  ASSERT_GE(bpd, 0);
  ASSERT_GE(fd, 0);
  ASSERT_GE(confident, 0);
  int evaluated = 0;
  std::vector<double> last;
  for (const auto& row : m.rows) {
    if (std::isnan(row[static_cast<size_t>(bpd)])) continue;
    ++evaluated;
    EXPECT_EQ(static_cast<int64_t>(row[static_cast<size_t>(step)]) % 3, 0);
    // 8 bits per dimension is the uniform distribution on 0..255; a 6-step model is near it.
    EXPECT_GT(row[static_cast<size_t>(bpd)], 0.5);
    EXPECT_LT(row[static_cast<size_t>(bpd)], 16);
    EXPECT_GT(row[static_cast<size_t>(fd)], 0);
    EXPECT_GE(row[static_cast<size_t>(confident)], 0);
    EXPECT_LE(row[static_cast<size_t>(confident)], 1);
    last = row;
  }
  EXPECT_EQ(evaluated, 2);
  // Fixed noise, fixed test images and fixed probes: evaluating the same weights again gives
  // the same numbers, so the curves show the model changing, not the draw.
  const EvalValues again = hooks.evaluate(trainer);
  // (metrics.csv keeps 9 significant digits.)
  EXPECT_NEAR(again.at("bpd"), last[static_cast<size_t>(bpd)], 1e-7 * last[static_cast<size_t>(bpd)]);
  EXPECT_NEAR(again.at("classifier_fd"), last[static_cast<size_t>(fd)], 1e-7 * last[static_cast<size_t>(fd)]);

  // A classifier that is not there stops the run before its first step, naming the file.
  c.evaluation.classifier = dir / "missing.pt";
  try {
    evaluationHooks(c);
    ADD_FAILURE() << "a missing classifier was accepted";
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("missing.pt"), std::string::npos) << e.what();
  }
}

TEST(ImageTraining, ModelClassesMustMatchTheDataset) {
  TempDir dir;
  ExperimentConfig c = imageConfig(dir);
  c.model.classes = 7;
  try {
    Trainer trainer(c, dir / "run", StartMode::Fresh);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "model.classes");
    EXPECT_NE(std::string(e.what()).find("10 classes"), std::string::npos) << e.what();
  }
}

TEST(ImageTraining, GuidanceMixesTheConditionalAndNullFieldsOfACheckpoint) {
  TempDir dir;
  ExperimentConfig c = imageConfig(dir);
  c.model.classes = 10;
  c.training.label_dropout = 0.5;
  {
    Trainer trainer(c, dir / "run", StartMode::Fresh);
    trainer.train();
  }
  const auto flow = TrainedFlow::load(dir / "run");
  EXPECT_EQ(flow->classes(), 10);
  EXPECT_EQ(flow->sampleShape(), (std::vector<int64_t>{1, 28, 28}));
  torch::NoGradGuard noGrad;
  const torch::Tensor x = flow->sampleNoise(4, 3);
  EXPECT_EQ(x.sizes(), torch::IntArrayRef({4, 784}));
  const torch::Tensor t = torch::full({4, 1}, 0.4);
  const torch::Tensor labels = torch::tensor({0, 3, 3, 9}, torch::kLong);
  const auto& net = flow->velocityNet();
  const torch::Tensor vc = net->forward(x, t, labels);
  const torch::Tensor vu = net->forward(x, t, torch::full({4}, 10, torch::kLong));
  ASSERT_FALSE(torch::allclose(vc, vu));  // the labels reach the network
  EXPECT_TRUE(torch::allclose(flow->velocityAt(x, t, {labels, 1.0}), vc, 1e-5, 1e-6));
  EXPECT_TRUE(torch::allclose(flow->velocityAt(x, t, {labels, 0.0}), vu, 1e-5, 1e-6));
  EXPECT_TRUE(torch::allclose(flow->velocityAt(x, t, {labels, 2.5}), vu + 2.5 * (vc - vu), 1e-4, 1e-5));
  // Chunked sampling hands each chunk its own rows of labels: the same as one solve.
  SolveOptions o = flow->defaultSolveOptions();
  const torch::Tensor many = torch::arange(16, torch::kLong).remainder(10);
  torch::Tensor chunked = torch::empty({16, 784});
  sampleInChunks(*flow, 16, 5, o, 8, [&](int64_t first, const SolveResult& r) {
    chunked.narrow(0, first, r.final().size(0)).copy_(r.final());
  }, {many, 2.0});
  const torch::Tensor direct = solve(flow->velocity({many, 2.0}), flow->sampleNoise(16, 5), o).final();
  EXPECT_TRUE(torch::allclose(chunked, direct, 1e-5, 1e-6));
  EXPECT_THROW(sampleInChunks(*flow, 16, 5, o, 8, [](int64_t, const SolveResult&) {},
                              {many.narrow(0, 0, 15), 1.0}),
               InputError);
}
