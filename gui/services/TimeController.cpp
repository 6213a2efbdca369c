#include "gui/services/TimeController.h"

#include <algorithm>

namespace flowscope::gui {

TimeController::TimeController(QObject* parent) : QObject(parent) {
  timer_.setInterval(16);  // ~60 Hz
  timer_.setTimerType(Qt::PreciseTimer);
  connect(&timer_, &QTimer::timeout, this, &TimeController::advance);
}

void TimeController::setT(double t) {
  t = std::clamp(t, 0.0, 1.0);
  if (t == t_) return;
  t_ = t;
  Q_EMIT timeChanged(t_);
}

void TimeController::play() {
  if (timer_.isActive()) return;
  if (t_ >= 1.0) setT(0.0);
  clock_.start();
  timer_.start();
  Q_EMIT playingChanged(true);
}

void TimeController::pause() {
  if (!timer_.isActive()) return;
  timer_.stop();
  Q_EMIT playingChanged(false);
}

void TimeController::togglePlay() { playing() ? pause() : play(); }

void TimeController::setSpeed(double unitsPerSecond) { speed_ = std::clamp(unitsPerSecond, 0.01, 10.0); }

void TimeController::advance() {
  // Wall-clock based, so playback speed does not depend on how long frames take.
  const double dt = clock_.restart() / 1000.0;
  double t = t_ + dt * speed_;
  if (t >= 1.0) {
    if (loop_) {
      t = 0.0;
    } else {
      setT(1.0);
      pause();
      return;
    }
  }
  setT(t);
}

ViewTime::ViewTime(TimeController* global, QObject* parent) : QObject(parent), global_(global) {
  connect(global_, &TimeController::timeChanged, this, [this](double t) {
    if (linked_) Q_EMIT timeChanged(t);
  });
}

void ViewTime::setLinked(bool on) {
  if (on == linked_) return;
  if (!on) local_ = global_->t();  // unlinking keeps the picture where it is
  linked_ = on;
  Q_EMIT linkedChanged(on);
  Q_EMIT timeChanged(t());
}

void ViewTime::setT(double t) {
  if (linked_) {
    global_->setT(t);
    return;
  }
  t = std::clamp(t, 0.0, 1.0);
  if (t == local_) return;
  local_ = t;
  Q_EMIT timeChanged(local_);
}

}  // namespace flowscope::gui
