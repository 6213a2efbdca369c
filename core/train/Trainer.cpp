#include "core/train/Trainer.h"

#include <cmath>
#include <filesystem>
#include <optional>
#include <sstream>

#include "core/config/ConfigYaml.h"
#include "core/data/TrainingData.h"
#include "core/io/AtomicFile.h"
#include "core/models/ModelFactory.h"
#include "core/models/ModelInit.h"
#include "core/objectives/ObjectiveFactory.h"
#include "core/paths/PathFactory.h"
#include "core/train/Checkpoint.h"
#include "core/train/ResumeGuard.h"
#include "core/train/TrainerState.h"
#include "core/util/Device.h"
#include "core/util/Autocast.h"
#include "core/util/Error.h"
#include "core/util/Random.h"

namespace fs = std::filesystem;

namespace flowscope {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::vector<std::string> metricColumns(const TrainerHooks& hooks) {
  std::vector<std::string> columns{"step", "loss", "lr", "it_per_s", "elapsed_s"};
  columns.insert(columns.end(), hooks.evalColumns.begin(), hooks.evalColumns.end());
  return columns;
}

std::string joinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "\n  " + l;
  return out;
}

}  // namespace

Trainer::Trainer(ExperimentConfig config, const std::string& runDir, StartMode mode,
                 TrainerHooks hooks, TrainerDistribution dist)
    : s_(std::make_unique<State>(runDir)) {
  State& s = *s_;
  s.config = std::move(config);
  s.hooks = std::move(hooks);
  s.comm = dist.comm;
  if (!s.comm) {
    setUp(mode, dist.localRank);
    return;
  }
  // All ranks start or none does: a rank that fails alone would leave the others waiting in
  // their first collective.
  std::exception_ptr failure;
  try {
    setUp(mode, dist.localRank);
  } catch (...) {
    failure = std::current_exception();
  }
  const int world = s.comm->worldSize(), rank = s.comm->rank();
  torch::Tensor failed = torch::zeros({world}, torch::kFloat64);
  if (failure) failed[rank] = 1;
  s.comm->allReduceSum(failed);
  if (failure) std::rethrow_exception(failure);
  for (int r = 0; r < world; ++r)
    if (failed[r].item<double>() > 0)
      throw DistributedError("rank " + std::to_string(r) + " could not start the run (its own message says why); rank " +
                             std::to_string(rank) + " stops too");
  // Rank 0's weights everywhere (the same seed gives the same ones; this makes sure of it).
  std::vector<torch::Tensor> tensors;
  for (const auto& p : s.model->parameters()) tensors.push_back(p.data());
  for (const auto& p : s.emaModel->parameters()) tensors.push_back(p.data());
  for (const auto& b : s.model->buffers()) tensors.push_back(b);
  for (const auto& b : s.emaModel->buffers()) tensors.push_back(b);
  s.comm->broadcast(tensors);
}

