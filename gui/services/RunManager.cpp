#include "gui/services/RunManager.h"

#include <QDir>
#include <QRegularExpression>
#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>
#include <cmath>
#include <thread>

#include "core/api/ImageQueries.h"
#include "core/api/Queries.h"
#include "core/api/RunFolder.h"

namespace flowscope::gui {

RunManager::RunManager(QObject* parent) : QObject(parent) {
  runsRoot_ = QDir(QStandardPaths::writableLocation(QStandardPaths::HomeLocation)).filePath("FlowScope/runs");
  drainTimer_.setInterval(50);
  connect(&drainTimer_, &QTimer::timeout, this, &RunManager::drain);
  drainTimer_.start();
}

RunManager::~RunManager() {
  drainTimer_.stop();
  for (auto& [id, entry] : entries_)
    if (entry.job) entry.job->stop();
  entries_.clear();  // each TrainingJob joins its worker (checkpoint written)
  for (auto& t : reapers_)
    if (t.joinable()) t.join();
}

QColor RunManager::colorForIndex(int index) {
  // Okabe-Ito: distinguishable for color-blind readers, in light and dark themes.
  static const QColor colors[] = {QColor(0, 114, 178), QColor(213, 94, 0), QColor(0, 158, 115),
                                  QColor(204, 121, 167), QColor(230, 159, 0), QColor(86, 180, 233),
                                  QColor(240, 228, 66), QColor(120, 120, 120)};
  return colors[index % 8];
}

QString RunManager::uniqueName(const QString& name) const {
  QString candidate = name;
  for (int k = 2;; ++k) {
    bool taken = false;
    for (const auto& [id, e] : entries_) taken = taken || e.record.name == candidate;
    if (!taken) return candidate;
    candidate = QString("%1 (%2)").arg(name).arg(k);
  }
}

QString RunManager::suggestRunDir(const QString& name) const {
  QString base = name;
  base.replace(QRegularExpression("[^A-Za-z0-9_.-]"), "-");
  const QDir root(runsRoot_);
  QString dir = root.filePath(base);
  for (int k = 2; QFileInfo::exists(dir); ++k) dir = root.filePath(QString("%1-%2").arg(base).arg(k));
  return dir;
}

void RunManager::loadHistory(RunRecord& r) {
  try {
    RunHistory history = readRunHistory(r.runDir.toStdString(), r.config.training.steps);
    r.progress = std::move(history.progress);
    r.evals = std::move(history.evals);
    for (const std::string& w : history.warnings) Q_EMIT warningOccurred(r.id, QString::fromStdString(w));
  } catch (const std::exception& e) {
    Q_EMIT errorOccurred(r.id, QString::fromStdString(e.what()));
  }
}

int RunManager::createRun(const ExperimentConfig& config, const QString& runDir) {
  const int id = nextId_++;
  Entry& entry = entries_[id];
  entry.record.id = id;
  entry.record.config = config;
  entry.record.name = uniqueName(QString::fromStdString(config.name));
  entry.record.runDir = QDir(runDir).absolutePath();
  entry.record.color = colorForIndex(colorIndex_++);
  loadHistory(entry.record);
  ensureJob(entry, /*runImmediately=*/false);
  Q_EMIT runAdded(id);
  return id;
}

int RunManager::openRun(const QString& runDir) {
  const std::string root = QDir(runDir).absolutePath().toStdString();
  ExperimentConfig config;
  try {
    config = readRunConfig(root);
  } catch (const std::exception& e) {
    Q_EMIT errorOccurred(-1, QString("%1 is not a FlowScope run: %2").arg(runDir, QString::fromStdString(e.what())));
    return -1;
  }
  const int id = nextId_++;
  Entry& entry = entries_[id];
  entry.record.id = id;
  entry.record.config = config;
  entry.record.name = uniqueName(QString::fromStdString(config.name));
  entry.record.runDir = QString::fromStdString(root);
  entry.record.color = colorForIndex(colorIndex_++);
  entry.record.status.state = JobState::Stopped;
  loadHistory(entry.record);
  if (runHasCheckpoint(root)) {
    try {
      entry.record.weights = loadFlowModel(root);
      entry.record.status.step = entry.record.weights->step();
      entry.record.status.lastCheckpointStep = entry.record.weights->step();
      if (entry.record.status.step >= config.training.steps) entry.record.status.state = JobState::Finished;
    } catch (const std::exception& e) {
      entry.record.status.state = JobState::Failed;
      entry.record.status.message = e.what();
      Q_EMIT errorOccurred(id, QString::fromStdString(e.what()));
    }
  }
  Q_EMIT runAdded(id);
  if (entry.record.weights) Q_EMIT weightsUpdated(id);
  return id;
}

void RunManager::ensureJob(Entry& entry, bool runImmediately) {
  if (entry.job) return;
  auto inbox = std::make_shared<Inbox>();
  entry.inbox = inbox;
  JobCallbacks cb;
  // Worker-thread callbacks: append and return; the GUI thread drains (never the other way round).
  cb.progress = [inbox](const ProgressSnapshot& p) {
    std::lock_guard<std::mutex> l(inbox->mutex);
    inbox->progress.push_back(p);
  };
  cb.evaluated = [inbox](const EvalSnapshot& e) {
    std::lock_guard<std::mutex> l(inbox->mutex);
    inbox->evals.push_back(e);
  };
  cb.status = [inbox](const JobStatus& s) {
    std::lock_guard<std::mutex> l(inbox->mutex);
    inbox->statuses.push_back(s);
  };
  cb.weights = [inbox](FlowModelPtr w) {
    std::lock_guard<std::mutex> l(inbox->mutex);
    inbox->weights = std::move(w);
  };
  // Progress history is kept by the trainer's log cadence in metrics.csv; live records at 10 Hz.
  cb.progressIntervalMs = 100;
  cb.weightsIntervalMs = 2000;
  cb.lowPriority = true;  // the event loop first: training yields when the cores are busy
  // A run already past its last step keeps its history but needs no worker.
  entry.job = std::make_unique<TrainingJob>(entry.record.config, entry.record.runDir.toStdString(),
                                            StartPolicy::ResumeIfAny, std::move(cb), runImmediately);
  entry.record.hasJob = true;
  entry.record.status.state = JobState::Starting;
}

void RunManager::start(int id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  Entry& e = it->second;
  if (e.record.status.state == JobState::Finished) {
    Q_EMIT errorOccurred(id, QString("%1 has reached training.steps = %2; raise it to train further")
                                 .arg(e.record.name).arg(e.record.config.training.steps));
    return;
  }
  if (!e.job || e.record.status.state == JobState::Stopped || e.record.status.state == JobState::Failed) {
    if (e.job) retire(std::move(e.job));
    e.record.hasJob = false;
    ensureJob(e, true);
  } else {
    e.job->resume();
  }
  rebalanceThreads();
}

void RunManager::pause(int id) {
  auto it = entries_.find(id);
  if (it != entries_.end() && it->second.job) it->second.job->pause();
}

void RunManager::step(int id, int n) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  Entry& e = it->second;
  if (!e.job || e.record.status.state == JobState::Stopped || e.record.status.state == JobState::Failed) {
    if (e.job) retire(std::move(e.job));
    ensureJob(e, false);
  }
  e.job->step(n);
}

