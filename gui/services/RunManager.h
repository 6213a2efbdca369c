#pragma once
// The runs the app knows about and their training jobs. Lives on the GUI thread; jobs train on
// their own worker threads (core/api/TrainingJob) and their callbacks only append plain values to
// an inbox under a short lock. A timer drains the inbox every 50 ms and emits coalesced signals
// (PlotJuggler's pattern), so the GUI thread never waits on training.

#include <QColor>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/api/FlowModel.h"
#include "core/api/TrainingJob.h"
#include "core/config/ExperimentConfig.h"

namespace flowscope::gui {

/// Which runs a view lists: the 2D views show point runs, the image views image runs.
enum class RunKind { Any, Points, Images };

/// Everything the app shows about one run. Owned by RunManager, read on the GUI thread.
struct RunRecord {
  int id = 0;
  QString name;    ///< config.name, made unique among open runs
  QString runDir;
  ExperimentConfig config;
  QColor color;
  JobStatus status;
  bool hasJob = false;   ///< a worker exists, so training can be started or resumed
  std::vector<ProgressSnapshot> progress;  ///< training history (from metrics.csv, then live)
  std::vector<EvalSnapshot> evals;         ///< evaluation history
  FlowModelPtr weights;  ///< the newest weight snapshot (null until one exists)
};

class RunManager : public QObject {
  Q_OBJECT
 public:
  explicit RunManager(QObject* parent = nullptr);
  /// Stops every job; each writes a checkpoint. Waits for the steps in progress (app exit only).
  ~RunManager() override;

  /// A run of `config` in `runDir`: resumes when the folder already holds this run, else starts
  /// fresh. The worker builds the model at once and then waits for start(). Returns the id.
  int createRun(const ExperimentConfig& config, const QString& runDir);
  /// Opens an existing run folder (config.yaml, metrics.csv, latest checkpoint) without training.
  /// Returns -1 and emits errorOccurred with the reason when the folder is not a run.
  int openRun(const QString& runDir);

  void start(int id);  ///< start or resume training (creates the worker when needed)
  void pause(int id);
  void step(int id, int n = 1);
  void stop(int id);
  /// Forgets the run (its folder stays on disk); a running job is stopped in the background.
  void removeRun(int id);

  QList<int> runIds(RunKind kind = RunKind::Any) const;
  /// Whether run `id` exists and is of `kind`.
  bool isKind(int id, RunKind kind) const;
  const RunRecord* run(int id) const;
  int runningCount() const;

  QString runsRoot() const { return runsRoot_; }
  void setRunsRoot(const QString& dir) { runsRoot_ = dir; }
  /// A folder under runsRoot() named after the experiment that does not exist yet.
  QString suggestRunDir(const QString& name) const;

  /// Palette used for runs, in order; the same index gives the same color in every view.
  static QColor colorForIndex(int index);

 Q_SIGNALS:
  void runAdded(int id);
  void runRemoved(int id);
  void statusChanged(int id);
  void progressUpdated(int id);  ///< new progress records appended (coalesced)
  void evaluationAdded(int id);
  void weightsUpdated(int id);   ///< a new weight snapshot in RunRecord::weights
  void errorOccurred(int id, const QString& message);  ///< id -1: not tied to a run
  void warningOccurred(int id, const QString& message);  ///< e.g. a damaged metrics line skipped

 private:
  struct Inbox {
    std::mutex mutex;
    std::vector<ProgressSnapshot> progress;
    std::vector<EvalSnapshot> evals;
    std::vector<JobStatus> statuses;
    FlowModelPtr weights;
  };
  struct Entry {
    RunRecord record;
    std::unique_ptr<TrainingJob> job;
    std::shared_ptr<Inbox> inbox;
  };

  void ensureJob(Entry& entry, bool runImmediately);
  void drain();
  void rebalanceThreads();
  void loadHistory(RunRecord& record);
  QString uniqueName(const QString& name) const;
  void retire(std::unique_ptr<TrainingJob> job);

  std::map<int, Entry> entries_;
  int nextId_ = 1;
  int colorIndex_ = 0;
  QTimer drainTimer_;
  QString runsRoot_;
  std::vector<std::thread> reapers_;  ///< join retired jobs off the GUI thread
};

}  // namespace flowscope::gui
