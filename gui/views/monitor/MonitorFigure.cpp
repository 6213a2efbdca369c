#include "gui/views/monitor/MonitorFigure.h"

#include <QPainter>

#include <algorithm>

#include "gui/plot/Legend.h"

namespace flowscope::gui {

MonitorFigure::Place MonitorFigure::place(int i, int n) {
  const int cols = n <= 1 ? 1 : 2;
  const bool lastAlone = cols == 2 && i == n - 1 && n % 2 == 1;
  return {i / cols, i % cols, lastAlone ? 2 : 1};
}

std::vector<QRectF> MonitorFigure::cells(const QRectF& target, int n, double gap) {
  std::vector<QRectF> out;
  if (n <= 0) return out;
  const int cols = n <= 1 ? 1 : 2, rows = (n + cols - 1) / cols;
  const double w = (target.width() - gap * (cols - 1)) / cols, h = (target.height() - gap * (rows - 1)) / rows;
  for (int i = 0; i < n; ++i) {
    const Place at = place(i, n);
    out.emplace_back(target.left() + at.column * (w + gap), target.top() + at.row * (h + gap),
                     at.span == 2 ? target.width() : w, h);
  }
  return out;
}

QRectF MonitorFigure::legendRect(const QRectF& target, const PlotStyle& style) const {
  const double h = std::min(Legend(legend_, style).height(target.width()), target.height() * 0.3);
  return QRectF(target.left(), target.bottom() - h, target.width(), h);
}

std::vector<QRectF> MonitorFigure::chartCells(const QRectF& target, const PlotStyle& style) const {
  QRectF charts = target;
  charts.setBottom(legendRect(target, style).top());
  return cells(charts, static_cast<int>(charts_.size()));
}

LineChart MonitorFigure::chartIn(size_t i, const QRectF& cell) const {
  LineChart c = charts_[i];
  if (cell.height() < 200) c.xTitle.clear();
  return c;
}

void MonitorFigure::paint(QPainter& p, const QRectF& target, const PlotStyle& style) const {
  p.save();
  p.fillRect(target, style.background);
  const std::vector<QRectF> rects = chartCells(target, style);
  for (size_t i = 0; i < charts_.size(); ++i) chartIn(i, rects[i]).paint(p, rects[i], style);
  Legend(legend_, style).paint(p, legendRect(target, style));
  p.restore();
}

std::vector<PlotFrame> MonitorFigure::frames(const QRectF& target, const PlotStyle& style) const {
  std::vector<PlotFrame> out;
  const std::vector<QRectF> rects = chartCells(target, style);
  for (size_t i = 0; i < charts_.size(); ++i) out.push_back(chartIn(i, rects[i]).frame(rects[i], style));
  return out;
}

std::vector<QRectF> MonitorFigure::textRects(const QRectF& target, const PlotStyle& style) const {
  std::vector<QRectF> out;
  const std::vector<QRectF> rects = chartCells(target, style);
  for (size_t i = 0; i < charts_.size(); ++i) {
    const std::vector<QRectF> r = chartIn(i, rects[i]).textRects(rects[i], style);
    out.insert(out.end(), r.begin(), r.end());
  }
  const std::vector<QRectF> l = Legend(legend_, style).textRects(legendRect(target, style));
  out.insert(out.end(), l.begin(), l.end());
  return out;
}

}  // namespace flowscope::gui
