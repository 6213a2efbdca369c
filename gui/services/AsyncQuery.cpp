#include "gui/services/AsyncQuery.h"

#include <QMetaObject>

#include <exception>
#include <thread>

#include "core/api/Threads.h"
#include "core/util/Process.h"

namespace flowscope::gui {
namespace {
std::atomic<int> gThreadsPerTask{0};
}

AsyncQuery::AsyncQuery(QObject* parent) : QObject(parent) { pool_.setMaxThreadCount(2); }

AsyncQuery::~AsyncQuery() {
  for (Slot& s : slots_)
    if (s.cancel) *s.cancel = true;
  pool_.waitForDone();
}

void AsyncQuery::setThreadsPerTask(int threads) { gThreadsPerTask = threads; }

void AsyncQuery::cancel(const QString& key) {
  auto it = slots_.find(key);
  if (it == slots_.end()) return;
  if (it->cancel) *it->cancel = true;
  ++it->generation;  // a result still in flight is dropped
}

void AsyncQuery::changePending(int delta) {
  const bool wasBusy = pending_ > 0;
  pending_ += delta;
  if (wasBusy != (pending_ > 0)) Q_EMIT busyChanged(pending_ > 0);
}

void AsyncQuery::submitWithPosts(const QString& key,
                                 std::function<void(const std::atomic<bool>&, const Poster&)> work,
                                 std::function<void()> done, std::function<void(QString)> failed) {
  run(key, std::move(work), std::move(done), std::move(failed));
}

void AsyncQuery::run(const QString& key, std::function<void(const std::atomic<bool>&, const Poster&)> work,
                     std::function<void()> done, std::function<void(QString)> failed) {
  ++requests_;
  Slot& slot = slots_[key];
  if (slot.cancel) *slot.cancel = true;  // supersede the previous request
  const quint64 generation = ++slot.generation;
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  slot.cancel = cancel;
  changePending(+1);
  QPointer<AsyncQuery> self(this);
  // Deliveries check that this request is still the newest one for its key.
  auto current = [self, key, generation] {
    return self && self->slots_.value(key).generation == generation;
  };
  pool_.start([self, key, generation, cancel, current, work = std::move(work), done = std::move(done),
               failed = std::move(failed)] {
    setComputeThreads(gThreadsPerTask.load());  // per pool thread (OpenMP teams are per thread)
    lowerThreadPriority(10);  // below the GUI thread, sharing the cores fairly with training
    QString error;
    const Poster post = [self, current](std::function<void()> fn) {
      if (!self) return;
      QMetaObject::invokeMethod(self, [current, fn = std::move(fn)] { if (current()) fn(); }, Qt::QueuedConnection);
    };
    try {
      if (!cancel->load()) work(*cancel, post);
    } catch (const std::exception& e) {
      error = QString::fromUtf8(e.what());
    }
    if (!self) return;
    QMetaObject::invokeMethod(
        self,
        [self, current, cancel, error, done, failed] {
          self->changePending(-1);
          if (!current() || cancel->load()) return;
          if (!error.isEmpty()) {
            if (failed) failed(error);
          } else if (done) {
            done();
          }
        },
        Qt::QueuedConnection);
  });
}

}  // namespace flowscope::gui
