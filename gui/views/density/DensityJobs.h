#pragma once
// The density view's background work on AsyncQuery: trajectories of a weight snapshot (chunked,
// partial pictures posted at doubling counts) and the model's exact p_t (eq. 27-30, refined from
// 16x16 to 128x128 cells, scrubbing coalesced by a short timer). It decides when a request starts,
// waits (newer weights while the running solve has shown nothing yet) or is already satisfied;
// results arrive through the Listener on the GUI thread, and only the newest request's.

#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "core/api/FlowModel.h"
#include "core/api/Queries.h"

namespace flowscope::gui {

class AsyncQuery;

class DensityJobs : public QObject {
  Q_OBJECT
 public:
  static constexpr int kStoredTimes = 65;    ///< states kept per particle (t = 0, 1/64, ..., 1)
  static constexpr uint64_t kNoiseSeed = 7;  ///< same noise for every snapshot: only the model changes

  struct Solver {
    const char* name;  ///< "midpoint 16"
    SolverSpec spec;
  };
  static const std::vector<Solver>& solvers();

  /// Called on the GUI thread.
  struct Listener {
    /// A (partial or complete) set of trajectories of `model`.
    std::function<void(std::shared_ptr<const Trajectories>, FlowModelPtr, quint64 request)> trajectories;
    /// An exact density grid at time t.
    std::function<void(std::shared_ptr<const DensityGrid>, double t)> exact;
    /// Waiting newer weights may start now: ask again with the view's current weights.
    std::function<void(bool fromNewWeights)> retryTrajectories;
    /// The exact density's coalescing timer fired: ask requestExact() with the current t.
    std::function<void()> exactDue;
    /// Something pending, failed or finished: the labels change.
    std::function<void()> changed;
  };

  enum class Outcome { Started, AlreadyThere, Deferred };

  DensityJobs(AsyncQuery* queries, Listener listener, QObject* parent = nullptr);
  ~DensityJobs() override;

  /// Trajectories of `model` for `particles` with solvers()[solver]. `fromNewWeights`: a new
  /// snapshot of the same run (it waits while the running solve has not shown a first picture).
  Outcome requestTrajectories(const FlowModelPtr& model, int64_t particles, int solver, bool fromNewWeights);
  void cancelTrajectories();
  /// A different run: the next request starts afresh, whatever ran before.
  void forgetTarget() { lastTarget_ = {}; }
  bool trajectoriesPending() const { return trajPending_; }
  bool trajectoriesDeferred() const { return deferred_; }
  quint64 trajectoryRequest() const { return trajRequest_; }
  const QString& trajectoryError() const { return trajError_; }

  /// Coalesces scrubbing: exactDue fires once, 60 ms after the last call.
  void scheduleExact() { exactTimer_.start(); }
  void requestExact(const FlowModelPtr& model, double t, const ViewBounds& bounds);
  void cancelExact();
  bool exactPending() const { return exactPending_ || exactTimer_.isActive(); }
  uint64_t exactModelId() const { return exactModelId_; }
  const QString& exactError() const { return exactError_; }

 private:
  void trajectoriesArrived(const std::shared_ptr<const Trajectories>& t, const FlowModelPtr& model, quint64 request);
  void trajectoriesDone(quint64 request, const QString& error);
  void changed() {
    if (listener_.changed) listener_.changed();
  }

  QPointer<AsyncQuery> queries_;
  Listener listener_;
  QString trajKey_, exactKey_;

  quint64 trajRequest_ = 0, appliedRequest_ = 0;
  bool trajPending_ = false;
  bool deferred_ = false;  ///< new weights arrived while computing: recompute when done
  QString trajError_;
  struct Target {
    uint64_t modelId = 0;
    int64_t particles = 0;
    int solver = -1;
  } lastTarget_;

  QTimer exactTimer_;
  quint64 exactRequest_ = 0;
  bool exactPending_ = false;
  uint64_t exactModelId_ = 0;
  QString exactError_;
};

}  // namespace flowscope::gui
