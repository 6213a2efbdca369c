#include "gui/plot/Marker.h"

#include <QPainter>
#include <QPolygonF>

namespace flowscope::gui {

void drawMarker(QPainter& p, const QPointF& c, Marker m, double size, const QColor& fill, const QColor& outline) {
  const double h = size / 2;
  p.save();
  p.setPen(QPen(outline, 0.8));
  p.setBrush(fill);
  switch (m) {
    case Marker::None: break;
    case Marker::Circle: p.drawEllipse(c, h, h); break;
    case Marker::Square: p.drawRect(QRectF(c.x() - h * 0.9, c.y() - h * 0.9, size * 0.9, size * 0.9)); break;
    case Marker::Triangle:
      p.drawPolygon(QPolygonF({c + QPointF(0, -h * 1.15), c + QPointF(h * 1.05, h * 0.8), c + QPointF(-h * 1.05, h * 0.8)}));
      break;
    case Marker::Diamond:
      p.drawPolygon(QPolygonF({c + QPointF(0, -h * 1.2), c + QPointF(h, 0), c + QPointF(0, h * 1.2), c + QPointF(-h, 0)}));
      break;
    case Marker::Cross:
      p.setPen(QPen(fill, 1.8));
      p.drawLine(c + QPointF(-h, -h), c + QPointF(h, h));
      p.drawLine(c + QPointF(-h, h), c + QPointF(h, -h));
      break;
  }
  p.restore();
}

}  // namespace flowscope::gui