void Trainer::setUp(StartMode mode, int localRank) {
  State& s = *s_;
  const std::string& runDir = s.run.root();
  if (auto issues = validate(s.config); !issues.empty())
    throw ConfigError(issues.front().key, issues.front().message);
  s.configYaml = toYaml(s.config);

  const auto holdsRun = [&] { return s.run.hasCheckpoint() || !s.run.checkpointSteps().empty(); };
  const auto checkMode = [&](bool exists) {
    // A folder another writer is filling: name it rather than say the folder holds a run.
    if (mode == StartMode::Fresh && exists && !s.lock && fs::is_directory(runDir)) {
      RunFolderLock probe(runDir);
    }
    if (mode == StartMode::Fresh && exists)
      throw InputError(runDir + " already holds a run (" + s.run.latestCheckpointPath() +
                       "); resume it or choose another run folder");
    if (mode == StartMode::Resume && !exists)
      throw InputError(runDir + ": nothing to resume (" + s.run.latestCheckpointPath() +
                       " is missing)");
  };
  checkMode(holdsRun());  // early, before the folder is created or anything is built
  const auto warn = [&s](const std::string& message) {
    if (s.hooks.warning) s.hooks.warning(message);
  };

  configureThreads(s.config.training.threads);
  s.device = resolveDevice(s.config.training.device);
  if (s.comm && s.device.is_cuda()) s.device = torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(localRank));
  if (s.device.is_cuda()) {
    // TF32 is a process-wide switch in LibTorch (not per thread): the last run started sets it.
    const bool tf32 = s.config.training.precision == "tf32";
    at::globalContext().setAllowTF32CuBLAS(tf32);
    at::globalContext().setAllowTF32CuDNN(tf32);
  }
  s.shard = s.comm ? BatchShard::of(s.config.training.batch_size, s.comm->rank(), s.comm->worldSize())
                   : BatchShard::whole(s.config.training.batch_size);
  s.data = makeTrainingData(s.config, "", &s.shard);
  if (const int64_t classes = s.config.model.classes; classes > 0 && classes != s.data->classes())
    throw ConfigError("model.classes",
                      "model.classes: " + std::to_string(classes) + " (data.name " +
                          s.config.data.name + " has " + std::to_string(s.data->classes()) +
                          " classes; expected that, or 0 for an unconditional model)");
  s.objective = makeObjective(s.config.objective, makePath(s.config.path));
  s.generator = makeGenerator(s.config.training.seed);

  s.model = makeModel(s.config);
  initializeParameters(*s.model, s.generator);
  s.emaModel = makeModel(s.config);
  copyParameters(*s.model, *s.emaModel);
  s.model->to(s.device);
  s.emaModel->to(s.device);
  s.ema = std::make_unique<Ema>(s.emaModel, s.config.ema.decay);

  const auto& o = s.config.optimizer;
  s.optimizer = std::make_unique<torch::optim::Adam>(
      s.model->parameters(), torch::optim::AdamOptions(o.lr)
                                 .betas({o.beta1, o.beta2})
                                 .eps(o.eps)
                                 .weight_decay(o.weight_decay));
  s.schedule = std::make_unique<LrSchedule>(s.config.schedule, o.lr, s.config.training.steps);

  if (!s.isMain()) {
    // Rank 0 owns the folder; the others only read the checkpoint it resumes from.
    const bool exists = holdsRun();
    if (exists && mode != StartMode::Fresh) restore();
    return;
  }
  // One writer per folder from here on; then whatever a killed writer left is safe to remove.
  s.run.create();
  s.lock = std::make_unique<RunFolderLock>(runDir);
  if (!s.lock->staleHolder().empty())
    warn(runDir + ": took over the lock of a writer that ended without releasing it (" +
         s.lock->staleHolder() + ")");
  std::vector<std::string> removed = removeStaleTemporaryFiles(s.run.root());
  for (const auto& name : removeStaleTemporaryFiles(s.run.checkpointDir()))
    removed.push_back("checkpoints/" + name);
  if (!removed.empty()) {
    std::string names;
    for (const auto& n : removed) names += (names.empty() ? "" : ", ") + n;
    warn(runDir + ": removed " + std::to_string(removed.size()) +
         " temporary file(s) of an interrupted writer: " + names);
  }
  const bool exists = holdsRun();
  checkMode(exists);  // again under the lock: another writer may have started meanwhile
  const bool resume = exists && mode != StartMode::Fresh;
  if (resume) restore();
  saveExperiment(s.config, s.run.configPath());
  s.metrics = std::make_unique<MetricsLog>(s.run.metricsPath(), metricColumns(s.hooks),
                                           resume ? s.step : -1, warn);
}

