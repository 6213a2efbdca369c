// Nothing lost, nothing silently wrong (issue 10): verified checkpoints (every byte flip is
// caught; resume falls back to the newest intact one), the run-folder lock held by the trainer,
// stale temp files removed, metrics.csv that never blocks a resume and whose failed writes stop
// training, the same logged means and elapsed time after a resume, and the resume guard.

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <torch/torch.h>

#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "core/api/TrainingJob.h"
#include "core/config/ConfigYaml.h"
#include "core/io/AtomicFile.h"
#include "core/train/Checkpoint.h"
#include "core/train/MetricsLog.h"
#include "core/train/RunDirectory.h"
#include "core/train/Trainer.h"
#include "core/train/TrainerState.h"
#include "core/models/TimeMLP.h"
#include "core/util/Error.h"
#include "core/util/Random.h"

using namespace flowscope;
namespace fs = std::filesystem;

namespace {

class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("flowscope-safety-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
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
  c.model.width = 16;
  c.model.depth = 1;
  c.training.steps = 40;
  c.training.batch_size = 32;
  c.training.checkpoint_every = 10;
  c.training.log_every = 5;
  c.training.device = "cpu";
  c.training.threads = 1;
  c.ema.decay = 0.9;
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

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Changes one byte in place (a hard link to the file sees the change too, as with real damage).
void flipByte(const std::string& path, size_t at, unsigned char mask) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(at));
  char c = 0;
  f.get(c);
  f.seekp(static_cast<std::streamoff>(at));
  f.put(static_cast<char>(c ^ static_cast<char>(mask)));
}

TrainerHooks collectingWarnings(std::vector<std::string>& into) {
  TrainerHooks hooks;
  hooks.warning = [&into](const std::string& m) { into.push_back(m); };
  return hooks;
}

bool anyContains(const std::vector<std::string>& lines, const std::string& needle) {
  for (const auto& l : lines)
    if (l.find(needle) != std::string::npos) return true;
  return false;
}

// Makes writes past `bytes` fail with EFBIG (as a full disk would fail them) for its lifetime.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    oldHandler_ = std::signal(SIGXFSZ, SIG_IGN);
    ::getrlimit(RLIMIT_FSIZE, &old_);
    rlimit limit = old_;
    limit.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, oldHandler_);
  }

 private:
  rlimit old_{};
  void (*oldHandler_)(int) = nullptr;
};

}  // namespace

// Every byte of a checkpoint, changed: the archive's header, its tensor data, the config and
// the trailer. Each must fail to load (this LibTorch does not check the zip CRCs: before the
// checksum, many such flips loaded silently as other weights or another step).
TEST(VerifiedCheckpoint, NoSingleByteChangeLoadsSilently) {
  TempDir dir;
  ExperimentConfig c = smallConfig();
  c.model.width = 4;
  TimeMLP model(TimeMLPOptions::fromConfig(c.model, 2));
  TimeMLP ema(TimeMLPOptions::fromConfig(c.model, 2));
  at::Generator gen = makeGenerator(3);
  TrainingCounters counters{1.5, 2, 3.5};
  const std::string path = dir / "ck.pt";
  writeCheckpoint(path, {model.get(), ema.get(), nullptr, &gen, &counters}, 7, "name: x\n");
  const std::string good = slurp(path);
  ASSERT_GT(good.size(), 1000u);
  TimeMLP into(TimeMLPOptions::fromConfig(c.model, 2));
  ASSERT_EQ(readCheckpoint(path, {into.get()}), 7);

  size_t silent = 0, tested = 0;
  std::string firstSilent;
  for (size_t at = 0; at < good.size(); ++at) {
    for (const unsigned char mask : {0x01, 0x80}) {
      flipByte(path, at, mask);
      ++tested;
      try {
        readCheckpoint(path, {into.get()});
        if (silent++ == 0) firstSilent = std::to_string(at) + " of " + std::to_string(good.size());
      } catch (const CheckpointDamagedError&) {
      }
      flipByte(path, at, mask);  // restore
    }
  }
  EXPECT_EQ(silent, 0u) << "of " << tested << " flips; first at byte " << firstSilent;
  EXPECT_EQ(slurp(path), good);
  // Truncated at any length, or with bytes appended: damaged too.
  for (const size_t keep : {size_t{0}, size_t{10}, good.size() / 2, good.size() - 1}) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << good.substr(0, keep);
    EXPECT_THROW(readCheckpoint(path, {into.get()}), CheckpointDamagedError) << keep;
    EXPECT_THROW(readCheckpointConfig(path), CheckpointDamagedError) << keep;
  }
  std::ofstream(path, std::ios::binary | std::ios::trunc) << good << "x";
  EXPECT_THROW(readCheckpoint(path, {into.get()}), CheckpointDamagedError);
}

