#include "gui/views/data/DataPlot.h"

#include <QPainter>

namespace flowscope::gui {
namespace {

PlotDecor dataDecor(const QString& title) {
  PlotDecor d;
  d.title = title;
  d.x = {-DataPlot::kRange, DataPlot::kRange, AxisScale::Linear, QStringLiteral("x₁")};
  d.y = {-DataPlot::kRange, DataPlot::kRange, AxisScale::Linear, QStringLiteral("x₂")};
  d.equalAspect = true;
  d.grid = true;
  return d;
}

}  // namespace

DataPlot::DataPlot(const QRectF& target, const std::vector<QPointF>& points, bool drawn, const QString& title,
                   const PlotStyle& style)
    : points_(points), drawn_(drawn), frame_(target, dataDecor(title), style) {}

void DataPlot::paintAll(QPainter& p, const std::optional<DataBrush>& brush) const {
  frame_.paintBackground(p);
  frame_.paintGrid(p);
  p.save();
  p.setClipRect(plot());
  p.setRenderHint(QPainter::Antialiasing);
  p.setPen(Qt::NoPen);
  QColor c = drawn_ ? drawnColor() : previewColor();
  c.setAlpha(drawn_ ? 170 : 120);
  p.setBrush(c);
  for (const QPointF& d : points_) p.drawEllipse(map(d), 1.6, 1.6);
  if (brush) {
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(frame_.style().foreground, 1, Qt::DashLine));
    const double r = brush->radius / (2 * kRange) * plot().width();
    p.drawEllipse(map(brush->center), r, r);
  }
  p.restore();
  frame_.paintAxes(p);
  if (points_.empty()) frame_.paintPlaceholder(p, QStringLiteral("No points: pick a dataset or draw"));
}

}  // namespace flowscope::gui
