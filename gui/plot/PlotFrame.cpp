#include "gui/plot/PlotFrame.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace flowscope::gui {
namespace {

constexpr double kPad = 6;       // from the target's edge
constexpr double kLabelGap = 3;  // between a tick and its label
constexpr double kTitleGap = 4;  // between tick labels and an axis title

/// Between the plot's top and the title: the top tick labels of the y axis and the colorbar are
/// centred on the plot's top edge, so half a label sticks out above it.
double titleGap(const QFontMetricsF& fm) { return std::max(kTitleGap, fm.height() / 2 + 2); }

double widest(const std::vector<Tick>& ticks, const QFontMetricsF& fm) {
  double w = 0;
  for (const Tick& t : ticks) w = std::max(w, fm.horizontalAdvance(t.label));
  return w;
}

const Tick* firstLabeled(const std::vector<Tick>& ticks, bool last) {
  if (last) {
    for (auto it = ticks.rbegin(); it != ticks.rend(); ++it)
      if (!it->label.isEmpty()) return &*it;
  } else {
    for (const Tick& t : ticks)
      if (!t.label.isEmpty()) return &t;
  }
  return nullptr;
}

}  // namespace

PlotFrame::PlotFrame(const QRectF& target, PlotDecor decor, PlotStyle style)
    : target_(target), decor_(std::move(decor)), style_(std::move(style)) {
  layout();
}

void PlotFrame::layout() {
  const QFontMetricsF fm(style_.font), tfm(style_.titleFont);
  const double h = fm.height();
  // About 80 px between x ticks and 60 px between y ticks at the 11 px font, as readers expect.
  const double xSpacing = std::max(80.0, fm.horizontalAdvance("−0.000") * 1.9), ySpacing = std::max(56.0, h * 4.2);
  const double top = decor_.title.isEmpty() ? kPad + h / 2 : kPad + tfm.height() + titleGap(fm) + kTitleGap;
  const double bottom = kPad + style_.tickLength + kLabelGap + h + (decor_.x.title.isEmpty() ? 0 : kTitleGap + h);
  const double yTitle = decor_.y.title.isEmpty() ? 0 : h + kTitleGap;

  // Two passes: the labels depend on the plot size, the plot size on the labels' room.
  QRectF plot = target_.adjusted(kPad + yTitle + 40, top, -kPad - 10, -bottom);
  for (int pass = 0; pass < 2; ++pass) {
    yTicks_ = decor_.y.ticks(std::max(1.0, plot.height()), ySpacing);
    xTicks_ = decor_.x.ticks(std::max(1.0, plot.width()), xSpacing);
    yLabelWidth_ = widest(yTicks_, fm);
    double left = kPad + yTitle + yLabelWidth_ + kLabelGap + style_.tickLength;
    double right = kPad;
    if (decor_.colorbar) right += colorbar::reservedWidth(*decor_.colorbar, std::max(1.0, plot.height()), style_);
    // The first and last x labels are centred on their ticks: keep their halves inside.
    if (const Tick* t = firstLabeled(xTicks_, false))
      left = std::max(left, kPad + fm.horizontalAdvance(t->label) / 2 - decor_.x.fraction(t->value) * plot.width());
    if (const Tick* t = firstLabeled(xTicks_, true))
      right = std::max(right, kPad + fm.horizontalAdvance(t->label) / 2 - (1 - decor_.x.fraction(t->value)) * plot.width());
    const double availW = std::max(10.0, target_.width() - left - right);
    const double availH = std::max(10.0, target_.height() - top - bottom);
    double w = availW, hgt = availH;
    if (decor_.equalAspect) {
      const double dx = decor_.x.hi - decor_.x.lo, dy = decor_.y.hi - decor_.y.lo;
      const double aspect = dx > 0 && dy > 0 ? dx / dy : 1.0;
      hgt = availW / aspect;
      if (hgt > availH) hgt = availH, w = availH * aspect;
    }
    // Centre what is left over (equal aspect) in the target.
    const double x0 = target_.left() + left + (availW - w) / 2;
    const double y0 = target_.top() + top + (availH - hgt) / 2;
    plot = QRectF(x0, y0, w, hgt);
  }
  plot_ = plot;
  yTicks_ = decor_.y.ticks(plot_.height(), ySpacing);
  xTicks_ = decor_.x.ticks(plot_.width(), xSpacing);
  yLabelWidth_ = widest(yTicks_, fm);
  colorbar_ = decor_.colorbar ? QRectF(plot_.right() + colorbar::kGap, plot_.top(), colorbar::kWidth, plot_.height())
                              : QRectF();
}

