#include "core/api/TrainingJob.h"

#include <torch/torch.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/models/ModelFactory.h"
#include "core/models/ModelInit.h"
#include "core/train/Evaluation.h"
#include "core/train/TrainedFlow.h"
#include "core/train/Trainer.h"
#include "core/train/TrainerState.h"
#include "core/util/Device.h"
#include "core/util/Error.h"
#include "core/util/Process.h"

namespace flowscope {

const char* jobStateName(JobState state) {
  switch (state) {
    case JobState::Starting: return "starting";
    case JobState::Running: return "running";
    case JobState::Paused: return "paused";
    case JobState::Finished: return "finished";
    case JobState::Stopped: return "stopped";
    case JobState::Failed: return "failed";
  }
  return "?";
}

struct TrainingJob::Impl {
  ExperimentConfig config;
  std::string runDir;
  StartPolicy policy;
  JobCallbacks callbacks;

  mutable std::mutex mutex;
  std::condition_variable wake;
  bool wantRun = false;
  int64_t stepBudget = 0;
  bool wantStop = false;
  bool ended = false;
  std::atomic<bool> interrupt{false};
  std::atomic<int> threads{-1};  // -1: keep the config's
  JobStatus current;
  std::thread worker;

  void setStatus(JobState state, const std::string& message, const Trainer* trainer) {
    JobStatus s;
    {
      std::lock_guard<std::mutex> lock(mutex);
      current.state = state;
      current.message = message;
      if (trainer) {
        current.step = trainer->step();
        current.lastCheckpointStep = trainer->lastCheckpointStep();
        current.device = trainer->deviceDescription();
      }
      s = current;
    }
    if (callbacks.status) callbacks.status(s);
  }

  /// Records the trainer's last values, then destroys it: the run folder's lock is released
  /// before the final status tells anyone (the app starts a new job on the folder at once).
  void release(std::unique_ptr<Trainer>& trainer) {
    if (!trainer) return;
    {
      std::lock_guard<std::mutex> lock(mutex);
      current.step = trainer->step();
      current.lastCheckpointStep = trainer->lastCheckpointStep();
      current.device = trainer->deviceDescription();
    }
    trainer.reset();
  }

  void applyThreads() {
    const int n = threads.exchange(-1);
    if (n >= 0) configureThreads(n);
  }

  /// A frozen copy of the EMA weights for the views.
  void publishWeights(Trainer& trainer) {
    if (!callbacks.weights) return;
    Trainer::State& s = trainer.state();
    VelocityNet copy = makeModel(s.config);
    copy->to(s.device);
    copyParameters(*s.emaModel, *copy);
    auto flow = std::make_shared<TrainedFlow>(s.config, s.objective, copy, s.step);
    callbacks.weights(std::make_shared<FlowModel>(std::move(flow), runDir));
  }

  void run() {
    if (callbacks.lowPriority) lowerThreadPriority(10);
    std::unique_ptr<Trainer> trainer;
    try {
      using Clock = std::chrono::steady_clock;
      Clock::time_point lastWeights = Clock::now();
      TrainerHooks hooks = evaluationHooks(config);
      hooks.progressIntervalMs = callbacks.progressIntervalMs;
      Trainer* self = nullptr;
      hooks.progress = [&](const TrainProgress& p) {
        applyThreads();
        if (callbacks.progress)
          callbacks.progress({p.step, p.totalSteps, p.loss, p.lossMean, p.lr, p.itPerSec, p.elapsedSec});
        const Clock::time_point now = Clock::now();
        if (self && std::chrono::duration<double, std::milli>(now - lastWeights).count() >=
                        callbacks.weightsIntervalMs) {
          publishWeights(*self);
          lastWeights = now;
        }
      };
      hooks.evaluated = [&](int64_t step, const EvalValues& values) {
        if (callbacks.evaluated) callbacks.evaluated({step, values});
      };
      // Warnings (a damaged checkpoint skipped, a stale lock taken over) go out as the message
      // of the next status.
      std::string notes;
      hooks.warning = [&](const std::string& message) {
        notes += (notes.empty() ? "" : "\n") + message;
      };
      const auto takeNotes = [&] {
        std::string out;
        out.swap(notes);
        return out;
      };
      const StartMode mode = policy == StartPolicy::Fresh    ? StartMode::Fresh
                             : policy == StartPolicy::Resume ? StartMode::Resume
                                                             : StartMode::ResumeIfAny;
      trainer = std::make_unique<Trainer>(config, runDir, mode, hooks);
      self = trainer.get();
      publishWeights(*trainer);

      while (!trainer->finished()) {
        int64_t budget = -1;  // -1: until the end, a pause or a stop
        {
          std::unique_lock<std::mutex> lock(mutex);
          if (!wantStop && !wantRun && stepBudget == 0) {
            lock.unlock();
            setStatus(JobState::Paused, takeNotes(), trainer.get());
            lock.lock();
            wake.wait(lock, [&] { return wantStop || wantRun || stepBudget > 0; });
          }
          if (wantStop) break;
          if (stepBudget > 0) {
            budget = stepBudget;
            stepBudget = 0;
          }
          interrupt = false;
        }
        setStatus(JobState::Running, takeNotes(), trainer.get());
        applyThreads();
        trainer->train(budget, &interrupt, /*checkpointAtEnd=*/false);
        publishWeights(*trainer);
      }
      if (trainer->step() != trainer->lastCheckpointStep()) trainer->saveCheckpoint();
      publishWeights(*trainer);
      const bool finished = trainer->finished();
      const std::string at = std::to_string(trainer->step());
      release(trainer);
      if (finished) setStatus(JobState::Finished, "finished at step " + at, nullptr);
      else setStatus(JobState::Stopped, "stopped at step " + at, nullptr);
    } catch (const std::exception& e) {
      release(trainer);
      setStatus(JobState::Failed, e.what(), nullptr);
    }
    std::lock_guard<std::mutex> lock(mutex);
    ended = true;
    wake.notify_all();
  }

};

TrainingJob::TrainingJob(ExperimentConfig config, std::string runDir, StartPolicy policy,
                         JobCallbacks callbacks, bool runImmediately)
    : impl_(std::make_unique<Impl>()) {
  impl_->config = std::move(config);
  impl_->runDir = std::move(runDir);
  impl_->policy = policy;
  impl_->callbacks = std::move(callbacks);
  impl_->wantRun = runImmediately;
  impl_->current.step = 0;
  impl_->worker = std::thread([this] { impl_->run(); });
}

TrainingJob::~TrainingJob() {
  stop();
  if (impl_->worker.joinable()) impl_->worker.join();
}

void TrainingJob::resume() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->wantRun = true;
  impl_->wake.notify_all();
}

void TrainingJob::pause() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->wantRun = false;
  impl_->stepBudget = 0;
  impl_->interrupt = true;
}

void TrainingJob::step(int64_t n) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->wantRun = false;
  impl_->stepBudget = std::max<int64_t>(1, n);
  impl_->wake.notify_all();
}

void TrainingJob::setThreads(int threads) { impl_->threads = std::max(0, threads); }

void TrainingJob::stop() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->wantStop = true;
  impl_->interrupt = true;
  impl_->wake.notify_all();
}

JobStatus TrainingJob::wait() {
  std::unique_lock<std::mutex> lock(impl_->mutex);
  impl_->wake.wait(lock, [&] { return impl_->ended; });
  return impl_->current;
}

JobStatus TrainingJob::status() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->current;
}

const std::string& TrainingJob::runDir() const { return impl_->runDir; }

}  // namespace flowscope
