#include "core/train/Trainer.h"

#include <cmath>
#include <filesystem>
#include <sstream>

#include "core/config/ConfigYaml.h"
#include "core/io/AtomicFile.h"
#include "core/models/ModelFactory.h"
#include "core/models/ModelInit.h"
#include "core/objectives/ObjectiveFactory.h"
#include "core/paths/PathFactory.h"
#include "core/train/Checkpoint.h"
#include "core/train/TrainerState.h"
#include "core/util/Device.h"
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

/// Points `link` at `target` atomically: a hard link when the file system allows, else a copy.
void replaceWithLink(const std::string& target, const std::string& link) {
  const std::string tmp = link + ".tmp-link";
  std::error_code ec;
  fs::remove(tmp, ec);
  fs::create_hard_link(target, tmp, ec);
  if (ec) {
    ec.clear();
    fs::copy_file(target, tmp, fs::copy_options::overwrite_existing, ec);
  }
  if (!ec) fs::rename(tmp, link, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw FileError(link + ": cannot update latest checkpoint (" + ec.message() + ")");
  }
}

}  // namespace

Trainer::Trainer(ExperimentConfig config, const std::string& runDir, StartMode mode,
                 TrainerHooks hooks)
    : s_(std::make_unique<State>(runDir)) {
  State& s = *s_;
  s.config = std::move(config);
  s.hooks = std::move(hooks);
  if (auto issues = validate(s.config); !issues.empty())
    throw ConfigError(issues.front().key, issues.front().message);
  s.configYaml = toYaml(s.config);

  const bool exists = s.run.hasCheckpoint();
  if (mode == StartMode::Fresh && exists)
    throw InputError(runDir + " already holds a run (" + s.run.latestCheckpointPath() +
                     "); resume it or choose another run folder");
  if (mode == StartMode::Resume && !exists)
    throw InputError(runDir + ": nothing to resume (" + s.run.latestCheckpointPath() +
                     " is missing)");
  const bool resume = exists && mode != StartMode::Fresh;

  configureThreads(s.config.training.threads);
  s.device = resolveDevice(s.config.training.device);
  s.data = makeDataset(s.config.data);
  s.objective = makeObjective(s.config.objective, makePath(s.config.path));
  s.generator = makeGenerator(s.config.training.seed);

  s.model = makeModel(s.config.model, 2);
  initializeParameters(*s.model, s.generator);
  s.emaModel = makeModel(s.config.model, 2);
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

  s.run.create();
  if (resume) {
    s.step = readCheckpoint(s.run.latestCheckpointPath(),
                            {s.model.get(), s.emaModel.get(), s.optimizer.get(), &s.generator});
    s.lastCheckpointStep = s.step;
  }
  saveExperiment(s.config, s.run.configPath());
  s.metrics = std::make_unique<MetricsLog>(s.run.metricsPath(), metricColumns(s.hooks),
                                           resume ? s.step : -1);
}

Trainer::~Trainer() = default;

Trainer::State& Trainer::state() { return *s_; }
int64_t Trainer::step() const { return s_->step; }
bool Trainer::finished() const { return s_->step >= s_->config.training.steps; }
const ExperimentConfig& Trainer::config() const { return s_->config; }
const std::string& Trainer::runDir() const { return s_->run.root(); }
std::string Trainer::deviceDescription() const { return describeDevice(s_->device); }
int64_t Trainer::lastCheckpointStep() const { return s_->lastCheckpointStep; }

void Trainer::saveCheckpoint() {
  State& s = *s_;
  const std::string path = s.run.checkpointPath(s.step);
  writeCheckpoint(path, {s.model.get(), s.emaModel.get(), s.optimizer.get(), &s.generator}, s.step,
                  s.configYaml);
  replaceWithLink(path, s.run.latestCheckpointPath());
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
  const NetFn net = [&](const torch::Tensor& x, const torch::Tensor& t) {
    return s.model->forward(x, t);
  };
  const auto clipParams = s.model->parameters();

  const Clock::time_point start = Clock::now();
  Clock::time_point lastProgress = start, lastLog = start;
  int64_t done = 0, progressSteps = 0, logSteps = 0;
  double progressLossSum = 0, logLossSum = 0, lastLoss = NAN, lr = s.schedule->at(s.step);
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

  while (s.step < tc.steps && (maxSteps < 0 || done < maxSteps) && !(stop && stop->load())) {
    lr = s.schedule->at(s.step);
    for (auto& group : s.optimizer->param_groups())
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);

    const torch::Tensor x1 = s.data->sample(tc.batch_size, s.generator).to(s.device);
    const torch::Tensor loss = s.objective->loss(net, x1, s.generator);
    const double lossValue = loss.item<double>();
    if (!std::isfinite(lossValue)) {
      std::ostringstream msg;
      msg << "loss became " << lossValue << " at step " << s.step + 1 << " (lr " << lr
          << "); training stopped before the update. ";
      if (s.lastCheckpointStep >= 0)
        msg << "The last good checkpoint is step " << s.lastCheckpointStep << " ("
            << s.run.checkpointPath(s.lastCheckpointStep) << "). ";
      msg << "Lower optimizer.lr or set optimizer.grad_clip.";
      s.elapsedSec = elapsedBefore + secondsSince(start);
      throw NonFiniteLossError(msg.str());
    }
    s.optimizer->zero_grad();
    loss.backward();
    if (s.config.optimizer.grad_clip > 0)
      torch::nn::utils::clip_grad_norm_(clipParams, s.config.optimizer.grad_clip);
    s.optimizer->step();
    if (s.ema->enabled()) s.ema->update(*s.model, s.step);
    else copyParameters(*s.model, *s.emaModel);

    ++s.step;
    ++done;
    lastLoss = lossValue;
    progressLossSum += lossValue;
    logLossSum += lossValue;
    ++progressSteps;
    ++logSteps;
    s.elapsedSec = elapsedBefore + secondsSince(start);

    const bool evalNow = s.config.evaluation.every > 0 && s.hooks.evaluate &&
                         (s.step % s.config.evaluation.every == 0 || s.step == tc.steps);
    const bool logNow = s.step % tc.log_every == 0 || s.step == tc.steps || evalNow;
    if (logNow) {
      const Clock::time_point now = Clock::now();
      const double dt = std::chrono::duration<double>(now - lastLog).count();
      std::map<std::string, double> row{{"step", static_cast<double>(s.step)},
                                        {"loss", logLossSum / logSteps},
                                        {"lr", lr},
                                        {"it_per_s", dt > 0 ? logSteps / dt : 0},
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
      logSteps = 0;
      logLossSum = 0;
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