void Trainer::restore() {
  State& s = *s_;
  // Newest first: latest.pt, then the step files (a hard link to latest.pt is the same file).
  std::vector<std::string> candidates;
  if (s.run.hasCheckpoint()) candidates.push_back(s.run.latestCheckpointPath());
  const std::vector<int64_t> steps = s.run.checkpointSteps();
  for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
    const std::string path = s.run.checkpointPath(*it);
    std::error_code ec;
    if (!candidates.empty() && fs::equivalent(path, candidates.front(), ec)) continue;
    candidates.push_back(path);
  }
  std::vector<std::string> damaged;
  for (const std::string& path : candidates) {
    std::string storedYaml;
    try {
      storedYaml = readCheckpointConfig(path);
    } catch (const CheckpointDamagedError& e) {
      damaged.push_back(e.what());
      continue;
    }
    // The checkpoint's own experiment is the reference: config.yaml can be edited.
    const ExperimentConfig stored = parseExperiment(storedYaml, path + " (stored config)");
    if (const auto conflicts = resumeConflicts(stored, s.config); !conflicts.empty())
      throw InputError(path + ": cannot resume with a different experiment (only training.steps, "
                       "keep_checkpoints, checkpoint_every, log_every, threads, device, precision, "
                       "data.loader_threads, sampling.* and evaluation.* may change; checkpoint -> requested):" +
                       joinLines(conflicts));
    TrainingCounters counters;
    s.step = readCheckpoint(path, {s.model.get(), s.emaModel.get(), s.optimizer.get(),
                                   &s.generator, &counters});
    if (s.step > s.config.training.steps)
      throw ConfigError("training.steps",
                        "training.steps: " + std::to_string(s.config.training.steps) +
                            " is below the step this run has reached (" + std::to_string(s.step) +
                            ", " + path + "); expected at least " + std::to_string(s.step));
    s.lastCheckpointStep = s.step;
    s.logLossSum = counters.logLossSum;
    s.logSteps = counters.logSteps;
    s.elapsedSec = counters.elapsedSec;
    if (!damaged.empty() && s.hooks.warning)
      s.hooks.warning("skipped damaged checkpoint(s):" + joinLines(damaged) + "\nresuming from " +
                      path + " (step " + std::to_string(s.step) + ")");
    return;
  }
  throw FileError(s.run.root() + ": no intact checkpoint to resume:" + joinLines(damaged));
}

Trainer::~Trainer() = default;

Trainer::State& Trainer::state() { return *s_; }
int64_t Trainer::step() const { return s_->step; }
bool Trainer::finished() const { return s_->step >= s_->config.training.steps; }
const ExperimentConfig& Trainer::config() const { return s_->config; }
const std::string& Trainer::runDir() const { return s_->run.root(); }
std::string Trainer::deviceDescription() const { return describeDevice(s_->device); }
int64_t Trainer::lastCheckpointStep() const { return s_->lastCheckpointStep; }

double Trainer::communicationSeconds() const { return s_->commSec; }

void Trainer::saveCheckpoint() {
  State& s = *s_;
  if (!s.isMain()) {
    s.lastCheckpointStep = s.step;
    return;
  }
  const std::string path = s.run.checkpointPath(s.step);
  TrainingCounters counters{s.logLossSum, s.logSteps, s.elapsedSec};
  writeCheckpoint(path, {s.model.get(), s.emaModel.get(), s.optimizer.get(), &s.generator, &counters},
                  s.step, s.configYaml);
  linkFileAtomic(path, s.run.latestCheckpointPath());
  s.lastCheckpointStep = s.step;

  const int keep = s.config.training.keep_checkpoints;
  if (keep > 0) {
    const std::vector<int64_t> steps = s.run.checkpointSteps();
    for (size_t i = 0; i + static_cast<size_t>(keep) < steps.size(); ++i) {
      std::error_code ec;
      fs::remove(s.run.checkpointPath(steps[i]), ec);
    }
  }
  if (s.hooks.checkpointWritten) s.hooks.checkpointWritten(s.step, path);
}