void RunManager::stop(int id) {
  auto it = entries_.find(id);
  if (it != entries_.end() && it->second.job) it->second.job->stop();
}

void RunManager::retire(std::unique_ptr<TrainingJob> job) {
  // Joining waits for the step in progress: do it off the GUI thread.
  job->stop();
  reapers_.emplace_back([j = std::shared_ptr<TrainingJob>(std::move(job))]() mutable { j.reset(); });
}

void RunManager::removeRun(int id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  if (it->second.job) retire(std::move(it->second.job));
  entries_.erase(it);
  Q_EMIT runRemoved(id);
  rebalanceThreads();
}

QList<int> RunManager::runIds(RunKind kind) const {
  QList<int> ids;
  for (const auto& [id, e] : entries_)
    if (isKind(id, kind)) ids << id;
  return ids;
}

bool RunManager::isKind(int id, RunKind kind) const {
  const RunRecord* r = run(id);
  if (!r) return false;
  switch (kind) {
    case RunKind::Any: return true;
    case RunKind::Points: return isPointData(r->config.data);
    case RunKind::Images: return isImageData(r->config.data);
  }
  return false;
}

const RunRecord* RunManager::run(int id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : &it->second.record;
}

int RunManager::runningCount() const {
  int n = 0;
  for (const auto& [id, e] : entries_) n += e.record.status.state == JobState::Running ? 1 : 0;
  return n;
}

void RunManager::rebalanceThreads() {
  // Split the cores between running jobs: OpenMP teams are per worker thread, so two jobs with
  // all cores each would oversubscribe the machine (docs/benchmarks.md).
  int active = 0;
  for (const auto& [id, e] : entries_)
    if (e.job && (e.record.status.state == JobState::Running || e.record.status.state == JobState::Starting)) ++active;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int each = std::max(1, cores / std::max(1, active));
  for (auto& [id, e] : entries_) {
    if (!e.job) continue;
    const int wanted = e.record.config.training.threads;
    e.job->setThreads(wanted > 0 ? std::min(wanted, each) : each);
  }
}

void RunManager::drain() {
  bool anyStatus = false;
  for (auto& [id, e] : entries_) {
    if (!e.inbox) continue;
    std::vector<ProgressSnapshot> progress;
    std::vector<EvalSnapshot> evals;
    std::vector<JobStatus> statuses;
    FlowModelPtr weights;
    {
      std::lock_guard<std::mutex> l(e.inbox->mutex);
      progress.swap(e.inbox->progress);
      evals.swap(e.inbox->evals);
      statuses.swap(e.inbox->statuses);
      weights.swap(e.inbox->weights);
    }
    RunRecord& r = e.record;
    if (!progress.empty()) {
      r.progress.insert(r.progress.end(), progress.begin(), progress.end());
      r.status.step = progress.back().step;
      Q_EMIT progressUpdated(id);
    }
    if (!evals.empty()) {
      r.evals.insert(r.evals.end(), evals.begin(), evals.end());
      Q_EMIT evaluationAdded(id);
    }
    if (weights) {
      r.weights = std::move(weights);
      Q_EMIT weightsUpdated(id);
    }
    for (const JobStatus& s : statuses) {
      const bool failedNow = s.state == JobState::Failed && r.status.state != JobState::Failed;
      r.status = s;
      anyStatus = true;
      Q_EMIT statusChanged(id);
      if (failedNow) Q_EMIT errorOccurred(id, QString("%1: %2").arg(r.name, QString::fromStdString(s.message)));
    }
  }
  if (anyStatus) rebalanceThreads();
}

}  // namespace flowscope::gui
