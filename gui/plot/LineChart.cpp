#include "gui/plot/LineChart.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPolygonF>

#include <algorithm>
#include <cmath>
#include <limits>

namespace flowscope::gui {

bool LineChart::drawable(const QPointF& p) const {
  if (!std::isfinite(p.x()) || !std::isfinite(p.y())) return false;
  if (xScale == AxisScale::Log && !(p.x() > 0)) return false;
  if (yScale == AxisScale::Log && !(p.y() > 0)) return false;
  return true;
}

bool LineChart::hasDrawablePoints() const {
  for (const LineSeries& s : series)
    for (const QPointF& p : s.points)
      if (drawable(p)) return true;
  return false;
}

DataRange LineChart::fittedRange(double pad) const {
  double xlo = std::numeric_limits<double>::infinity(), xhi = -xlo, ylo = xlo, yhi = -xlo;
  for (const LineSeries& s : series)
    for (const QPointF& p : s.points) {
      if (!drawable(p)) continue;
      xlo = std::min(xlo, p.x()), xhi = std::max(xhi, p.x());
      ylo = std::min(ylo, p.y()), yhi = std::max(yhi, p.y());
    }
  if (xFit) xlo = xFit->first, xhi = xFit->second;
  // A constant series (a fixed learning rate) spans 10 % of its value, not Axis's +-0.05.
  const auto widen = [](double& lo, double& hi, AxisScale scale) {
    if (scale == AxisScale::Linear && std::isfinite(lo) && lo == hi && lo != 0) lo -= 0.1 * std::abs(lo), hi += 0.1 * std::abs(hi);
  };
  widen(xlo, xhi, xScale);
  widen(ylo, yhi, yScale);
  const Axis x = Axis::fitted(xlo, xhi, xScale, xFit ? 0.0 : pad);
  const Axis y = Axis::fitted(ylo, yhi, yScale, pad * 1.4);
  return {x.lo, x.hi, y.lo, y.hi};
}

QRectF LineChart::legendRect(const QRectF& target, const PlotStyle& style) const {
  if (legend.empty()) return {};
  const double h = std::min(Legend(legend, style).height(target.width()), target.height() * 0.4);
  return QRectF(target.left(), target.bottom() - h, target.width(), h);
}

QRectF LineChart::titleRect(const QRectF& target, const PlotStyle& style) const {
  if (title.isEmpty()) return {};
  return QRectF(target.left() + 6, target.top() + 6, std::max(0.0, target.width() - 12), QFontMetricsF(style.titleFont).height());
}

void LineChart::paintTitle(QPainter& p, const QRectF& target, const PlotStyle& style) const {
  if (title.isEmpty()) return;
  const QRectF r = titleRect(target, style);
  p.save();
  p.setFont(style.titleFont);
  p.setPen(style.foreground);
  p.drawText(r, Qt::AlignCenter, QFontMetricsF(style.titleFont).elidedText(title, Qt::ElideMiddle, r.width()));
  p.restore();
}

std::vector<QRectF> LineChart::textRects(const QRectF& target, const PlotStyle& style) const {
  std::vector<QRectF> out = frame(target, style).textRects();
  if (!title.isEmpty()) {
    const QRectF r = titleRect(target, style);
    const QFontMetricsF tfm(style.titleFont);
    const double w = std::min(r.width(), tfm.horizontalAdvance(tfm.elidedText(title, Qt::ElideMiddle, r.width())));
    out.emplace_back(r.center().x() - w / 2, r.top(), w, r.height());
  }
  if (!legend.empty()) {
    const std::vector<QRectF> l = Legend(legend, style).textRects(legendRect(target, style));
    out.insert(out.end(), l.begin(), l.end());
  }
  return out;
}

void LineChart::paintLegend(QPainter& p, const QRectF& target, const PlotStyle& style) const {
  if (!legend.empty()) Legend(legend, style).paint(p, legendRect(target, style));
}

PlotFrame LineChart::frame(const QRectF& whole, const PlotStyle& style) const {
  QRectF target = whole;
  if (!legend.empty()) target.setBottom(legendRect(whole, style).top());
  if (!title.isEmpty()) target.setTop(titleRect(whole, style).bottom());
  const DataRange r = shownRange();
  PlotDecor d;
  d.x = {r.x0, r.x1, xScale, xTitle, xLogBase};
  d.y = {r.y0, r.y1, yScale, yTitle};
  d.grid = grid;
  return PlotFrame(target, std::move(d), style);
}

void LineChart::paintSeries(QPainter& p, const PlotFrame& f) const {
  p.save();
  p.setRenderHint(QPainter::Antialiasing);
  p.setClipRect(f.plot().adjusted(-6, -6, 6, 6));
  for (const LineSeries& s : series) {
    QPen pen(s.color, s.width, s.line);
    pen.setCapStyle(Qt::FlatCap);
    pen.setJoinStyle(Qt::RoundJoin);
    QPolygonF line;
    std::vector<QPointF> marks;
    const auto flush = [&] {
      if (line.size() > 1) {
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        p.drawPolyline(line);
      }
      line.clear();
    };
    for (const QPointF& pt : s.points) {
      if (!drawable(pt)) {  // a gap, not a jump across it
        flush();
        continue;
      }
      const QPointF px = f.map(pt);
      line << px;
      if (s.marker != Marker::None) marks.push_back(px);
    }
    if (line.size() == 1 && s.marker == Marker::None) marks.push_back(line.front());  // a lone point
    flush();
    for (const QPointF& c : marks)
      drawMarker(p, c, s.marker == Marker::None ? Marker::Circle : s.marker, s.marker == Marker::None ? 4.0 : 6.5,
                 s.color, f.style().background);
  }
  p.restore();
}

void LineChart::paint(QPainter& p, const QRectF& target, const PlotStyle& style) const {
  const PlotFrame f = frame(target, style);
  f.paintBackground(p);
  f.paintGrid(p);
  paintSeries(p, f);
  f.paintAxes(p);
  if (!hasDrawablePoints()) f.paintPlaceholder(p, placeholder);
  paintTitle(p, target, style);
  paintLegend(p, target, style);
}

std::optional<LineChart::Hit> LineChart::nearest(const PlotFrame& f, const QPointF& pixel, double maxPixels) const {
  if (!f.plot().adjusted(-1, -1, 1, 1).contains(pixel)) return std::nullopt;
  std::optional<Hit> best;
  double bestD = maxPixels;
  // x is ascending: search a window of +-maxPixels around the cursor's x in each series.
  const double xa = f.unmap(pixel - QPointF(maxPixels, 0)).x(), xb = f.unmap(pixel + QPointF(maxPixels, 0)).x();
  const auto byX = [](const QPointF& p, double x) { return p.x() < x; };
  for (size_t s = 0; s < series.size(); ++s) {
    const QVector<QPointF>& pts = series[s].points;
    auto lo = std::lower_bound(pts.begin(), pts.end(), std::min(xa, xb), byX);
    auto hi = std::lower_bound(lo, pts.end(), std::max(xa, xb), byX);
    if (lo != pts.begin()) --lo;
    if (hi != pts.end()) ++hi;
    for (auto it = lo; it != hi; ++it) {
      if (!drawable(*it)) continue;
      const QPointF px = f.map(*it);
      if (!f.plot().adjusted(-1, -1, 1, 1).contains(px)) continue;
      const double d = std::hypot(px.x() - pixel.x(), px.y() - pixel.y());
      if (d < bestD) bestD = d, best = Hit{s, static_cast<qsizetype>(it - pts.begin()), px};
    }
  }
  return best;
}

}  // namespace flowscope::gui
