#include "gui/plot/Colorbar.h"

#include <QFontMetricsF>
#include <QImage>
#include <QPainter>

#include <algorithm>

#include "gui/plot/PlotStyle.h"

namespace flowscope::gui::colorbar {
namespace {

std::vector<Tick> barTicks(const ColorbarSpec& spec, double height, const PlotStyle& style) {
  if (!spec.hasValues) return {};
  return spec.axis.ticks(height, std::max(64.0, QFontMetricsF(style.font).height() * 4.5));
}

double labelWidth(const std::vector<Tick>& ticks, const QFontMetricsF& fm) {
  double w = 0;
  for (const Tick& t : ticks) w = std::max(w, fm.horizontalAdvance(t.label));
  return w;
}

double tickY(const QRectF& bar, const ColorbarSpec& spec, const Tick& t) {
  return bar.bottom() - spec.axis.fraction(t.value) * bar.height();
}

bool onBar(const QRectF& bar, double y) { return y >= bar.top() - 0.5 && y <= bar.bottom() + 0.5; }

}  // namespace

std::vector<QRectF> textRects(const QRectF& bar, const ColorbarSpec& spec, const PlotStyle& style) {
  std::vector<QRectF> out;
  if (!spec.lut) return out;
  const QFontMetricsF fm(style.font);
  const double h = fm.height();
  const std::vector<Tick> ticks = barTicks(spec, bar.height(), style);
  for (const Tick& t : ticks) {
    const double y = tickY(bar, spec, t);
    if (!onBar(bar, y) || t.label.isEmpty()) continue;
    out.emplace_back(bar.right() + style.tickLength + 3, y - h / 2, fm.horizontalAdvance(t.label), h);
  }
  if (!spec.axis.title.isEmpty()) {
    const double x = bar.right() + style.tickLength + 3 + labelWidth(ticks, fm) + 6;
    const double len = std::min(bar.height(), fm.horizontalAdvance(spec.axis.title));
    out.emplace_back(x, bar.center().y() - len / 2, h, len);  // turned 90 degrees: h wide
  }
  return out;
}

double reservedWidth(const ColorbarSpec& spec, double barHeight, const PlotStyle& style) {
  const QFontMetricsF fm(style.font);
  const double labels = labelWidth(barTicks(spec, barHeight, style), fm);
  const double title = spec.axis.title.isEmpty() ? 0 : fm.height() + 6;
  return kGap + kWidth + style.tickLength + 3 + labels + 6 + title;
}

void paint(QPainter& p, const QRectF& bar, const ColorbarSpec& spec, const PlotStyle& style) {
  if (!spec.lut) return;
  p.save();
  p.setFont(style.font);
  const QFontMetricsF fm(style.font);
  const double h = fm.height();
  QImage strip(1, 256, QImage::Format_RGB32);
  for (int i = 0; i < 256; ++i) strip.setPixel(0, 255 - i, (*spec.lut)[static_cast<size_t>(i)]);
  p.setRenderHint(QPainter::SmoothPixmapTransform, false);
  p.drawImage(bar, strip);
  QPen framePen(style.frame, 1.0);
  p.setPen(framePen);
  p.setBrush(Qt::NoBrush);
  p.drawRect(bar);
  const std::vector<Tick> ticks = barTicks(spec, bar.height(), style);
  for (const Tick& t : ticks) {
    const double y = tickY(bar, spec, t);
    if (!onBar(bar, y)) continue;
    const double len = t.major ? style.tickLength : style.tickLength * 0.5;
    p.setPen(framePen);
    p.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + len, y));
    if (t.label.isEmpty()) continue;
    p.setPen(style.foreground);
    p.drawText(QRectF(bar.right() + style.tickLength + 3, y - h / 2, 400, h), Qt::AlignLeft | Qt::AlignVCenter, t.label);
  }
  if (!spec.axis.title.isEmpty()) {
    const double x = bar.right() + style.tickLength + 3 + labelWidth(ticks, fm) + 6;
    p.translate(x, bar.center().y());
    p.rotate(90);
    p.setPen(style.foreground);
    p.drawText(QRectF(-bar.height() / 2, -h, bar.height(), h), Qt::AlignHCenter | Qt::AlignBottom,
               fm.elidedText(spec.axis.title, Qt::ElideRight, bar.height()));
  }
  p.restore();
}

}  // namespace flowscope::gui::colorbar
