#include "gui/plot/ChartZoom.h"

#include <algorithm>

namespace flowscope::gui {
namespace {

DataRange fromPixels(const PlotFrame& f, const QRectF& r) {
  const QPointF lo = f.unmap(r.bottomLeft()), hi = f.unmap(r.topRight());
  return {lo.x(), hi.x(), lo.y(), hi.y()};
}

}  // namespace

std::optional<DataRange> zoomToDrag(const PlotFrame& f, QPointF a, QPointF b) {
  const QRectF plot = f.plot();
  QRectF r = QRectF(a, b).normalized();
  const bool wide = r.width() >= 8, tall = r.height() >= 8;
  if (!wide && !tall) return std::nullopt;
  if (!tall) r.setTop(plot.top()), r.setBottom(plot.bottom());
  if (!wide) r.setLeft(plot.left()), r.setRight(plot.right());
  r = r.intersected(plot);
  if (r.width() < 1 || r.height() < 1) return std::nullopt;
  return fromPixels(f, r);
}

DataRange zoomAbout(const PlotFrame& f, QPointF c, double factor) {
  const QRectF plot = f.plot();
  c.setX(std::clamp(c.x(), plot.left(), plot.right()));
  c.setY(std::clamp(c.y(), plot.top(), plot.bottom()));
  const QRectF r(c.x() - (c.x() - plot.left()) * factor, c.y() - (c.y() - plot.top()) * factor,
                 plot.width() * factor, plot.height() * factor);
  return fromPixels(f, r);
}

DataRange panBy(const PlotFrame& f, QPointF delta) { return fromPixels(f, f.plot().translated(-delta)); }

}  // namespace flowscope::gui
