#include "gui/views/nfe/NfeFigure.h"

#include <QPainter>

#include <algorithm>

#include "gui/plot/Legend.h"
#include "gui/views/nfe/NfeChart.h"
#include "gui/views/nfe/NfeStrip.h"

namespace flowscope::gui {
namespace {
constexpr double kChartsHeight = 380, kGap = 8;
}

NfeFigure::NfeFigure(const NfeScene& scene, bool sweeping, bool sampling, PlotStyle style)
    : scene_(scene),
      sampling_(sampling),
      style_(std::move(style)),
      error_(NfeChart::build(scene, NfeScene::Chart::Error, sweeping)),
      quality_(NfeChart::build(scene, NfeScene::Chart::Quality, sweeping)),
      legend_(NfeChart::legend(scene, mixColors(style_.background, style_.foreground, 0.75))) {}

double NfeFigure::naturalHeight(double width) const {
  return kChartsHeight + Legend(legend_, style_).height(width) + kGap + NfeStrip(scene_, sampling_, style_).height(width);
}

NfeFigure::Layout NfeFigure::layout(const QRectF& t) const {
  const double legendH = Legend(legend_, style_).height(t.width());
  const double stripH = NfeStrip(scene_, sampling_, style_).height(t.width());
  // The charts keep at least half the height; the strip's cells shrink into the rest.
  const double chartsH = std::max(t.height() * 0.5, t.height() - legendH - kGap - stripH);
  Layout l;
  l.error = QRectF(t.left(), t.top(), t.width() / 2, chartsH);
  l.quality = QRectF(t.left() + t.width() / 2, t.top(), t.width() / 2, chartsH);
  l.legend = QRectF(t.left(), t.top() + chartsH, t.width(), legendH);
  const double stripTop = l.legend.bottom() + kGap;
  l.strip = QRectF(t.left(), stripTop, t.width(), std::max(0.0, t.bottom() - stripTop));
  return l;
}

void NfeFigure::paint(QPainter& p, const QRectF& target) const {
  const Layout l = layout(target);
  p.save();
  p.fillRect(target, style_.background);
  error_.paint(p, l.error, style_);
  quality_.paint(p, l.quality, style_);
  Legend(legend_, style_).paint(p, l.legend);
  NfeStrip(scene_, sampling_, style_).paint(p, l.strip);
  p.restore();
}

std::vector<PlotFrame> NfeFigure::frames(const QRectF& target) const {
  const Layout l = layout(target);
  return {error_.frame(l.error, style_), quality_.frame(l.quality, style_)};
}

std::vector<QRectF> NfeFigure::textRects(const QRectF& target) const {
  const Layout l = layout(target);
  std::vector<QRectF> out = error_.textRects(l.error, style_);
  for (const auto& part : {quality_.textRects(l.quality, style_), Legend(legend_, style_).textRects(l.legend),
                           NfeStrip(scene_, sampling_, style_).textRects(l.strip)})
    out.insert(out.end(), part.begin(), part.end());
  return out;
}

}  // namespace flowscope::gui
