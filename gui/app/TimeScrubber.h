#pragma once
// Slider, play/pause, speed and step controls for a TimeController. Keyboard: Space plays or
// pauses, Left/Right step, Home/End jump to t = 0 / t = 1.

#include <QWidget>

class QSlider;
class QToolButton;
class QLabel;
class QComboBox;

namespace flowscope::gui {

class TimeController;

class TimeScrubber : public QWidget {
  Q_OBJECT
 public:
  explicit TimeScrubber(TimeController* time, QWidget* parent = nullptr);
  static constexpr int kTicks = 1000;  ///< slider resolution: t = value / kTicks

 protected:
  void keyPressEvent(QKeyEvent* event) override;

 private:
  void sync();
  TimeController* time_;
  QSlider* slider_;
  QToolButton* play_;
  QLabel* label_;
  QComboBox* speed_;
};

}  // namespace flowscope::gui
