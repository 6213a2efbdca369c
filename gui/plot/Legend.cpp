#include "gui/plot/Legend.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>

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

std::vector<Legend::Placed> Legend::place(const QRectF& rect) const {
  const QFontMetricsF fm(style_.font);
  const double rowH = fm.height() + kRowPad;
  std::vector<Placed> out;
  double x = rect.left() + kIndent, y = rect.top() + kRowPad / 2;
  for (const LegendEntry& e : entries_) {
    const double w = entryWidth(e);
    if (x + w > rect.right() && x > rect.left() + kIndent) x = rect.left() + kIndent, y += rowH;
    // A label longer than a whole row is elided to what is left of it.
    const double room = std::max(0.0, rect.right() - kIndent - (x + kSample + kAfterSample));
    const QString shown = fm.elidedText(e.label, Qt::ElideRight, room);
    const double textW = std::min(room, fm.horizontalAdvance(shown));
    out.push_back({QRectF(x, y, kSample, rowH), QRectF(x + kSample + kAfterSample, y + kRowPad / 2, textW, fm.height()),
                   shown});
    x += w;
  }
  return out;
}

std::vector<QRectF> Legend::textRects(const QRectF& rect) const {
  std::vector<QRectF> out;
  for (const Placed& p : place(rect))
    if (!p.label.isEmpty()) out.push_back(p.text);
  return out;
}

void Legend::paint(QPainter& p, const QRectF& rect) const {
  if (entries_.empty()) return;
  p.save();
  p.setRenderHint(QPainter::Antialiasing);
  p.setFont(style_.font);
  const std::vector<Placed> placed = place(rect);
  for (size_t i = 0; i < placed.size(); ++i) {
    const LegendEntry& e = entries_[i];
    const QRectF& s = placed[i].sample;
    const double cy = s.center().y();
    if (e.line == Qt::NoPen) {
      p.setPen(Qt::NoPen);
      p.setBrush(e.color);
      p.drawEllipse(QPointF(s.center().x(), cy), 5, 5);
    } else {
      QPen pen(e.color, e.lineWidth, e.line);
      pen.setCapStyle(Qt::FlatCap);
      p.setPen(pen);
      p.drawLine(QPointF(s.left(), cy), QPointF(s.right(), cy));
    }
    if (e.marker != Marker::None) drawMarker(p, QPointF(s.center().x(), cy), e.marker, 6.5, e.color, style_.background);
    p.setPen(style_.foreground);
    p.drawText(placed[i].text.adjusted(0, 0, 2, 0), Qt::AlignLeft | Qt::AlignVCenter, placed[i].label);
  }
  p.restore();
}

}  // namespace flowscope::gui
