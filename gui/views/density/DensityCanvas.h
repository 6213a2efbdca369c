#pragma once
// The widget that draws a DensityScene: OpenGL (the histogram as a float texture mapped through a
// colormap texture in the fragment shader, overlay lines as line strips, axes with QPainter on
// top), or QPainter only where OpenGL is unavailable. Qt 6.4 crashes when a QOpenGLWidget is shown
// on the offscreen platform, so the GL canvas is never constructed there
// (../shared/notes/build-facts.md, "OpenGL, headless").

#include <functional>

#include "gui/views/density/DensityPlot.h"

class QWidget;

namespace flowscope::gui {

class DensityScene;

class DensityCanvas {
 public:
  virtual ~DensityCanvas() = default;

  /// An OpenGL canvas when `allowOpenGl` and openGlAvailable(), else a QPainter one; `parent`
  /// owns the widget. The scene must outlive it.
  static DensityCanvas* create(const DensityScene* scene, bool allowOpenGl, QWidget* parent);
  /// True when the OpenGL found is a software rasterizer (llvmpipe, softpipe, swrast).
  static bool softwareOpenGl();
  /// Not on the offscreen/minimal platforms, and only if an OpenGL 3.3 core context can be
  /// created and the shaders are in the resources. Checked once.
  static bool openGlAvailable();

  virtual QWidget* widget() = 0;
  virtual bool usesOpenGl() const = 0;
  /// Draws now and returns once the frame is finished (for benchmarks; needs a visible widget).
  virtual void renderNow() = 0;
  /// Schedules a repaint.
  void refresh();

  void setLabels(const DensityLabels& labels);
  const DensityLabels& labels() const { return labels_; }
  /// Called after every frame drawn on screen.
  void setPaintedCallback(std::function<void()> painted) { painted_ = std::move(painted); }

 protected:
  explicit DensityCanvas(const DensityScene* scene) : scene_(scene) {}
  void notifyPainted() {
    if (painted_) painted_();
  }

  const DensityScene* scene_;
  DensityLabels labels_;

 private:
  std::function<void()> painted_;
};

}  // namespace flowscope::gui
