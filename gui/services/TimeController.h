#pragma once
// The global time t in [0, 1] shared by the views (t = 0 noise, t = 1 data), with playback.
// Views follow it through ViewTime unless unlinked.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace flowscope::gui {

class TimeController : public QObject {
  Q_OBJECT
 public:
  explicit TimeController(QObject* parent = nullptr);

  double t() const { return t_; }
  bool playing() const { return timer_.isActive(); }
  /// Playback speed in t units per second (default 0.25: noise to data in 4 s).
  double speed() const { return speed_; }
  /// Keyboard/button step size in t.
  double stepSize() const { return step_; }
  bool loop() const { return loop_; }

 public Q_SLOTS:
  void setT(double t);
  void play();
  void pause();
  void togglePlay();
  void setSpeed(double unitsPerSecond);
  void setStepSize(double step) { step_ = step; }
  void setLoop(bool on) { loop_ = on; }
  void stepForward() { setT(t_ + step_); }
  void stepBackward() { setT(t_ - step_); }

 Q_SIGNALS:
  void timeChanged(double t);
  void playingChanged(bool playing);

 private:
  void advance();
  double t_ = 1.0;
  double speed_ = 0.25;
  double step_ = 0.01;
  bool loop_ = true;
  QTimer timer_;
  QElapsedTimer clock_;
};

/// A view's time: the global one while linked, its own otherwise.
class ViewTime : public QObject {
  Q_OBJECT
 public:
  explicit ViewTime(TimeController* global, QObject* parent = nullptr);
  double t() const { return linked_ ? global_->t() : local_; }
  bool linked() const { return linked_; }
  TimeController* global() const { return global_; }

 public Q_SLOTS:
  void setLinked(bool on);
  /// Sets the time: the global one when linked (all linked views follow), else this view's.
  void setT(double t);

 Q_SIGNALS:
  void timeChanged(double t);
  void linkedChanged(bool linked);

 private:
  TimeController* global_;
  bool linked_ = true;
  double local_ = 1.0;
};

}  // namespace flowscope::gui