TEST(VerifiedCheckpoint, CountersRoundTrip) {
  TempDir dir;
  TimeMLP model(TimeMLPOptions::fromConfig(smallConfig().model, 2));
  TrainingCounters in{0.25, 3, 12.5}, out;
  writeCheckpoint(dir / "c.pt", {model.get(), nullptr, nullptr, nullptr, &in}, 5, "");
  EXPECT_EQ(readCheckpoint(dir / "c.pt", {model.get(), nullptr, nullptr, nullptr, &out}), 5);
  EXPECT_EQ(out.logLossSum, 0.25);
  EXPECT_EQ(out.logSteps, 3);
  EXPECT_EQ(out.elapsedSec, 12.5);
}

// latest.pt damaged (and step_30.pt with it: a hard link): resume says so, continues from
// step 20, and ends bit-identical to an uninterrupted run.
TEST(VerifiedCheckpoint, ResumeFallsBackToTheNewestIntactCheckpoint) {
  TempDir dir;
  Trainer straight(smallConfig(), dir / "a", StartMode::Fresh);
  straight.train();
  { Trainer(smallConfig(), dir / "b", StartMode::Fresh).train(30); }
  const std::string latest = dir / "b/checkpoints/latest.pt";
  flipByte(latest, fs::file_size(latest) / 2, 0x10);
  {
    std::vector<std::string> warnings;
    Trainer resumed(smallConfig(), dir / "b", StartMode::Resume, collectingWarnings(warnings));
    EXPECT_EQ(resumed.step(), 20);
    ASSERT_TRUE(anyContains(warnings, "latest.pt: damaged checkpoint")) << ::testing::PrintToString(warnings);
    EXPECT_TRUE(anyContains(warnings, "resuming from " + (dir / "b/checkpoints/step_00000020.pt")));
    resumed.train();
    expectEqualParams(params(*resumed.state().model), params(*straight.state().model));
    expectEqualParams(params(*resumed.state().emaModel), params(*straight.state().emaModel));
  }
  const MetricsTable ma = readMetrics(dir / "a/metrics.csv"), mb = readMetrics(dir / "b/metrics.csv");
  ASSERT_EQ(ma.rows.size(), mb.rows.size());
  for (size_t i = 0; i < ma.rows.size(); ++i) EXPECT_EQ(ma.rows[i][1], mb.rows[i][1]) << "row " << i;

  // Nothing intact: an error naming every damaged file, and nothing rewritten.
  for (const int64_t s : RunDirectory(dir / "b").checkpointSteps()) {
    const std::string p = RunDirectory(dir / "b").checkpointPath(s);
    flipByte(p, 100, 0x01);
  }
  const std::string configBefore = slurp(dir / "b/config.yaml");
  try {
    Trainer(smallConfig(), dir / "b", StartMode::Resume);
    FAIL() << "resumed from damaged checkpoints";
  } catch (const FileError& e) {
    EXPECT_NE(std::string(e.what()).find("no intact checkpoint"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("step_00000010.pt"), std::string::npos) << e.what();
  }
  EXPECT_EQ(slurp(dir / "b/config.yaml"), configBefore);
}

// log_every 3 does not divide checkpoint_every 10: the row after the resume must still average
// the same steps as the uninterrupted run, and elapsed_s must continue, not restart at 0.
TEST(ResumedMetrics, SameMeansAndElapsedContinues) {
  TempDir dir;
  ExperimentConfig c = smallConfig();
  c.training.log_every = 3;
  { Trainer(c, dir / "a", StartMode::Fresh).train(); }
  { Trainer(c, dir / "b", StartMode::Fresh).train(20); }
  { Trainer(c, dir / "b", StartMode::Resume).train(); }
  const MetricsTable a = readMetrics(dir / "a/metrics.csv"), b = readMetrics(dir / "b/metrics.csv");
  ASSERT_EQ(a.rows.size(), b.rows.size());
  const int loss = a.columnIndex("loss"), elapsed = a.columnIndex("elapsed_s");
  for (size_t i = 0; i < a.rows.size(); ++i) {
    EXPECT_EQ(a.rows[i][0], b.rows[i][0]);
    EXPECT_EQ(a.rows[i][loss], b.rows[i][loss]) << "step " << a.rows[i][0];
    if (i > 0) {
      EXPECT_GE(b.rows[i][elapsed], b.rows[i - 1][elapsed]) << "step " << b.rows[i][0];
    }
  }
}

// Pausing (several train() calls, as the app's job does) does not split a logging window either.
TEST(ResumedMetrics, TrainCallsDoNotSplitALoggingWindow) {
  TempDir dir;
  ExperimentConfig c = smallConfig();
  c.training.log_every = 4;
  { Trainer(c, dir / "a", StartMode::Fresh).train(); }
  {
    Trainer t(c, dir / "b", StartMode::Fresh);
    while (!t.finished()) t.train(3, nullptr, false);
    t.saveCheckpoint();
  }
  const MetricsTable a = readMetrics(dir / "a/metrics.csv"), b = readMetrics(dir / "b/metrics.csv");
  ASSERT_EQ(a.rows.size(), b.rows.size());
  for (size_t i = 0; i < a.rows.size(); ++i) EXPECT_EQ(a.rows[i][1], b.rows[i][1]) << "row " << i;
}

TEST(RunLock, ASecondTrainerOnTheFolderIsRefusedNamingTheHolder) {
  TempDir dir;
  std::optional<Trainer> first;
  first.emplace(smallConfig(), dir / "run", StartMode::Fresh);
  first->train(3);
  const std::string metrics = slurp(dir / "run/metrics.csv");
  for (const StartMode mode : {StartMode::Resume, StartMode::ResumeIfAny}) {
    try {
      Trainer second(smallConfig(), dir / "run", mode);
      ADD_FAILURE() << "two trainers on one folder";
    } catch (const InputError& e) {
      const std::string msg = e.what();
      EXPECT_NE(msg.find("in use by another writer (pid " + std::to_string(::getpid())), std::string::npos) << msg;
    }
  }
  EXPECT_EQ(slurp(dir / "run/metrics.csv"), metrics);  // the refused writer touched nothing
  first.reset();
  Trainer later(smallConfig(), dir / "run", StartMode::Resume);
  EXPECT_EQ(later.step(), 3);
}

// A killed writer's temp files (checkpoint-sized) go once the next writer holds the lock.
TEST(RunLock, StaleTemporaryFilesAreRemovedWhenTheLockIsTaken) {
  TempDir dir;
  { Trainer(smallConfig(), dir / "run", StartMode::Fresh).train(10); }
  const std::vector<std::string> stale{dir / "run/config.yaml.tmp-99999-0",
                                       dir / "run/metrics.csv.tmp-99999-1",
                                       dir / "run/checkpoints/step_00000020.pt.tmp-99999-2",
                                       dir / "run/checkpoints/latest.pt.tmp-link"};
  for (const auto& p : stale) std::ofstream(p) << "partial";
  std::ofstream(dir / "run/notes.txt") << "mine";
  std::vector<std::string> warnings;
  Trainer t(smallConfig(), dir / "run", StartMode::Resume, collectingWarnings(warnings));
  for (const auto& p : stale) EXPECT_FALSE(fs::exists(p)) << p;
  EXPECT_TRUE(fs::exists(dir / "run/notes.txt"));
  EXPECT_TRUE(anyContains(warnings, "removed 4 temporary file(s)")) << ::testing::PrintToString(warnings);
  t.train(5);
  for (const auto& e : fs::directory_iterator(dir / "run/checkpoints"))
    EXPECT_FALSE(isTemporaryFileName(e.path().filename().string())) << e.path();
}

// A metrics.csv write that fails stops training with an error naming the file (it used to
// drop every later row and finish normally).
TEST(CheckedMetrics, AFailedAppendStopsTrainingNamingTheFile) {
  TempDir dir;
  ExperimentConfig c = smallConfig();
  c.training.log_every = 1;
  c.training.checkpoint_every = 1000;
  Trainer t(c, dir / "run", StartMode::Fresh);
  const auto size = fs::file_size(dir / "run/metrics.csv");
  try {
    FileSizeLimit limit(size + 150);
    t.train(30, nullptr, /*checkpointAtEnd=*/false);
    ADD_FAILURE() << "training went on after a failed metrics write";
  } catch (const FileError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(dir / "run/metrics.csv"), std::string::npos) << msg;
    EXPECT_NE(msg.find("File too large"), std::string::npos) << msg;
  }
  EXPECT_LT(t.step(), 30);
}

