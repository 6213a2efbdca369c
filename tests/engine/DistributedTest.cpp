// Data parallelism on c10d (core/dist): two processes on Gloo over loopback, each with half of a
// batch and averaged gradients, end with the parameters one process gets from the whole batch;
// a killed rank makes the survivor fail with a message instead of hanging. The workers are this
// test binary started again with the variables torchrun would set.

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <fstream>
#include <string>
#include <vector>

#include "core/dist/BatchShard.h"
#include "core/dist/Communicator.h"
#include "core/models/ModelFactory.h"
#include "core/optim/CapturableAdam.h"
#include "core/train/Checkpoint.h"
#include "core/train/Trainer.h"
#include "core/util/Error.h"
#include "tests/common/TinyIdx.h"

extern char** environ;

using namespace flowscope;
namespace fs = std::filesystem;

namespace {

constexpr int kSteps = 12;
constexpr int64_t kBatch = 64;

std::vector<torch::Tensor> model(uint64_t seed) {
  torch::manual_seed(seed);
  return {torch::randn({4, 8}, torch::kFloat64).requires_grad_(), torch::randn({8}, torch::kFloat64).requires_grad_(),
          torch::randn({8, 2}, torch::kFloat64).requires_grad_()};
}

/// Step k's global batch, the same in every process.
std::pair<torch::Tensor, torch::Tensor> batch(int k) {
  torch::manual_seed(1000 + k);
  return {torch::randn({kBatch, 4}, torch::kFloat64), torch::randn({kBatch, 2}, torch::kFloat64)};
}

void lossBackward(const std::vector<torch::Tensor>& p, const torch::Tensor& x, const torch::Tensor& y) {
  for (const auto& t : p)
    if (t.grad().defined()) t.grad().zero_();
  (torch::tanh(x.matmul(p[0]) + p[1]).matmul(p[2]) - y).pow(2).mean().backward();
}

int freePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

/// Starts `n` copies of this binary as ranks of one run and returns their exit codes.
std::vector<int> runWorkers(int n, const std::string& role, const fs::path& out) {
  const int port = freePort();
  std::vector<pid_t> pids;
  for (int r = 0; r < n; ++r) {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) env.emplace_back(*e);
    env.push_back("RANK=" + std::to_string(r));
    env.push_back("WORLD_SIZE=" + std::to_string(n));
    env.push_back("MASTER_ADDR=127.0.0.1");
    env.push_back("MASTER_PORT=" + std::to_string(port));
    env.push_back("FLOWSCOPE_DIST_ROLE=" + role);
    env.push_back("FLOWSCOPE_DIST_OUT=" + out.string());
    std::vector<char*> envp;
    for (auto& s : env) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::string self = fs::read_symlink("/proc/self/exe").string(), filter = "--gtest_filter=DistributedWorker.*";
    char* argv[] = {self.data(), filter.data(), nullptr};
    pid_t pid = 0;
    EXPECT_EQ(::posix_spawn(&pid, self.c_str(), nullptr, nullptr, argv, envp.data()), 0);
    pids.push_back(pid);
  }
  std::vector<int> codes;
  for (pid_t pid : pids) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    codes.push_back(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
  }
  return codes;
}

/// The experiments the trainer tests run with one process and with two.
ExperimentConfig trainerConfig(const std::string& kind, const fs::path& dir) {
  ExperimentConfig c;
  c.name = kind;
  c.training.device = "cpu";
  c.training.threads = 1;
  c.training.log_every = 1;
  c.ema.decay = 0.9;
  c.optimizer.grad_clip = 1.0;
  if (kind == "images") {
    // Class-conditional with label dropout, dequantization and flips: every random draw of a
    // step is cut to the shards.
    if (!fs::exists(dir / "mnist")) test::writeIdxFolder(dir / "mnist", 40);
    c.data.name = "mnist";
    c.data.root = (dir / "mnist").string();
    c.data.flip = true;
    c.data.loader_threads = 0;
    c.model.name = "unet";
    c.model.preset = "fashion_mnist28";
    c.model.channels = 8;
    c.model.groups = 4;
    c.model.classes = 10;
    c.training.label_dropout = 0.3;
    c.training.batch_size = 8;
    c.training.steps = 4;
    c.training.checkpoint_every = 2;
    c.optimizer.lr = 1e-3;
  } else {
    c.model.width = 32;
    c.model.depth = 2;
    c.training.batch_size = 64;
    c.training.steps = 12;
    c.training.checkpoint_every = 3;
    c.schedule.name = "constant";  // training.steps changes on resume; a decay would follow it
    c.schedule.warmup_steps = 2;
  }
  return c;
}

/// Model and EMA parameters of a run's latest checkpoint.
std::vector<torch::Tensor> checkpointParams(const ExperimentConfig& c, const fs::path& run, int64_t* step = nullptr) {
  VelocityNet model = makeModel(c), ema = makeModel(c);
  const int64_t s = readCheckpoint((run / "checkpoints/latest.pt").string(), {model.get(), ema.get()});
  if (step) *step = s;
  std::vector<torch::Tensor> out;
  for (const auto& p : model->parameters()) out.push_back(p.detach().clone());
  for (const auto& p : ema->parameters()) out.push_back(p.detach().clone());
  return out;
}

