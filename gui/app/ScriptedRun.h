#pragma once
// Batch figure making from the command line: load a session and experiments, optionally train,
// wait for the panels to finish computing, export every panel, take a screenshot, quit. A state
// machine on a timer: the event loop keeps running throughout (nothing blocks the GUI thread).

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <optional>

namespace flowscope::gui {

class MainWindow;

struct ScriptOptions {
  QString session;
  QStringList experiments;
  bool train = false;    ///< with no --run or --experiment: the experiment in the editor
  std::optional<int64_t> steps;  ///< train this many steps per run (else to training.steps)
  QString exportDir;
  QString screenshot;
  QString screenshotShownAs;  ///< the name the log uses (the caller may write to a temporary file)
  QString view;           ///< central tab to show (its title), e.g. "Density path"
  QStringList runs;       ///< run folders to open
  bool quit = false;
  bool sweep = false;         ///< run the NFE panel's sweep of every run before exporting
  QString classifier;         ///< with sweep: the NFE panel's classifier file for image runs
  bool measureStall = false;  ///< report the longest event-loop stall as JSON on stdout
  int64_t benchScrub = 0;     ///< > 0: time scrubbing frames of the density view with this many particles
  int benchImageScrub = 0;    ///< > 0: time scrubbing the image path view's grid of this many images
  int timeoutSec = 3600;
};

class ScriptedRun : public QObject {
  Q_OBJECT
 public:
  ScriptedRun(MainWindow* window, ScriptOptions options);
  void start();
  int exitCode() const { return exitCode_; }

 Q_SIGNALS:
  void finished(int exitCode);

 private:
  enum class Phase { Load, Train, Settle, Bench, ImageBench, Export, Done };
  void tick();
  bool trainingDone() const;
  Phase afterTraining() const;  ///< Settle when panels are exported or shown, else Done
  void finish();

  MainWindow* window_;
  ScriptOptions options_;
  Phase phase_ = Phase::Load;
  QTimer timer_;
  QTimer stallProbe_;
  QElapsedTimer clock_, stallClock_, settleClock_;
  qint64 maxStallMs_ = 0;
  qint64 stallTicks_ = 0;
  QList<int> runIds_;
  int exitCode_ = 0;
  bool sweepStarted_ = false;
};

}  // namespace flowscope::gui
