// The torch-free facade the GUI uses: training jobs on worker threads (start, pause, single steps,
// stop, failures) and the view queries (trajectories, fields, densities) checked against direct
// engine computations and closed forms.

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "core/api/Queries.h"
#include "core/api/TrainingJob.h"
#include "core/solvers/OdeSolver.h"
#include "core/train/RunDirectory.h"
#include "core/train/TrainedFlow.h"

using namespace flowscope;
namespace fs = std::filesystem;

namespace {

ExperimentConfig tinyConfig(int64_t steps = 200) {
  ExperimentConfig c;
  c.model.width = 32;
  c.model.depth = 2;
  c.training.steps = steps;
  c.training.batch_size = 128;
  c.training.threads = 1;
  c.training.checkpoint_every = 1000;
  return c;
}

std::string tempRun(const std::string& name) {
  const fs::path p = fs::temp_directory_path() / ("flowscope-api-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p.string();
}

/// Collects callbacks from the worker thread.
struct Recorder {
  std::mutex m;
  std::vector<JobStatus> statuses;
  int progress = 0;
  FlowModelPtr lastWeights;
  JobCallbacks callbacks() {
    JobCallbacks cb;
    cb.progressIntervalMs = 0;
    cb.weightsIntervalMs = 1e9;
    cb.status = [this](const JobStatus& s) {
      std::lock_guard<std::mutex> l(m);
      statuses.push_back(s);
    };
    cb.progress = [this](const ProgressSnapshot&) {
      std::lock_guard<std::mutex> l(m);
      ++progress;
    };
    cb.weights = [this](FlowModelPtr w) {
      std::lock_guard<std::mutex> l(m);
      lastWeights = std::move(w);
    };
    return cb;
  }
  JobState waitFor(TrainingJob& job, JobState state) {
    for (int i = 0; i < 2000; ++i) {
      if (job.status().state == state) return state;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return job.status().state;
  }
};

}  // namespace

TEST(TrainingJob, PauseStepResumeAndStop) {
  const std::string dir = tempRun("pause");
  Recorder rec;
  TrainingJob job(tinyConfig(100000), dir, StartPolicy::Fresh, rec.callbacks(), /*runImmediately=*/false);
  ASSERT_EQ(rec.waitFor(job, JobState::Paused), JobState::Paused) << job.status().message;
  EXPECT_EQ(job.status().step, 0);
  job.step(7);
  // Single steps: exactly 7 more, then paused again.
  for (int i = 0; i < 400 && job.status().step < 7; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(rec.waitFor(job, JobState::Paused), JobState::Paused);
  EXPECT_EQ(job.status().step, 7);
  job.resume();
  ASSERT_EQ(rec.waitFor(job, JobState::Running), JobState::Running);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  job.pause();
  ASSERT_EQ(rec.waitFor(job, JobState::Paused), JobState::Paused);
  const int64_t paused = job.status().step;
  EXPECT_GT(paused, 7);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(job.status().step, paused);  // really paused
  job.stop();
  const JobStatus end = job.wait();
  EXPECT_EQ(end.state, JobState::Stopped);
  EXPECT_EQ(end.lastCheckpointStep, paused);
  EXPECT_EQ(TrainedFlow::load(dir)->step(), paused);  // loadable
  {
    std::lock_guard<std::mutex> l(rec.m);
    EXPECT_GT(rec.progress, 0);
    ASSERT_TRUE(rec.lastWeights);
    EXPECT_EQ(rec.lastWeights->step(), paused);
  }
  fs::remove_all(dir);
}

// Stopping while a step is running (the destructor of a running job) leaves a loadable checkpoint.
TEST(TrainingJob, DestroyingARunningJobCheckpoints) {
  const std::string dir = tempRun("destroy");
  Recorder rec;
  {
    TrainingJob job(tinyConfig(1000000), dir, StartPolicy::Fresh, rec.callbacks());
    ASSERT_EQ(rec.waitFor(job, JobState::Running), JobState::Running);
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
  }
  const auto flow = TrainedFlow::load(dir);
  EXPECT_GT(flow->step(), 0);
  fs::remove_all(dir);
}

TEST(TrainingJob, TwoJobsTrainAtOnceAndFinish) {
  const std::string a = tempRun("two-a"), b = tempRun("two-b");
  Recorder ra, rb;
  ExperimentConfig vp = tinyConfig(150);
  vp.path.name = "vp";
  TrainingJob ja(tinyConfig(150), a, StartPolicy::Fresh, ra.callbacks());
  TrainingJob jb(vp, b, StartPolicy::Fresh, rb.callbacks());
  EXPECT_EQ(ja.wait().state, JobState::Finished);
  EXPECT_EQ(jb.wait().state, JobState::Finished);
  EXPECT_EQ(TrainedFlow::load(a)->step(), 150);
  EXPECT_EQ(TrainedFlow::load(b)->config().path.name, "vp");
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(TrainingJob, FailuresAreReportedNotThrown) {
  const std::string dir = tempRun("fail");
  Recorder rec;
  ExperimentConfig c = tinyConfig(100);
  // Targets of 1e30: the squared error overflows float32 at the first step.
  const std::string huge = dir + "-huge.csv";
  { std::ofstream(huge) << "1e30,1e30\n-1e30,1e30\n1e30,-1e30\n"; }
  c.data.name = "points";
  c.data.file = huge;
  TrainingJob job(c, dir, StartPolicy::Fresh, rec.callbacks());
  const JobStatus end = job.wait();
  EXPECT_EQ(end.state, JobState::Failed);
  EXPECT_NE(end.message.find("loss became"), std::string::npos) << end.message;
  // Resuming a folder that has no run is a failure with a message, too.
  TrainingJob missing(tinyConfig(), tempRun("none"), StartPolicy::Resume, rec.callbacks());
  EXPECT_EQ(missing.wait().state, JobState::Failed);
  fs::remove_all(dir);
  fs::remove(huge);
}

class Queries : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(tempRun("queries"));
    Recorder rec;
    TrainingJob job(tinyConfig(300), *dir_, StartPolicy::Fresh, rec.callbacks());
    ASSERT_EQ(job.wait().state, JobState::Finished);
    model_ = new FlowModelPtr(loadFlowModel(*dir_));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete model_;
    delete dir_;
  }
  static std::string* dir_;
  static FlowModelPtr* model_;
};
std::string* Queries::dir_ = nullptr;
FlowModelPtr* Queries::model_ = nullptr;

// Scrubbing interpolates stored states: at a stored time it is exactly the solver's state, and
// halfway between two stored times it is within the interpolation error of a direct solve.
TEST_F(Queries, InterpolatedParticlesMatchDirectSolves) {
  const FlowModel& m = **model_;
  SolverSpec spec{"rk4", 40};
  std::vector<int64_t> partialCounts;
  const Trajectories tr = computeTrajectories(m, 300, 11, 41, spec, 128,
                                              [&](const Trajectories& p) { partialCounts.push_back(p.count); });
  ASSERT_TRUE(tr.complete);
  EXPECT_EQ(partialCounts, (std::vector<int64_t>{128, 256}));
  EXPECT_EQ(tr.times.size(), 41u);
  torch::NoGradGuard noGrad;
  const TrainedFlow& flow = m.flow();
  for (double t : {0.25, 0.6125, 1.0}) {
    SolveOptions o = flow.defaultSolveOptions();
    o.method = SolverMethod::Dopri5;
    o.atol = o.rtol = 1e-7;
    o.times = {t};
    const torch::Tensor direct = solve(flow.velocity(), flow.sampleNoise(300, 11), o).final().contiguous();
    std::vector<float> interp;
    tr.positionsAt(t, interp);
    const torch::Tensor got = torch::from_blob(interp.data(), {300, 2}, torch::kFloat32);
    const double tol = std::fmod(t * 40, 1.0) == 0 ? 2e-4 : 2e-2;  // on the grid vs between
    EXPECT_LT((got - direct).abs().max().item<double>(), tol) << "t = " << t;
  }
}

TEST_F(Queries, LearnedFieldIsTheModelVelocity) {
  const FlowModel& m = **model_;
  GridSpec g{{-2, 2, -1, 3}, 5, 4};
  const VectorGrid f = learnedField(m, g, 0.3);
  ASSERT_EQ(f.uv.size(), 40u);
  torch::NoGradGuard noGrad;
  const torch::Tensor x = torch::tensor({{static_cast<float>(g.x(2)), static_cast<float>(g.y(3))}});
  const torch::Tensor v = m.flow().velocityAt(x, torch::full({1, 1}, 0.3));
  EXPECT_NEAR(f.uv[(3 * 5 + 2) * 2], v[0][0].item<float>(), 1e-5);
  EXPECT_NEAR(f.uv[(3 * 5 + 2) * 2 + 1], v[0][1].item<float>(), 1e-5);
}

// eq. 8 with a single data point: the marginal field is that point's conditional field.
TEST(FieldQueries, MarginalOfOnePointIsTheConditionalField) {
  GridSpec g{{-3, 3, -3, 3}, 7, 6};
  for (const char* name : {"cond_ot", "vp", "ve"}) {
    PathConfig p;
    p.name = name;
    for (double t : {0.1, 0.5, 0.9}) {
      const VectorGrid m = marginalField(p, {1.5f, -0.5f}, g, t);
      const VectorGrid c = conditionalField(p, g, t, 1.5, -0.5);
      for (size_t i = 0; i < m.uv.size(); ++i) ASSERT_NEAR(m.uv[i], c.uv[i], 1e-4 * (1 + std::abs(c.uv[i]))) << name << " t " << t;
    }
  }
}

// For q = N(m, S) the empirical marginal field of many samples approaches the closed form.
TEST(FieldQueries, MarginalOfGaussianDataMatchesClosedForm) {
  DataConfig d;
  d.name = "gaussian";
  d.mean = {1.0, -0.5};
  d.covariance = {1.0, 0.6, 0.6, 0.8};
  const std::vector<float> data = sampleData(d, 25000, 3);
  GridSpec g{{-2.5, 3.5, -3.5, 2.5}, 9, 9};
  for (const char* name : {"cond_ot", "vp"}) {
    PathConfig p;
    p.name = name;
    for (double t : {0.2, 0.5, 0.8}) {
      const VectorGrid emp = marginalField(p, data, g, t);
      const VectorGrid exact = gaussianMarginalField(p, d.mean, d.covariance, g, t);
      // Compare where p_t has mass (the empirical posterior is noisy in the far tails).
      const DensityGrid density = empiricalLogDensity(p, data, g, t);
      const double peak = *std::max_element(density.logp.begin(), density.logp.end());
      double worst = 0;
      int compared = 0;
      for (size_t k = 0; k < density.logp.size(); ++k) {
        if (density.logp[k] < peak + std::log(0.2)) continue;
        ++compared;
        for (size_t c = 0; c < 2; ++c)
          worst = std::max(worst, std::abs(static_cast<double>(emp.uv[2 * k + c] - exact.uv[2 * k + c])));
      }
      EXPECT_GE(compared, 4) << name << " t " << t;
      EXPECT_LT(worst, 0.05 * (1 + exact.maxNorm)) << name << " t " << t;
    }
  }
}

TEST(FieldQueries, EmpiricalDensityIntegratesToOne) {
  PathConfig p;
  const std::vector<float> data = {0.f, 0.f, 1.f, 1.f, -2.f, 0.5f};
  GridSpec g{{-8, 8, -8, 8}, 160, 160};
  for (double t : {0.0, 0.5, 0.8}) {  // sigma_t >= 0.2: the 0.1 grid resolves it
    const DensityGrid d = empiricalLogDensity(p, data, g, t);
    double mass = 0;
    for (double lp : d.logp) mass += std::exp(lp) * 0.01;  // cell area (16/160)^2
    EXPECT_NEAR(mass, 1.0, 2e-3) << "t " << t;
  }
}

TEST_F(Queries, ModelDensityIsFiniteAndNormalized) {
  GridSpec g{{-7, 7, -7, 7}, 28, 28};
  const DensityGrid d = modelLogDensity(**model_, g, 1.0, {"rk4", 20});
  double mass = 0;
  for (double lp : d.logp) {
    ASSERT_TRUE(std::isfinite(lp));
    mass += std::exp(lp) * 0.25;
  }
  EXPECT_NEAR(mass, 1.0, 0.1);  // coarse grid over a smooth density
}