double largestDifference(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  EXPECT_EQ(a.size(), b.size());
  double d = 0;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) d = std::max(d, (a[i] - b[i]).abs().max().item<double>());
  return d;
}

struct ScratchDir {
  fs::path path = fs::temp_directory_path() / ("flowscope-dist-" + std::to_string(::getpid()));
  ScratchDir() { fs::create_directories(path); }
  ~ScratchDir() { fs::remove_all(path); }
};

}  // namespace

// The worker side: skipped unless started by runWorkers.
TEST(DistributedWorker, Run) {
  const char* role = std::getenv("FLOWSCOPE_DIST_ROLE");
  if (!role) GTEST_SKIP() << "started by the Distributed tests as a rank";
  const auto env = DistributedEnv::fromEnvironment();
  ASSERT_TRUE(env.has_value());
  const fs::path out = std::getenv("FLOWSCOPE_DIST_OUT");
  auto comm = Communicator::connect(*env, torch::kCPU, std::chrono::seconds(20));
  if (std::string(role) == "ddp") {
    auto p = model(env->rank + 1);  // different on every rank until the broadcast
    comm->broadcast(p);
    CapturableAdam adam(p, {1e-2});
    const int64_t half = kBatch / env->worldSize;
    for (int k = 0; k < kSteps; ++k) {
      auto [x, y] = batch(k);
      lossBackward(p, x.narrow(0, env->rank * half, half), y.narrow(0, env->rank * half, half));
      std::vector<torch::Tensor> grads;
      for (auto& t : p) grads.push_back(t.grad());
      comm->allReduceMean(grads, 64);  // a tiny bucket size: several buckets per step
      adam.step();
    }
    if (env->isMain()) torch::save(p, (out / "params.pt").string());
  } else if (std::string(role).rfind("train-", 0) == 0) {
    // A Trainer per rank into one run folder; "train-kill" loses rank 1 after step 5.
    const std::string kind = std::string(role) == "train-images" ? "images" : "points";
    ExperimentConfig c = trainerConfig(kind, out);
    if (const char* steps = std::getenv("FLOWSCOPE_DIST_STEPS")) c.training.steps = std::atoll(steps);
    TrainerHooks hooks;
    if (std::string(role) == "train-kill") {
      c.training.steps = 400;
      c.training.checkpoint_every = 4;
      hooks.progressIntervalMs = 0;
      hooks.progress = [&](const TrainProgress& p) {
        if (env->rank == 1 && p.step == 5) std::_Exit(3);
      };
    }
    try {
      Trainer trainer(c, (out / "run").string(), StartMode::Fresh, hooks, {comm.get(), 0});
      trainer.train();
      std::ofstream(out / ("done-" + std::to_string(env->rank))) << trainer.step();
    } catch (const DistributedError& e) {
      std::ofstream(out / "message.txt") << e.what();
    }
  } else {  // "die": rank 1 disappears after one collective; rank 0 must fail, not hang
    torch::Tensor t = torch::ones({16});
    comm->allReduceSum(t);
    if (env->rank == 1) std::_Exit(3);
    try {
      for (int i = 0; i < 1000; ++i) comm->allReduceSum(t);
      std::ofstream(out / "message.txt") << "no error";
    } catch (const DistributedError& e) {
      std::ofstream(out / "message.txt") << e.what();
    }
  }
}

TEST(Distributed, TwoGlooRanksWithHalfBatchesMatchOneProcessWithTheWholeBatch) {
  ScratchDir dir;
  const auto codes = runWorkers(2, "ddp", dir.path);
  ASSERT_EQ(codes, (std::vector<int>{0, 0}));
  std::vector<torch::Tensor> twoRanks;
  torch::load(twoRanks, (dir.path / "params.pt").string());
  auto p = model(1);  // rank 0's initial weights
  CapturableAdam adam(p, {1e-2});
  for (int k = 0; k < kSteps; ++k) {
    auto [x, y] = batch(k);
    lossBackward(p, x, y);
    adam.step();
  }
  ASSERT_EQ(twoRanks.size(), p.size());
  for (size_t i = 0; i < p.size(); ++i)
    EXPECT_LT((twoRanks[i] - p[i]).abs().max().item<double>(), 1e-9) << "parameter " << i;
  // And training moved them: the comparison is not between two copies of the initial weights.
  EXPECT_GT((p[0] - model(1)[0]).abs().max().item<double>(), 1e-2);
}