// Whatever metrics.csv holds, a resume goes on: denormals are numbers, damaged rows are
// skipped with a warning, rows past the checkpoint are dropped.
TEST(CheckedMetrics, DamagedLogNeverBlocksAResume) {
  TempDir dir;
  { Trainer(smallConfig(), dir / "run", StartMode::Fresh).train(20); }
  {
    std::ofstream out(dir / "run/metrics.csv", std::ios::app);
    out << "21,1.05216792e-310,1e-3,5,1\n";       // past the checkpoint: dropped
    out << "garbage line\n";                       // wrong cell count
    out << "22,abc,1,1,1,,,,,,,,,\n";
    out << "\xff\xfe\x01,1,1,1,1\n";
    out << "23,1,1,1,1\n";                          // past the checkpoint
    out << "24,1,1,1";                              // torn last line: silently skipped
  }
  {
    std::ofstream out(dir / "denormal.csv");
    out << "step,loss\n5,1.05216792e-310\n6,4.9e-324\n7,1e400\n";
  }
  const MetricsTable d = readMetrics(dir / "denormal.csv");
  ASSERT_EQ(d.rows.size(), 3u);
  EXPECT_EQ(d.rows[0][1], 1.05216792e-310);
  EXPECT_GT(d.rows[1][1], 0.0);
  EXPECT_TRUE(std::isinf(d.rows[2][1]));
  EXPECT_TRUE(d.warnings.empty());

  const MetricsTable damaged = readMetrics(dir / "run/metrics.csv");
  EXPECT_EQ(damaged.warnings.size(), 3u) << ::testing::PrintToString(damaged.warnings);
  std::vector<std::string> warnings;
  Trainer t(smallConfig(), dir / "run", StartMode::Resume, collectingWarnings(warnings));
  EXPECT_EQ(t.step(), 20);
  EXPECT_TRUE(anyContains(warnings, "metrics.csv:")) << ::testing::PrintToString(warnings);
  const MetricsTable kept = readMetrics(dir / "run/metrics.csv");
  EXPECT_TRUE(kept.warnings.empty());
  ASSERT_FALSE(kept.rows.empty());
  EXPECT_EQ(kept.rows.back()[0], 20);
}

