#pragma once
// The widget that paints a FieldPlot of a FieldScene in the palette's style, and turns clicks and
// drags inside the plot into data points (they move x1 of the conditional field).

#include <QPointF>
#include <QRectF>
#include <QWidget>

#include <functional>

#include "gui/views/field/FieldPlot.h"

namespace flowscope::gui {

class FieldScene;

class FieldCanvas : public QWidget {
 public:
  /// The scene must outlive the canvas.
  FieldCanvas(const FieldScene* scene, QWidget* parent);

  void setLook(const FieldLook& look);
  const FieldLook& look() const { return look_; }
  /// Called with the data point under a left click or drag inside the plot.
  void setClickedCallback(std::function<void(QPointF data)> clicked) { clicked_ = std::move(clicked); }

  /// The plot as laid out at the widget's size (pixel checks and clicks use it).
  FieldPlot plotAtSize() const;
  QRectF plotRect() const { return plotAtSize().plot(); }
  QPointF dataToPixel(QPointF data) const { return plotAtSize().map(data); }

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;

 private:
  void clickAt(QPointF pixel);

  const FieldScene* scene_;
  FieldLook look_;
  std::function<void(QPointF)> clicked_;
};

}  // namespace flowscope::gui
