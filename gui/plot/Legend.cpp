#include "gui/plot/Legend.h"

#include <QFontMetricsF>
#include <QPainter>

namespace flowscope::gui {
namespace {
constexpr double kSample = 28, kAfterSample = 6, kAfterLabel = 16, kIndent = 8, kRowPad = 6;
}

Legend::Legend(std::vector<LegendEntry> entries, PlotStyle style)
    : entries_(std::move(entries)), style_(std::move(style)) {}

double Legend::entryWidth(const LegendEntry& e) const {
  return kSample + kAfterSample + QFontMetricsF(style_.font).horizontalAdvance(e.label) + kAfterLabel;
}

double Legend::height(double width) const {
  if (entries_.empty()) return 0;
  const double rowH = QFontMetricsF(style_.font).height() + kRowPad;
  double x = kIndent;
  int rows = 1;
  for (const LegendEntry& e : entries_) {
    const double w = entryWidth(e);
    if (x + w > width && x > kIndent) ++rows, x = kIndent;
    x += w;
  }
  return rows * rowH + kRowPad;
}

void Legend::paint(QPainter& p, const QRectF& rect) const {
  if (entries_.empty()) return;
  p.save();
  p.setRenderHint(QPainter::Antialiasing);
  p.setFont(style_.font);
  const QFontMetricsF fm(style_.font);
  const double rowH = fm.height() + kRowPad;
  double x = rect.left() + kIndent, y = rect.top() + kRowPad / 2;
  for (const LegendEntry& e : entries_) {
    const double w = entryWidth(e);
    if (x + w > rect.right() && x > rect.left() + kIndent) x = rect.left() + kIndent, y += rowH;
    const double cy = y + rowH / 2;
    if (e.line == Qt::NoPen) {
      p.setPen(Qt::NoPen);
      p.setBrush(e.color);
      p.drawEllipse(QPointF(x + kSample / 2, cy), 5, 5);
    } else {
      QPen pen(e.color, e.lineWidth, e.line);
      pen.setCapStyle(Qt::FlatCap);
      p.setPen(pen);
      p.drawLine(QPointF(x, cy), QPointF(x + kSample, cy));
    }
    if (e.marker != Marker::None) drawMarker(p, QPointF(x + kSample / 2, cy), e.marker, 6.5, e.color, style_.background);
    p.setPen(style_.foreground);
    p.drawText(QRectF(x + kSample + kAfterSample, y, w - kSample - kAfterSample, rowH), Qt::AlignLeft | Qt::AlignVCenter,
               e.label);
    x += w;
  }
  p.restore();
}

}  // namespace flowscope::gui