TEST(ResumeGuard, ComparesWithTheCheckpointAndNamesTheKey) {
  TempDir dir;
  { Trainer(smallConfig(), dir / "run", StartMode::Fresh).train(10); }
  // Keys that change what is computed are refused, named, with both values.
  struct Case {
    const char* key;
    void (*edit)(ExperimentConfig&);
  };
  const Case refused[] = {
      {"optimizer.lr: 0.001 -> 0.002", [](ExperimentConfig& c) { c.optimizer.lr = 2e-3; }},
      {"path.name: cond_ot -> vp", [](ExperimentConfig& c) { c.path.name = "vp"; }},
      {"model.width: 16 -> 32", [](ExperimentConfig& c) { c.model.width = 32; }},
      {"training.seed: 0 -> 1", [](ExperimentConfig& c) { c.training.seed = 1; }},
  };
  for (const Case& k : refused) {
    ExperimentConfig c = smallConfig();
    k.edit(c);
    try {
      Trainer t(c, dir / "run", StartMode::Resume);
      ADD_FAILURE() << "resumed with " << k.key;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(k.key), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("latest.pt"), std::string::npos) << e.what();
    }
  }
  // config.yaml is not the reference: editing it does not make another lr acceptable.
  {
    ExperimentConfig edited = smallConfig();
    edited.optimizer.lr = 5e-3;
    saveExperiment(edited, dir / "run/config.yaml");
    EXPECT_THROW(Trainer(edited, dir / "run", StartMode::Resume), InputError);
  }
  // What a user needs after a full disk, or to train longer, is accepted.
  ExperimentConfig c = smallConfig();
  c.training.keep_checkpoints = 3;
  c.training.steps = 50;
  c.training.checkpoint_every = 7;
  c.training.log_every = 2;
  c.evaluation.every = 0;
  c.sampling.solver = "rk4";
  Trainer t(c, dir / "run", StartMode::Resume);
  EXPECT_EQ(t.step(), 10);
}