TEST(Distributed, AKilledRankStopsTheOtherWithAMessage) {
  ScratchDir dir;
  const auto codes = runWorkers(2, "die", dir.path);
  EXPECT_EQ(codes[0], 0);
  EXPECT_EQ(codes[1], 3);
  std::ifstream in(dir.path / "message.txt");
  const std::string message((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(message.find("failed on rank 0"), std::string::npos) << message;
  EXPECT_NE(message.find("died"), std::string::npos) << message;
}

// The Trainer on two ranks (each half of every batch, core/dist/BatchShard.h) gives the weights
// one process gets with the whole batch; then one process resumes the two ranks' run.
TEST(Distributed, TwoTrainerRanksMatchOneProcessAndOneProcessResumesTheirRun) {
  ScratchDir dir;
  ExperimentConfig c = trainerConfig("points", dir.path);
  c.training.steps = 24;
  Trainer(c, (dir.path / "one").string(), StartMode::Fresh).train();
  const auto one = checkpointParams(c, dir.path / "one");

  ::setenv("FLOWSCOPE_DIST_STEPS", "12", 1);
  const auto codes = runWorkers(2, "train-points", dir.path);
  ::unsetenv("FLOWSCOPE_DIST_STEPS");
  ASSERT_EQ(codes, (std::vector<int>{0, 0}));
  EXPECT_TRUE(fs::exists(dir.path / "done-1"));
  int64_t step = 0;
  const auto two = checkpointParams(c, dir.path / "run", &step);
  EXPECT_EQ(step, 12);
  // Only rank 0 wrote: one metrics row per step, one writer's files.
  std::ifstream metrics(dir.path / "run/metrics.csv");
  int lines = 0;
  for (std::string line; std::getline(metrics, line);) ++lines;
  EXPECT_EQ(lines, 1 + 12);

  // World size 2 -> 1 on resume: the run continues as if it had never been split.
  Trainer resumed(c, (dir.path / "run").string(), StartMode::Resume);
  resumed.train();
  const auto joined = checkpointParams(c, dir.path / "run");
  EXPECT_LT(largestDifference(joined, one), 2e-5);
  // The comparison means something: 12 more steps moved the weights.
  EXPECT_GT(largestDifference(two, joined), 1e-3);
}

TEST(Distributed, TwoRanksShareImageBatchesWithTheirAugmentationAndLabelDropout) {
  ScratchDir dir;
  const ExperimentConfig c = trainerConfig("images", dir.path);
  Trainer(c, (dir.path / "one").string(), StartMode::Fresh).train();
  const auto codes = runWorkers(2, "train-images", dir.path);
  ASSERT_EQ(codes, (std::vector<int>{0, 0}));
  EXPECT_LT(largestDifference(checkpointParams(c, dir.path / "run"), checkpointParams(c, dir.path / "one")), 2e-5);
}

TEST(Distributed, ARankKilledWhileTrainingStopsTheOtherAndKeepsTheLastCheckpoint) {
  ScratchDir dir;
  const auto codes = runWorkers(2, "train-kill", dir.path);
  EXPECT_EQ(codes[1], 3);
  EXPECT_EQ(codes[0], 0);  // the survivor caught DistributedError and wrote its message
  std::ifstream in(dir.path / "message.txt");
  const std::string message((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(message.find("rank 0"), std::string::npos) << message;
  int64_t step = -1;
  checkpointParams(trainerConfig("points", dir.path), dir.path / "run", &step);  // intact: verified on read
  EXPECT_EQ(step, 4);
}

TEST(BatchShard, SplitsEvenlyAndNamesTheBatchSizeOtherwise) {
  const BatchShard s = BatchShard::of(12, 2, 3);
  EXPECT_EQ(s.offset, 8);
  EXPECT_EQ(s.count, 4);
  EXPECT_EQ(s.total, 12);
  EXPECT_FALSE(s.isWhole());
  EXPECT_TRUE(BatchShard::whole(5).isWhole());
  try {
    BatchShard::of(10, 0, 3);
    ADD_FAILURE() << "an uneven split was accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "training.batch_size");
    EXPECT_NE(std::string(e.what()).find("multiple of 3"), std::string::npos) << e.what();
  }
}

TEST(DistributedEnv, ReadsTorchrunVariablesAndNamesABadOne) {
  std::map<std::string, std::string> vars{{"WORLD_SIZE", "4"}, {"RANK", "3"}, {"LOCAL_RANK", "1"},
                                          {"LOCAL_WORLD_SIZE", "2"}, {"MASTER_ADDR", "node0"}, {"MASTER_PORT", "29511"}};
  const auto lookup = [&](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
  const auto env = DistributedEnv::fromEnvironment(lookup);
  ASSERT_TRUE(env.has_value());
  EXPECT_EQ(env->rank, 3);
  EXPECT_EQ(env->worldSize, 4);
  EXPECT_EQ(env->localRank, 1);
  EXPECT_EQ(env->masterAddr, "node0");
  EXPECT_EQ(env->masterPort, 29511);
  vars["RANK"] = "4";
  try {
    DistributedEnv::fromEnvironment(lookup);
    ADD_FAILURE() << "RANK = WORLD_SIZE accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("environment RANK: got '4' (expected an integer from 0 to 3)"), std::string::npos)
        << e.what();
  }
  vars["RANK"] = "1";
  vars.erase("MASTER_PORT");
  EXPECT_THROW(DistributedEnv::fromEnvironment(lookup), InputError);
  vars["WORLD_SIZE"] = "1";  // a single process is not a distributed run
  EXPECT_FALSE(DistributedEnv::fromEnvironment(lookup).has_value());
}
