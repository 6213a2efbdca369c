#include "gui/views/field/FieldPlot.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

#include "gui/plot/Colormap.h"
#include "gui/views/field/FieldScene.h"

namespace flowscope::gui {
namespace {

constexpr int kColorBins = 32;  // streamline segments are grouped into this many color runs

const Colormap& viridis() {
  static const Colormap map(Colormap::Kind::Viridis);  // FieldScene::colormap's table
  return map;
}

PlotDecor fieldDecor(const FieldScene& scene, const FieldLook& look) {
  const ViewBounds b = scene.hasField() ? scene.field().grid.bounds : ViewBounds{-3.5, 3.5, -3.5, 3.5};
  PlotDecor d;
  d.title = look.title.isEmpty() ? QStringLiteral("vector field") : look.title;
  d.x = {b.xmin, b.xmax, AxisScale::Linear, QStringLiteral("x₁")};
  d.y = {b.ymin, b.ymax, AxisScale::Linear, QStringLiteral("x₂")};
  d.equalAspect = true;
  if (look.colorByMagnitude && scene.hasField()) {
    ColorbarSpec bar;
    bar.lut = &viridis().lut();
    const double lo = scene.minMagnitude(), hi = scene.maxMagnitude();
    bar.hasValues = hi - lo > 1e-12 * std::max(1.0, hi);
    bar.axis = bar.hasValues ? Axis{lo, hi, AxisScale::Linear, look.magnitudeTitle}
                             : Axis{0, 1, AxisScale::Linear, look.magnitudeTitle};
    d.colorbar = bar;
  }
  return d;
}

/// A closed arrowhead at `tip` pointing along `dir` (unit), `len` long, as part of `path`.
void addHead(QPainterPath& path, QPointF tip, QPointF dir, double len) {
  const QPointF n(-dir.y(), dir.x());
  const QPointF base = tip - len * dir;
  path.moveTo(tip);
  path.lineTo(base + 0.32 * len * n);
  path.lineTo(base - 0.32 * len * n);
  path.closeSubpath();
}

}  // namespace

FieldPlot::FieldPlot(const QRectF& target, const FieldScene& scene, const FieldLook& look, const PlotStyle& style)
    : scene_(scene), look_(look), frame_(target, fieldDecor(scene, look), style) {}

double FieldPlot::pixelsPerUnit() const {
  const Axis& x = frame_.decor().x;
  return x.hi > x.lo ? plot().width() / (x.hi - x.lo) : 1.0;
}

QColor FieldPlot::colorOf(double magnitude, int alpha) const {
  QColor c = look_.colorByMagnitude ? scene_.colorFor(magnitude) : frame_.style().foreground;
  c.setAlpha(alpha);
  return c;
}

void FieldPlot::paintAll(QPainter& p) const {
  frame_.paintBackground(p);
  p.save();
  p.setClipRect(plot());
  p.setRenderHint(QPainter::Antialiasing);
  if (scene_.hasField() && look_.display != FieldDisplay::Arrows) paintStreamlines(p);
  if (scene_.hasField() && look_.display != FieldDisplay::Streamlines) paintArrows(p);
  paintMarker(p);
  p.restore();
  frame_.paintAxes(p);
  if (!scene_.hasField()) {
    frame_.paintPlaceholder(p, look_.message.isEmpty() ? QString::fromUtf8("computing\u2026") : look_.message);
    return;
  }
  frame_.paintNote(p, look_.message, Corner::BottomLeft);
  if (look_.busy) frame_.paintNote(p, QString::fromUtf8("computing\u2026"), Corner::TopRight);
}

void FieldPlot::paintStreamlines(QPainter& p) const {
  // One path per run of segments in the same color bin (vector output stays small).
  const int alpha = look_.display == FieldDisplay::Both ? 150 : 235;
  const double lo = scene_.minMagnitude(), range = scene_.maxMagnitude() - lo;
  const double cellPx = scene_.spacing() * pixelsPerUnit();
  auto bin = [&](double m) {
    return range > 0 ? std::clamp(static_cast<int>((m - lo) / range * kColorBins), 0, kColorBins - 1) : 0;
  };
  for (const Streamline& line : scene_.streamlines()) {
    if (line.size() < 2) continue;
    size_t k = 0;
    while (k + 1 < line.size()) {
      const int c = bin(0.5 * (line[k].magnitude + line[k + 1].magnitude));
      QPainterPath path(map(line[k].p));
      double mag = 0;
      int count = 0;
      while (k + 1 < line.size() && bin(0.5 * (line[k].magnitude + line[k + 1].magnitude)) == c) {
        path.lineTo(map(line[k + 1].p));
        mag += 0.5 * (line[k].magnitude + line[k + 1].magnitude);
        ++count;
        ++k;
      }
      p.strokePath(path, QPen(colorOf(mag / std::max(1, count), alpha), 1.3, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    }
    // One arrowhead halfway along gives the direction of the flow.
    double total = 0;
    for (size_t i = 1; i < line.size(); ++i)
      total += std::hypot(line[i].p.x() - line[i - 1].p.x(), line[i].p.y() - line[i - 1].p.y());
    double s = 0;
    for (size_t i = 1; i < line.size(); ++i) {
      s += std::hypot(line[i].p.x() - line[i - 1].p.x(), line[i].p.y() - line[i - 1].p.y());
      if (s < 0.5 * total) continue;
      const QPointF a = map(line[i - 1].p), c = map(line[i].p);
      const QPointF d = c - a;
      const double n = std::hypot(d.x(), d.y());
      if (n > 0 && total * pixelsPerUnit() > 12) {
        QPainterPath head;
        addHead(head, c, d / n, std::clamp(0.35 * cellPx, 4.0, 8.0));
        p.fillPath(head, colorOf(line[i].magnitude, alpha));
      }
      break;
    }
  }
}

void FieldPlot::paintArrows(QPainter& p) const {
  // Shaft and closed head in one path each.
  const double cellPx = scene_.spacing() * pixelsPerUnit();
  for (const FieldArrow& a : scene_.arrows()) {
    const QPointF s = map(a.start), e = map(a.end);
    const QPointF d = e - s;
    const double len = std::hypot(d.x(), d.y());
    if (len < 0.75) continue;
    const QPointF dir = d / len;
    const double head = std::min(0.38 * len, std::max(3.0, 0.3 * cellPx));
    QPainterPath path(s);
    path.lineTo(e - 0.6 * head * dir);
    addHead(path, e, dir, head);
    const QColor c = colorOf(a.magnitude, 255);
    p.setPen(QPen(c, 1.2, Qt::SolidLine, Qt::RoundCap, Qt::MiterJoin));
    p.setBrush(c);
    p.drawPath(path);
  }
}

void FieldPlot::paintMarker(QPainter& p) const {
  // x1 of the conditional field: where all its flow goes at t = 1.
  if (!look_.marker) return;
  const QPointF m = map(*look_.marker);
  p.setPen(QPen(Qt::white, 1.5));
  p.setBrush(QColor(228, 26, 28));
  p.drawEllipse(m, 5.5, 5.5);
  p.setFont(frame_.style().font);
  p.setPen(frame_.style().foreground);
  p.drawText(m + QPointF(8, -6), "x1");
}

}  // namespace flowscope::gui