TEST(ResumeGuard, StepsBelowTheCurrentStepAreAnErrorAndNothingIsRewritten) {
  TempDir dir;
  { Trainer(smallConfig(), dir / "run", StartMode::Fresh).train(20); }
  const std::string config = slurp(dir / "run/config.yaml"), metrics = slurp(dir / "run/metrics.csv");
  ExperimentConfig c = smallConfig();
  c.training.steps = 10;
  try {
    Trainer t(c, dir / "run", StartMode::Resume);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "training.steps");
    EXPECT_NE(std::string(e.what()).find("below the step this run has reached (20"), std::string::npos) << e.what();
  }
  EXPECT_EQ(slurp(dir / "run/config.yaml"), config);
  EXPECT_EQ(slurp(dir / "run/metrics.csv"), metrics);
}

// Extreme data: the NaN stop points at the data, not at the learning rate.
TEST(NonFiniteAdvice, PointsAtTheCause) {
  TempDir dir;
  ExperimentConfig c = smallConfig();
  { std::ofstream(dir / "huge.csv") << "3e38,3e38\n-3e38,3e38\n3e38,-3e38\n"; }
  c.data.name = "points";
  c.data.file = dir / "huge.csv";
  Trainer t(c, dir / "run", StartMode::Fresh);
  try {
    t.train();
    FAIL();
  } catch (const NonFiniteLossError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("data values (data.*)"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("Lower optimizer.lr"), std::string::npos) << msg;
  }
}

// The app's training job goes through the same lock: a second job (or a CLI) on the folder fails
// with the holder's name while the first one waits paused.
TEST(RunLock, TheAppsTrainingJobHoldsTheLockToo) {
  TempDir dir;
  TrainingJob first(smallConfig(), dir / "run", StartPolicy::Fresh, {}, /*runImmediately=*/false);
  for (int i = 0; i < 3000 && first.status().state == JobState::Starting; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(first.status().state, JobState::Paused) << first.status().message;
  TrainingJob second(smallConfig(), dir / "run", StartPolicy::ResumeIfAny, {}, true);
  const JobStatus s = second.wait();
  EXPECT_EQ(s.state, JobState::Failed);
  EXPECT_NE(s.message.find("in use by another writer (pid " + std::to_string(::getpid())), std::string::npos)
      << s.message;
  EXPECT_THROW(Trainer(smallConfig(), dir / "run", StartMode::ResumeIfAny), InputError);
  first.stop();
  EXPECT_EQ(first.wait().state, JobState::Stopped);
  EXPECT_NO_THROW(Trainer(smallConfig(), dir / "run", StartMode::ResumeIfAny));  // released
}
