#include "gui/app/TimeScrubber.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QSlider>
#include <QSignalBlocker>
#include <QToolButton>

#include <cmath>

#include "gui/services/TimeController.h"

namespace flowscope::gui {

TimeScrubber::TimeScrubber(TimeController* time, QWidget* parent) : QWidget(parent), time_(time) {
  setObjectName("timeScrubber");
  setFocusPolicy(Qt::StrongFocus);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(6, 2, 6, 2);
  auto button = [&](const QString& text, const QString& tip, const QString& name) {
    auto* b = new QToolButton(this);
    b->setText(text);
    b->setToolTip(tip);
    b->setObjectName(name);
    b->setFocusPolicy(Qt::NoFocus);
    layout->addWidget(b);
    return b;
  };
  QToolButton* start = button("|<", "t = 0, noise (Home)", "timeStart");
  QToolButton* back = button("<", "step back (Left)", "timeBack");
  play_ = button("Play", "play / pause (Space)", "timePlay");
  QToolButton* forward = button(">", "step forward (Right)", "timeForward");
  QToolButton* end = button(">|", "t = 1, data (End)", "timeEnd");
  slider_ = new QSlider(Qt::Horizontal, this);
  slider_->setObjectName("timeSlider");
  slider_->setRange(0, kTicks);
  slider_->setFocusPolicy(Qt::NoFocus);
  layout->addWidget(slider_, 1);
  label_ = new QLabel(this);
  label_->setMinimumWidth(64);
  layout->addWidget(label_);
  speed_ = new QComboBox(this);
  speed_->setObjectName("timeSpeed");
  speed_->setToolTip("playback speed: seconds from noise to data");
  for (double seconds : {1.0, 2.0, 4.0, 8.0, 16.0}) speed_->addItem(QString("%1 s").arg(seconds), 1.0 / seconds);
  speed_->setCurrentIndex(2);
  speed_->setFocusPolicy(Qt::NoFocus);
  layout->addWidget(speed_);

  connect(start, &QToolButton::clicked, time_, [this] { time_->setT(0); });
  connect(end, &QToolButton::clicked, time_, [this] { time_->setT(1); });
  connect(back, &QToolButton::clicked, time_, &TimeController::stepBackward);
  connect(forward, &QToolButton::clicked, time_, &TimeController::stepForward);
  connect(play_, &QToolButton::clicked, time_, &TimeController::togglePlay);
  connect(slider_, &QSlider::valueChanged, time_, [this](int v) { time_->setT(v / static_cast<double>(kTicks)); });
  connect(speed_, &QComboBox::currentIndexChanged, time_, [this] { time_->setSpeed(speed_->currentData().toDouble()); });
  connect(time_, &TimeController::timeChanged, this, &TimeScrubber::sync);
  connect(time_, &TimeController::playingChanged, this, &TimeScrubber::sync);
  time_->setSpeed(speed_->currentData().toDouble());
  sync();
}

void TimeScrubber::sync() {
  const QSignalBlocker block(slider_);
  slider_->setValue(static_cast<int>(std::lround(time_->t() * kTicks)));
  label_->setText(QString("t = %1").arg(time_->t(), 0, 'f', 3));
  play_->setText(time_->playing() ? "Pause" : "Play");
}

void TimeScrubber::keyPressEvent(QKeyEvent* event) {
  switch (event->key()) {
    case Qt::Key_Space: time_->togglePlay(); break;
    case Qt::Key_Left: time_->stepBackward(); break;
    case Qt::Key_Right: time_->stepForward(); break;
    case Qt::Key_Home: time_->setT(0); break;
    case Qt::Key_End: time_->setT(1); break;
    default: QWidget::keyPressEvent(event); return;
  }
  event->accept();
}

}  // namespace flowscope::gui