QPointF PlotFrame::map(double x, double y) const {
  return {plot_.left() + decor_.x.fraction(x) * plot_.width(), plot_.bottom() - decor_.y.fraction(y) * plot_.height()};
}

QPointF PlotFrame::unmap(const QPointF& px) const {
  return {decor_.x.value((px.x() - plot_.left()) / plot_.width()),
          decor_.y.value((plot_.bottom() - px.y()) / plot_.height())};
}

QRectF PlotFrame::titleRect() const {
  const QFontMetricsF tfm(style_.titleFont);
  const double gap = titleGap(QFontMetricsF(style_.font));
  return QRectF(target_.left() + kPad, plot_.top() - gap - tfm.height(), target_.width() - 2 * kPad, tfm.height());
}

QRectF PlotFrame::xTickRect(const Tick& t, double width) const {
  const double x = map(t.value, decor_.y.lo).x();
  const double h = QFontMetricsF(style_.font).height();
  return QRectF(x - width / 2, plot_.bottom() + style_.tickLength + kLabelGap, width, h);
}

QRectF PlotFrame::yTickRect(const Tick& t, double width) const {
  const double y = map(decor_.x.lo, t.value).y();
  const double h = QFontMetricsF(style_.font).height();
  return QRectF(plot_.left() - style_.tickLength - kLabelGap - width, y - h / 2, width, h);
}

QRectF PlotFrame::xTitleRect() const {
  const double h = QFontMetricsF(style_.font).height();
  return QRectF(plot_.left(), plot_.bottom() + style_.tickLength + kLabelGap + h + kTitleGap, plot_.width(), h);
}

QRectF PlotFrame::yTitleRect() const {
  const double h = QFontMetricsF(style_.font).height();
  const double x = plot_.left() - style_.tickLength - kLabelGap - yLabelWidth_ - kTitleGap - h;
  return QRectF(x, plot_.top(), h, plot_.height());
}

std::vector<QRectF> PlotFrame::textRects() const {
  const QFontMetricsF fm(style_.font);
  std::vector<QRectF> out;
  if (!decor_.title.isEmpty()) {
    const QFontMetricsF tfm(style_.titleFont);
    const double w = std::min(titleRect().width(), tfm.horizontalAdvance(decor_.title));
    const QRectF r = titleRect();
    out.emplace_back(r.center().x() - w / 2, r.top(), w, r.height());
  }
  for (const Tick& t : xTicks_)
    if (!t.label.isEmpty()) out.push_back(xTickRect(t, fm.horizontalAdvance(t.label)));
  for (const Tick& t : yTicks_)
    if (!t.label.isEmpty()) out.push_back(yTickRect(t, fm.horizontalAdvance(t.label)));
  if (!decor_.x.title.isEmpty()) {
    const double w = std::min(plot_.width(), fm.horizontalAdvance(decor_.x.title));
    const QRectF r = xTitleRect();
    out.emplace_back(r.center().x() - w / 2, r.top(), w, r.height());
  }
  if (!decor_.y.title.isEmpty()) {
    const double len = std::min(plot_.height(), fm.horizontalAdvance(decor_.y.title));
    const QRectF r = yTitleRect();
    out.emplace_back(r.left(), r.center().y() - len / 2, r.width(), len);
  }
  if (decor_.colorbar)
    for (const QRectF& r : colorbar::textRects(colorbar_, *decor_.colorbar, style_)) out.push_back(r);
  return out;
}

void PlotFrame::paintBackground(QPainter& p) const { p.fillRect(target_, style_.background); }

void PlotFrame::paintGrid(QPainter& p) const {
  if (!decor_.grid) return;
  p.save();
  p.setRenderHint(QPainter::Antialiasing, false);
  for (const Tick& t : xTicks_) {
    const double x = map(t.value, decor_.y.lo).x();
    p.setPen(QPen(t.major ? style_.grid : style_.minorGrid, 1));
    p.drawLine(QPointF(x, plot_.top()), QPointF(x, plot_.bottom()));
  }
  for (const Tick& t : yTicks_) {
    const double y = map(decor_.x.lo, t.value).y();
    p.setPen(QPen(t.major ? style_.grid : style_.minorGrid, 1));
    p.drawLine(QPointF(plot_.left(), y), QPointF(plot_.right(), y));
  }
  p.restore();
}

