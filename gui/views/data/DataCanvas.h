#pragma once
// The data panel's drawing surface: paints a DataPlot of the panel's points in the palette's
// style and turns mouse strokes inside the plot into data-coordinate strokes on the panel.

#include <QPointF>
#include <QRectF>
#include <QWidget>

namespace flowscope::gui {

class DataPanel;
class DataPlot;

class DataCanvas : public QWidget {
  Q_OBJECT
 public:
  explicit DataCanvas(DataPanel* panel);

  /// The plot rectangle and the pixel of a data point at the widget's size.
  QRectF plotRect() const;
  QPointF dataToPixel(QPointF data) const;

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;

 private:
  DataPlot plotAtSize() const;
  void stroke(QPointF pixel);

  DataPanel* panel_;
};

}  // namespace flowscope::gui
