// Training: schedules, EMA, checkpoints (round trip, resume == uninterrupted, corrupt files),
// the NaN guard, cooperative stop, and a short CPU training that learns the checkerboard.

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "core/config/ConfigYaml.h"
#include "core/data/Checkerboard.h"
#include "core/solvers/OdeSolver.h"
#include "core/train/Checkpoint.h"
#include "core/train/Ema.h"
#include "core/train/LrSchedule.h"
#include "core/train/MetricsLog.h"
#include "core/train/TrainedFlow.h"
#include "core/train/Trainer.h"
#include "core/util/Autocast.h"
#include "core/train/TrainerState.h"
#include "core/util/Random.h"
#include "core/util/Error.h"

using namespace flowscope;
namespace fs = std::filesystem;

namespace {

class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("flowscope-test-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

ExperimentConfig smallConfig() {
  ExperimentConfig c;
  c.name = "test";
  c.model.width = 32;
  c.model.depth = 2;
  c.training.steps = 40;
  c.training.batch_size = 64;
  c.training.checkpoint_every = 10;
  c.training.log_every = 5;
  c.training.device = "cpu";
  c.training.threads = 1;
  c.schedule.name = "polynomial";
  c.schedule.warmup_steps = 5;
  c.ema.decay = 0.9;
  c.optimizer.grad_clip = 1.0;
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

TEST(LrSchedule, WarmupThenPolynomialDecay) {
  ScheduleConfig s;
  s.name = "polynomial";
  s.warmup_steps = 10;
  s.initial_lr = 1e-8;
  s.final_lr = 1e-8;
  LrSchedule lr(s, 1e-3, 110);
  EXPECT_DOUBLE_EQ(lr.at(0), 1e-8);
  EXPECT_NEAR(lr.at(5), 1e-8 + 0.5 * (1e-3 - 1e-8), 1e-15);
  EXPECT_DOUBLE_EQ(lr.at(10), 1e-3);
  EXPECT_NEAR(lr.at(60), 1e-8 + 0.5 * (1e-3 - 1e-8), 1e-15);  // halfway through the decay
  EXPECT_NEAR(lr.at(110), 1e-8, 1e-18);
  s.name = "constant";
  LrSchedule constant(s, 1e-3, 110);
  EXPECT_DOUBLE_EQ(constant.at(100), 1e-3);
  EXPECT_LT(constant.at(3), 1e-3);  // warm-up applies to constant too
}

TEST(Ema, FollowsTheClosedFormRecursion) {
  torch::nn::Linear model(2, 1), shadow(2, 1);
  {
    torch::NoGradGuard g;
    shadow->weight.fill_(0);
    shadow->bias.fill_(0);
  }
  Ema ema(shadow.ptr(), 0.5);
  double expected = 0;
  for (int k = 0; k < 20; ++k) {
    {
      torch::NoGradGuard g;
      model->weight.fill_(k);
    }
    ema.update(*model, k);
    const double d = std::min(0.5, (1.0 + k) / (10.0 + k));
    expected = d * expected + (1 - d) * k;
  }
  EXPECT_NEAR(shadow->weight[0][0].item<double>(), expected, 1e-5);
}

TEST(Trainer, CheckpointRoundTripRestoresEverything) {
  TempDir dir;
  Trainer trainer(smallConfig(), dir / "run", StartMode::Fresh);
  trainer.train(17);
  EXPECT_EQ(trainer.lastCheckpointStep(), 17);
  auto& s = trainer.state();
  const auto model = params(*s.model), ema = params(*s.emaModel);
  const torch::Tensor rng = s.generator.get_state();

  TimeMLP m2(TimeMLPOptions::fromConfig(smallConfig().model, 2));
  TimeMLP e2(TimeMLPOptions::fromConfig(smallConfig().model, 2));
  at::Generator g2 = makeGenerator(999);
  const std::string path = dir / "run/checkpoints/latest.pt";
  EXPECT_EQ(readCheckpoint(path, {m2.get(), e2.get(), nullptr, &g2}), 17);
  expectEqualParams(params(*m2), model);
  expectEqualParams(params(*e2), ema);
  EXPECT_TRUE(torch::equal(g2.get_state(), rng));
  const ExperimentConfig stored = parseExperiment(readCheckpointConfig(path), "ckpt");
  EXPECT_TRUE(diffExperiments(stored, smallConfig()).empty());
  // The EMA differs from the raw weights (it averages), so both were really stored.
  EXPECT_FALSE(torch::equal(model[0], ema[0]));
}

// Stopping after 20 steps and resuming gives bit-identical weights, EMA and optimizer state to 40
// uninterrupted steps: the data, t and x0 draws continue from the saved generator state.
TEST(Trainer, ResumeContinuesExactlyLikeAnUninterruptedRun) {
  TempDir dir;
  Trainer straight(smallConfig(), dir / "a", StartMode::Fresh);
  straight.train();
  {
    Trainer first(smallConfig(), dir / "b", StartMode::Fresh);
    first.train(20);
  }
  Trainer resumed(smallConfig(), dir / "b", StartMode::Resume);
  EXPECT_EQ(resumed.step(), 20);
  resumed.train();
  EXPECT_EQ(resumed.step(), 40);
  expectEqualParams(params(*resumed.state().model), params(*straight.state().model));
  expectEqualParams(params(*resumed.state().emaModel), params(*straight.state().emaModel));
  // metrics.csv of the resumed run has the same steps, no duplicates.
  const MetricsTable a = readMetrics(dir / "a/metrics.csv"), b = readMetrics(dir / "b/metrics.csv");
  ASSERT_EQ(a.rows.size(), b.rows.size());
  for (size_t i = 0; i < a.rows.size(); ++i) {
    EXPECT_EQ(a.rows[i][0], b.rows[i][0]);
    EXPECT_DOUBLE_EQ(a.rows[i][1], b.rows[i][1]);  // same mean loss per logging window
  }
}

// training.precision: bf16 autocast changes the numbers of the step (it is applied) but follows the
// fp32 loss curve closely; tf32 is fp32 on the CPU; the caller's thread is left without autocast.
TEST(Trainer, Bf16AutocastFollowsTheFp32LossCurveAndTf32IsFp32OnTheCpu) {
  TempDir dir;
  const auto lossesOf = [&](const std::string& precision) {
    ExperimentConfig c = smallConfig();
    c.training.precision = precision;
    std::vector<double> losses;
    TrainerHooks hooks;
    hooks.progressIntervalMs = 0;
    hooks.progress = [&](const TrainProgress& p) { losses.push_back(p.loss); };
    Trainer t(c, dir / precision, StartMode::Fresh, hooks);
    t.train();
    return losses;
  };
  const std::vector<double> fp32 = lossesOf("fp32"), bf16 = lossesOf("bf16"), tf32 = lossesOf("tf32");
  EXPECT_FALSE(autocastEnabled(c10::DeviceType::CPU));
  ASSERT_EQ(fp32.size(), bf16.size());
  ASSERT_EQ(fp32.size(), tf32.size());
  double largest = 0;
  bool differs = false;
  for (size_t i = 0; i < fp32.size(); ++i) {
    largest = std::max(largest, std::abs(bf16[i] - fp32[i]) / fp32[i]);
    differs |= bf16[i] != fp32[i];
    EXPECT_EQ(tf32[i], fp32[i]) << i;
  }
  EXPECT_TRUE(differs);       // bfloat16 has an 8-bit mantissa: some loss must change
  EXPECT_LT(largest, 0.05);   // ... by a few per mille, not by a different trajectory
}

TEST(Trainer, StartModesProtectExistingRuns) {
  TempDir dir;
  EXPECT_THROW(Trainer(smallConfig(), dir / "none", StartMode::Resume), InputError);
  { Trainer(smallConfig(), dir / "run", StartMode::Fresh).train(3); }
  EXPECT_THROW(Trainer(smallConfig(), dir / "run", StartMode::Fresh), InputError);
  Trainer again(smallConfig(), dir / "run", StartMode::ResumeIfAny);
  EXPECT_EQ(again.step(), 3);
}

// A NaN loss stops training before the update; the last good checkpoint stays and loads.
TEST(Trainer, NonFiniteLossStopsAndKeepsLastGoodCheckpoint) {
  TempDir dir;
  // Points data whose file then changes to targets of 1e30: their squared error overflows
  // float32, so the first loss after the resume is inf. (An absurd learning rate used to do this;
  // it is now outside optimizer.lr's range. The experiment itself must stay the same: the resume
  // guard refuses another one.)
  ExperimentConfig exploding = smallConfig();
  exploding.data.name = "points";
  exploding.data.file = dir / "points.csv";
  { std::ofstream(dir / "points.csv") << "0.5,0.5\n-0.5,0.5\n0.5,-0.5\n"; }
  { Trainer(exploding, dir / "run", StartMode::Fresh).train(10); }
  const std::string latest = dir / "run/checkpoints/latest.pt";
  const auto before = fs::last_write_time(latest);
  { std::ofstream(dir / "points.csv") << "1e30,1e30\n-1e30,1e30\n1e30,-1e30\n"; }
  Trainer trainer(exploding, dir / "run", StartMode::Resume);
  try {
    trainer.train();
    FAIL() << "expected NonFiniteLossError";
  } catch (const NonFiniteLossError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("last good checkpoint is step 10"), std::string::npos) << msg;
  }
  EXPECT_EQ(fs::last_write_time(latest), before);
  TimeMLP model(TimeMLPOptions::fromConfig(smallConfig().model, 2));
  EXPECT_EQ(readCheckpoint(latest, {model.get()}), 10);
  for (auto& p : model->parameters()) EXPECT_TRUE(torch::isfinite(p).all().item<bool>());
}

TEST(Trainer, StopFlagEndsWithALoadableCheckpoint) {
  TempDir dir;
  std::atomic<bool> stop{false};
  TrainerHooks hooks;
  hooks.progressIntervalMs = 0;
  hooks.progress = [&](const TrainProgress& p) {
    if (p.step >= 13) stop = true;
  };
  Trainer trainer(smallConfig(), dir / "run", StartMode::Fresh, hooks);
  trainer.train(-1, &stop);
  EXPECT_EQ(trainer.step(), 13);
  const auto flow = TrainedFlow::load(dir / "run", "latest");
  EXPECT_EQ(flow->step(), 13);
  EXPECT_EQ(RunDirectory(dir / "run").checkpointSteps(), (std::vector<int64_t>{10, 13}));
}

TEST(Trainer, CorruptOrMissingCheckpointIsAFileErrorNamingTheFile) {
  TempDir dir;
  { Trainer(smallConfig(), dir / "run", StartMode::Fresh).train(3); }
  const std::string latest = dir / "run/checkpoints/latest.pt";
  fs::remove(latest);
  { std::ofstream(latest) << "not a checkpoint"; }
  TimeMLP model(TimeMLPOptions::fromConfig(smallConfig().model, 2));
  try {
    readCheckpoint(latest, {model.get()});
    FAIL();
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find(latest), std::string::npos) << e.what();
  }
  // A checkpoint of another architecture does not load into this one.
  TimeMLP wide(TimeMLPOptions::fromConfig(ModelConfig{64, 2}, 2));
  EXPECT_THROW(readCheckpoint(dir / "run/checkpoints/step_00000003.pt", {wide.get()}), FileError);
  EXPECT_THROW(TrainedFlow::load(dir / "missing"), InputError);
  EXPECT_THROW(TrainedFlow::load(dir / "run", "7"), InputError);
}

TEST(Trainer, KeepsOnlyTheNewestCheckpointsWhenAsked) {
  TempDir dir;
  ExperimentConfig c = smallConfig();
  c.training.keep_checkpoints = 2;
  Trainer(c, dir / "run", StartMode::Fresh).train();
  EXPECT_EQ(RunDirectory(dir / "run").checkpointSteps(), (std::vector<int64_t>{30, 40}));
}

// A short CPU training of the checkerboard puts most dopri5 samples on the black squares
// (a random or untrained model puts about half there).
TEST(Trainer, ShortTrainingLearnsTheCheckerboard) {
  TempDir dir;
  ExperimentConfig c = loadExperiment(std::string(FLOWSCOPE_SOURCE_DIR) +
                                      "/resources/presets/checkerboard-fm-ot.yaml");
  c.model.width = 128;
  c.model.depth = 3;
  c.training.steps = 4000;
  c.training.batch_size = 256;
  c.optimizer.lr = 4e-3;
  c.training.device = "cpu";
  c.training.threads = 1;  // ctest runs suites in parallel: more threads would oversubscribe
  c.training.checkpoint_every = 2500;
  c.evaluation.every = 0;
  Trainer trainer(c, dir / "run", StartMode::Fresh);
  trainer.train();
  const auto flow = TrainedFlow::load(dir / "run");
  torch::NoGradGuard noGrad;
  const SolveResult r = solve(flow->velocity(), flow->sampleNoise(5000, 1), flow->defaultSolveOptions());
  const double black = Checkerboard::blackMask(r.final()).to(torch::kFloat64).mean().item<double>();
  EXPECT_GT(black, 0.75) << "nfe " << r.nfe;
}
