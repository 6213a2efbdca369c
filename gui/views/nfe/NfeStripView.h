#pragma once
// The sample strip on screen: paints NfeStrip and asks for the height its rows need.

#include <QWidget>

namespace flowscope::gui {

class NfeScene;

class NfeStripView : public QWidget {
  Q_OBJECT
 public:
  NfeStripView(const NfeScene& scene, QWidget* parent = nullptr);
  /// Repaint after the scene changed; `sampling` words the empty strip.
  void refresh(bool sampling);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void fitHeight();
  const NfeScene& scene_;
  bool sampling_ = false;
};

}  // namespace flowscope::gui
