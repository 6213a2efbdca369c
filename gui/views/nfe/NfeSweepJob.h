#pragma once
// The NFE panel's background work: the sweep of the checked runs (core/api sweepModel, all from
// the same noise) and the strip's samples, each one AsyncQuery task that posts every finished
// run's result to the GUI thread as it arrives. The GUI thread never waits: start returns at
// once, cancel raises the task's flag and drops what it would still post.

#include <QColor>
#include <QObject>
#include <QPointer>
#include <QString>

#include <vector>

#include "core/api/FlowModel.h"
#include "core/api/Sweeps.h"
#include "gui/views/nfe/NfeScene.h"

namespace flowscope::gui {

class AsyncQuery;

/// A run to sweep: its name, color and the weight snapshot to solve with.
struct NfeRunJob {
  QString name;
  QColor color;
  FlowModelPtr model;
};

/// Samples per solve in an image run's sweep (the form's count applies to 2D runs).
inline constexpr int64_t kImageSweepSamples = 64;

class NfeSweepJob : public QObject {
  Q_OBJECT
 public:
  NfeSweepJob(AsyncQuery* queries, QObject* parent = nullptr);
  ~NfeSweepJob() override;

  /// Sweeps `runs` with `spec` (cancels a strip in progress: its rows would mix with the new
  /// sweep's). Returns the number of solves it will report progress over.
  int startSweep(std::vector<NfeRunJob> runs, const SweepSpec& spec);
  /// Samples the strip: `n` points per run and strip NFE with `solver`, steps = NFE / stages.
  void startStrip(std::vector<NfeRunJob> runs, const QString& solver, int64_t n, uint64_t seed);
  void cancel();

  bool sweeping() const { return sweeping_; }
  bool sampling() const { return sampling_; }
  bool busy() const { return sweeping_ || sampling_; }
  bool available() const { return !queries_.isNull(); }

 Q_SIGNALS:
  void progress(int done, int total);
  void resultReady(const QString& run, const QColor& color, const flowscope::SweepResult& result);
  void sweepFinished();
  void stripRowReady(const flowscope::gui::NfeStripRow& row);
  void stripFinished();
  void failed(const QString& what, const QString& error);

 private:
  QPointer<AsyncQuery> queries_;
  bool sweeping_ = false, sampling_ = false;
};

}  // namespace flowscope::gui
