#include "gui/views/density/DensityJobs.h"

#include <QMetaObject>

#include <algorithm>
#include <atomic>

#include "gui/services/AsyncQuery.h"

namespace flowscope::gui {

const std::vector<DensityJobs::Solver>& DensityJobs::solvers() {
  static const std::vector<Solver> choices{
      {"midpoint 8", {"midpoint", 8, 1e-5, 1e-5}},
      {"midpoint 16", {"midpoint", 16, 1e-5, 1e-5}},
      {"rk4 16", {"rk4", 16, 1e-5, 1e-5}},
      {"dopri5", {"dopri5", 0, 1e-5, 1e-5}},
  };
  return choices;
}

DensityJobs::DensityJobs(AsyncQuery* queries, Listener listener, QObject* parent)
    : QObject(parent), queries_(queries), listener_(std::move(listener)) {
  static int views = 0;
  const int n = ++views;
  trajKey_ = QString("density/%1/trajectories").arg(n);
  exactKey_ = QString("density/%1/exact").arg(n);
  exactTimer_.setSingleShot(true);
  exactTimer_.setInterval(60);
  connect(&exactTimer_, &QTimer::timeout, this, [this] {
    if (listener_.exactDue) listener_.exactDue();
  });
}

DensityJobs::~DensityJobs() {
  if (queries_) {
    queries_->cancel(trajKey_);
    queries_->cancel(exactKey_);
  }
}

void DensityJobs::cancelTrajectories() {
  if (queries_) queries_->cancel(trajKey_);
  trajPending_ = deferred_ = false;
}

DensityJobs::Outcome DensityJobs::requestTrajectories(const FlowModelPtr& model, int64_t n, int solver,
                                                      bool fromNewWeights) {
  const bool same = lastTarget_.modelId == model->id() && lastTarget_.particles == n && lastTarget_.solver == solver;
  // Already computing or showing exactly this (openRun announces weights it just loaded).
  if (same && (trajPending_ || trajError_.isEmpty())) return Outcome::AlreadyThere;
  if (trajPending_ && fromNewWeights && appliedRequest_ != trajRequest_) {
    // The running solve has shown nothing yet: let it deliver a first picture rather than
    // restarting forever under a snapshot stream faster than one chunk.
    deferred_ = true;
    return Outcome::Deferred;
  }
  // Otherwise newer weights supersede the running solve at once (its partial picture stays up
  // until the new one's first chunk arrives), keeping "new weights -> view" to about one chunk.
  if (!queries_) return Outcome::AlreadyThere;
  deferred_ = false;
  trajError_.clear();
  const quint64 request = ++trajRequest_;
  trajPending_ = true;
  lastTarget_ = {model->id(), n, solver};
  const SolverSpec spec = solvers()[static_cast<size_t>(solver)].spec;
  // A small first chunk gives a picture of new weights within about a second; the partial
  // results are posted at doubling counts, so the copies stay O(n log n).
  const int64_t chunk = std::clamp<int64_t>(n / 16, 4096, 65536);
  QPointer<DensityJobs> self(this);
  queries_->submitWithPosts(
      trajKey_,
      [self, model, n, spec, chunk, request](const std::atomic<bool>& cancel, const AsyncQuery::Poster& post) {
        int64_t posted = 0;
        auto deliver = [&](std::shared_ptr<const Trajectories> t) {
          post([self, t, model, request] {
            if (self) self->trajectoriesArrived(t, model, request);
          });
        };
        Trajectories all = computeTrajectories(
            *model, n, kNoiseSeed, kStoredTimes, spec, chunk,
            [&](const Trajectories& part) {
              if (part.count < 2 * posted) return;  // post at doubling counts: few large copies
              posted = part.count;
              deliver(std::make_shared<const Trajectories>(part));
            },
            &cancel);
        if (!cancel.load() && all.complete) deliver(std::make_shared<const Trajectories>(std::move(all)));
      },
      [self, request] {
        if (self) self->trajectoriesDone(request, {});
      },
      [self, request](const QString& error) {
        if (self) self->trajectoriesDone(request, error);
      });
  return Outcome::Started;
}

void DensityJobs::trajectoriesArrived(const std::shared_ptr<const Trajectories>& t, const FlowModelPtr& model,
                                      quint64 request) {
  if (request != trajRequest_) return;
  appliedRequest_ = request;
  if (listener_.trajectories) listener_.trajectories(t, model, request);
  // Newer weights were waiting for this solve's first picture: now they take over.
  if (deferred_) {
    deferred_ = false;
    QMetaObject::invokeMethod(
        this, [this] { if (listener_.retryTrajectories) listener_.retryTrajectories(true); }, Qt::QueuedConnection);
  }
}

void DensityJobs::trajectoriesDone(quint64 request, const QString& error) {
  if (request != trajRequest_) return;
  trajPending_ = false;
  trajError_ = error;
  if (!error.isEmpty()) lastTarget_ = {};
  if (deferred_ && listener_.retryTrajectories) listener_.retryTrajectories(false);
  changed();
}

void DensityJobs::cancelExact() {
  exactTimer_.stop();
  if (queries_) queries_->cancel(exactKey_);
  exactPending_ = false;
}

void DensityJobs::requestExact(const FlowModelPtr& model, double t, const ViewBounds& bounds) {
  if (!queries_) return;
  exactError_.clear();
  const quint64 request = ++exactRequest_;
  exactPending_ = true;
  QPointer<DensityJobs> self(this);
  queries_->submitWithPosts(
      exactKey_,
      [self, model, t, bounds, request](const std::atomic<bool>& cancel, const AsyncQuery::Poster& post) {
        // Coarse first: 16x16 is ready almost at once, each finer grid replaces it.
        for (int cells : {16, 32, 64, 128}) {
          GridSpec grid;
          grid.bounds = bounds;
          grid.nx = grid.ny = cells;
          auto result = std::make_shared<const DensityGrid>(
              modelLogDensity(*model, grid, t, SolverSpec{"dopri5", 0, 1e-5, 1e-5}, &cancel));
          if (cancel.load()) return;
          post([self, result, t, id = model->id(), request] {
            if (!self || request != self->exactRequest_) return;
            self->exactModelId_ = id;
            if (self->listener_.exact) self->listener_.exact(result, t);
          });
        }
      },
      [self, request] {
        if (self && request == self->exactRequest_) {
          self->exactPending_ = false;
          self->changed();
        }
      },
      [self, request](const QString& error) {
        if (self && request == self->exactRequest_) {
          self->exactPending_ = false;
          self->exactError_ = error;
          self->changed();
        }
      });
}

}  // namespace flowscope::gui