int64_t Trainer::train(int64_t maxSteps, const std::atomic<bool>* stop, bool checkpointAtEnd) {
  State& s = *s_;
  const auto& tc = s.config.training;
  torch::AutoGradMode gradMode(true);  // grad mode is thread-local: set it on the training thread
  s.model->train();
  // Class-conditional: this step's labels, a label_dropout share replaced by the null class so
  // the same network learns the unconditional field too (classifier-free guidance).
  torch::Tensor labels;
  const int64_t classes = s.model->classes();
  const NetFn net = [&](const torch::Tensor& x, const torch::Tensor& t) {
    return classes > 0 ? s.model->forward(x, t, labels) : s.model->forward(x, t);
  };
  const auto clipParams = s.model->parameters();
  const bool bf16 = tc.precision == "bf16";

  const Clock::time_point start = Clock::now();
  Clock::time_point lastProgress = start, lastLog = start;
  int64_t done = 0, progressSteps = 0;
  double progressLossSum = 0, lastLoss = NAN, lr = s.schedule->at(s.step);
  const double elapsedBefore = s.elapsedSec;

  auto emitProgress = [&](Clock::time_point now) {
    if (!s.hooks.progress) return;
    TrainProgress p;
    p.step = s.step;
    p.totalSteps = tc.steps;
    p.loss = lastLoss;
    p.lossMean = progressSteps ? progressLossSum / progressSteps : lastLoss;
    p.lr = lr;
    const double dt = std::chrono::duration<double>(now - lastProgress).count();
    p.itPerSec = dt > 0 ? progressSteps / dt : 0;
    p.elapsedSec = s.elapsedSec;
    s.hooks.progress(p);
    lastProgress = now;
    progressSteps = 0;
    progressLossSum = 0;
  };

  // Distributed: a stop request travels with the step's loss (all ranks stop after the same step).
  bool stopRequested = false;
  const auto stopNow = [&] { return s.comm ? stopRequested : stop && stop->load(); };

  while (s.step < tc.steps && (maxSteps < 0 || done < maxSteps) && !stopNow()) {
    lr = s.schedule->at(s.step);
    for (auto& group : s.optimizer->param_groups())
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);

    DataBatch batch = s.data->batch(s.step, tc.batch_size, s.generator);
    const torch::Tensor x1 = batch.x1.to(s.device, /*non_blocking=*/true);
    if (classes > 0) {
      // Drawn for the whole batch on every rank, then cut to this rank's rows.
      const torch::Tensor drop =
          (torch::rand({s.shard.total}, s.generator) < tc.label_dropout).narrow(0, s.shard.offset, s.shard.count);
      labels = batch.labels.masked_fill(drop, classes).to(s.device, /*non_blocking=*/true);
    }
    torch::Tensor loss;
    {
      // bf16: the forward pass and loss under autocast (thread-local: set here, on the training
      // thread); backward and the optimizer outside it, in float32, as PyTorch recommends.
      std::optional<AutocastScope> autocast;
      if (bf16) autocast.emplace(s.device.type(), torch::kBFloat16);
      loss = s.objective->loss(net, x1, s.generator, &s.shard).to(torch::kFloat32);
    }
    double lossValue = loss.item<double>();
    if (s.comm) {
      // One collective carries the batch loss (the mean of the ranks' shard means) and whether
      // any rank was asked to stop, so every rank takes the same decision at the same step.
      torch::Tensor shared = torch::tensor({lossValue, stop && stop->load() ? 1.0 : 0.0}, torch::kFloat64);
      const Clock::time_point commStart = Clock::now();
      s.comm->allReduceSum(shared);
      s.commSec += secondsSince(commStart);
      lossValue = shared[0].item<double>() / s.comm->worldSize();
      if (shared[1].item<double>() > 0) stopRequested = true;
    }
    if (!std::isfinite(lossValue)) {
      std::ostringstream msg;
      msg << "loss became " << lossValue << " at step " << s.step + 1 << " (lr " << lr
          << "); training stopped before the update. ";
      if (s.lastCheckpointStep >= 0)
        msg << "The last good checkpoint is step " << s.lastCheckpointStep << " ("
            << s.run.checkpointPath(s.lastCheckpointStep) << "). ";
      // Advice by cause: extreme data, or a loss that was never finite (the learning rate has
      // not acted yet), before the usual suspects.
      const torch::Tensor finite = torch::isfinite(x1);
      const double largest = finite.all().item<bool>() ? x1.abs().max().item<double>() : INFINITY;
      if (!(largest <= 1e15))
        msg << "The data batch holds values up to " << largest
            << " in magnitude: check the data values (data.*).";
      else if (s.step == 0)
        msg << "No update has been made yet, so the learning rate is not the cause: check the "
               "data and path values (data.*, path.*) for extreme numbers.";
      else
        msg << "Lower optimizer.lr or set optimizer.grad_clip.";
      s.elapsedSec = elapsedBefore + secondsSince(start);
      throw NonFiniteLossError(msg.str());
    }
    s.optimizer->zero_grad();
    loss.backward();
    if (s.comm) {
      // The same list on every rank (zeros where a parameter got no gradient), averaged.
      std::vector<torch::Tensor> gradients;
      for (auto& p : clipParams) {
        if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
        gradients.push_back(p.grad());
      }
      const Clock::time_point commStart = Clock::now();
      s.comm->allReduceMean(gradients);
      s.commSec += secondsSince(commStart);
    }
    if (s.config.optimizer.grad_clip > 0)
      torch::nn::utils::clip_grad_norm_(clipParams, s.config.optimizer.grad_clip);
    s.optimizer->step();
    if (s.ema->enabled()) s.ema->update(*s.model, s.step);
    else copyParameters(*s.model, *s.emaModel);

    ++s.step;
    ++done;
    lastLoss = lossValue;
    progressLossSum += lossValue;
    s.logLossSum += lossValue;
    ++progressSteps;
    ++s.logSteps;
    s.elapsedSec = elapsedBefore + secondsSince(start);

    const bool evalNow = s.isMain() && s.config.evaluation.every > 0 && s.hooks.evaluate &&
                         (s.step % s.config.evaluation.every == 0 || s.step == tc.steps);
    const bool logNow = s.isMain() && (s.step % tc.log_every == 0 || s.step == tc.steps || evalNow);
    if (logNow) {
      const Clock::time_point now = Clock::now();
      const double dt = std::chrono::duration<double>(now - lastLog).count();
      std::map<std::string, double> row{{"step", static_cast<double>(s.step)},
                                        {"loss", s.logLossSum / s.logSteps},
                                        {"lr", lr},
                                        {"it_per_s", dt > 0 ? std::min<double>(s.logSteps, done) / dt : 0},
                                        {"elapsed_s", s.elapsedSec}};
      if (evalNow) {
        const Clock::time_point evalStart = Clock::now();
        const EvalValues values = s.hooks.evaluate(*this);
        lastProgress += Clock::now() - evalStart;  // it/s measures training, not evaluation
        s.model->train();
        row.insert(values.begin(), values.end());
        if (s.hooks.evaluated) s.hooks.evaluated(s.step, values);
      }
      s.metrics->append(row);
      lastLog = Clock::now();  // evaluation time does not count against it/s
      s.logSteps = 0;
      s.logLossSum = 0;
    }
    if (s.step % tc.checkpoint_every == 0) saveCheckpoint();

    const Clock::time_point now = Clock::now();
    if (std::chrono::duration<double, std::milli>(now - lastProgress).count() >=
        s.hooks.progressIntervalMs)
      emitProgress(now);
  }
  if (checkpointAtEnd && s.step != s.lastCheckpointStep) saveCheckpoint();
  if (progressSteps > 0 || done == 0) emitProgress(Clock::now());
  return done;
}

}  // namespace flowscope
