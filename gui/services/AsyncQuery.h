#pragma once
// Background computations for the views (Qt's Mandelbrot pattern): each request has a key; a
// newer request with the same key raises the older one's cancel flag and supersedes its result.
// Work runs on a small thread pool; results are delivered on the GUI thread. The GUI thread never
// waits for a result.

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>

namespace flowscope::gui {

class AsyncQuery : public QObject {
  Q_OBJECT
 public:
  explicit AsyncQuery(QObject* parent = nullptr);
  ~AsyncQuery() override;  ///< cancels everything and waits for running work (app exit)

  /// Runs `work(cancel)` in the background; `done(result)` runs on the GUI thread unless a newer
  /// request with the same key came first. Exceptions from `work` go to `failed` (GUI thread).
  template <typename R>
  void submit(const QString& key, std::function<R(const std::atomic<bool>& cancel)> work,
              std::function<void(R)> done, std::function<void(QString)> failed = {});

  /// Same, for partial results published by the work itself from its thread (progressive
  /// refinement): `post(fn)` runs fn on the GUI thread if the request is still current.
  using Poster = std::function<void(std::function<void()>)>;
  void submitWithPosts(const QString& key,
                       std::function<void(const std::atomic<bool>& cancel, const Poster& post)> work,
                       std::function<void()> done = {}, std::function<void(QString)> failed = {});

  void cancel(const QString& key);
  bool busy() const { return pending_ > 0; }
  /// Requests submitted so far (tests count them: a hidden view must ask for nothing).
  quint64 requestCount() const { return requests_; }
  /// LibTorch threads per background task (0: all cores); lowered while training runs.
  static void setThreadsPerTask(int threads);

 Q_SIGNALS:
  void busyChanged(bool busy);

 private:
  struct Slot {
    quint64 generation = 0;
    std::shared_ptr<std::atomic<bool>> cancel;
  };
  void run(const QString& key, std::function<void(const std::atomic<bool>&, const Poster&)> work,
           std::function<void()> done, std::function<void(QString)> failed);
  void changePending(int delta);

  QThreadPool pool_;
  QHash<QString, Slot> slots_;
  int pending_ = 0;
  quint64 requests_ = 0;
};

template <typename R>
void AsyncQuery::submit(const QString& key, std::function<R(const std::atomic<bool>& cancel)> work,
                        std::function<void(R)> done, std::function<void(QString)> failed) {
  auto result = std::make_shared<R>();
  submitWithPosts(
      key, [work = std::move(work), result](const std::atomic<bool>& c, const Poster&) { *result = work(c); },
      [done = std::move(done), result] {
        if (done) done(std::move(*result));
      },
      std::move(failed));
}

}  // namespace flowscope::gui
