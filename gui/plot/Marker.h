#pragma once
// Point markers shared by charts and legends: with a line style they keep series apart in
// print and for readers who do not tell the colors apart.

#include <QColor>
#include <QPointF>

class QPainter;

namespace flowscope::gui {

enum class Marker { None, Circle, Square, Triangle, Diamond, Cross };

/// Draws `marker` centred on `c`, about `size` pixels across.
void drawMarker(QPainter& p, const QPointF& c, Marker marker, double size, const QColor& fill,
                const QColor& outline);

}  // namespace flowscope::gui