void PlotFrame::paintAxes(QPainter& p) const {
  p.save();
  p.setFont(style_.font);
  p.setRenderHint(QPainter::Antialiasing, false);
  p.setRenderHint(QPainter::TextAntialiasing);
  const QFontMetricsF fm(style_.font);
  const QPen framePen(style_.frame, 1.0);
  p.setPen(framePen);
  p.setBrush(Qt::NoBrush);
  p.drawRect(plot_);
  for (const Tick& t : xTicks_) {
    const double x = map(t.value, decor_.y.lo).x();
    const double len = t.major ? style_.tickLength : style_.tickLength * 0.5;
    p.setPen(framePen);
    p.drawLine(QPointF(x, plot_.bottom()), QPointF(x, plot_.bottom() + len));
    if (t.label.isEmpty()) continue;
    p.setPen(style_.foreground);
    p.drawText(xTickRect(t, fm.horizontalAdvance(t.label) + 2), Qt::AlignHCenter | Qt::AlignTop, t.label);
  }
  for (const Tick& t : yTicks_) {
    const double y = map(decor_.x.lo, t.value).y();
    const double len = t.major ? style_.tickLength : style_.tickLength * 0.5;
    p.setPen(framePen);
    p.drawLine(QPointF(plot_.left() - len, y), QPointF(plot_.left(), y));
    if (t.label.isEmpty()) continue;
    p.setPen(style_.foreground);
    p.drawText(yTickRect(t, fm.horizontalAdvance(t.label) + 2), Qt::AlignRight | Qt::AlignVCenter, t.label);
  }
  p.setPen(style_.foreground);
  if (!decor_.x.title.isEmpty())
    p.drawText(xTitleRect(), Qt::AlignHCenter | Qt::AlignTop, fm.elidedText(decor_.x.title, Qt::ElideRight, plot_.width()));
  if (!decor_.y.title.isEmpty()) {
    const QRectF r = yTitleRect();
    p.save();
    p.translate(r.center());
    p.rotate(-90);
    p.drawText(QRectF(-r.height() / 2, -r.width() / 2, r.height(), r.width()), Qt::AlignCenter,
               fm.elidedText(decor_.y.title, Qt::ElideRight, r.height()));
    p.restore();
  }
  if (!decor_.title.isEmpty()) {
    p.setFont(style_.titleFont);
    const QRectF r = titleRect();
    p.drawText(r, Qt::AlignCenter, QFontMetricsF(style_.titleFont).elidedText(decor_.title, Qt::ElideMiddle, r.width()));
    p.setFont(style_.font);
  }
  if (decor_.colorbar) colorbar::paint(p, colorbar_, *decor_.colorbar, style_);
  p.restore();
}

void PlotFrame::paintNote(QPainter& p, const QString& text, Corner corner) const {
  if (text.isEmpty()) return;
  p.save();
  p.setFont(style_.font);
  const QFontMetricsF fm(style_.font);
  const QString shown = fm.elidedText(text, Qt::ElideRight, plot_.width() - 16);
  const QSizeF size(fm.horizontalAdvance(shown) + 10, fm.height() + 4);
  const bool top = corner == Corner::TopLeft || corner == Corner::TopRight;
  const bool left = corner == Corner::TopLeft || corner == Corner::BottomLeft;
  const QPointF at(left ? plot_.left() + 6 : plot_.right() - 6 - size.width(),
                   top ? plot_.top() + 6 : plot_.bottom() - 6 - size.height());
  QColor box = style_.background;
  box.setAlpha(210);
  p.setPen(Qt::NoPen);
  p.setBrush(box);
  p.drawRoundedRect(QRectF(at, size), 3, 3);
  p.setPen(style_.foreground);
  p.drawText(QRectF(at, size), Qt::AlignCenter, shown);
  p.restore();
}

void PlotFrame::paintPlaceholder(QPainter& p, const QString& text) const {
  if (text.isEmpty()) return;
  p.save();
  p.setFont(style_.font);
  p.setPen(style_.faint);
  p.drawText(plot_.adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, text);
  p.restore();
}

}  // namespace flowscope::gui
