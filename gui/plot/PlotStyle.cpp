#include "gui/plot/PlotStyle.h"

#include <QPalette>
#include <QWidget>

#include "gui/app/Theme.h"

namespace flowscope::gui {

QFont pixelFont(const QFont& base, int px, bool bold) {
  QFont f = base;
  f.setPixelSize(px);
  f.setBold(bold);
  return f;
}

QColor mixColors(const QColor& a, const QColor& b, double w) {
  return QColor::fromRgbF(static_cast<float>(a.redF() + w * (b.redF() - a.redF())),
                          static_cast<float>(a.greenF() + w * (b.greenF() - a.greenF())),
                          static_cast<float>(a.blueF() + w * (b.blueF() - a.blueF())));
}

PlotStyle PlotStyle::fromPalette(const QPalette& palette, const QFont& base) {
  PlotStyle s;
  s.background = palette.color(QPalette::Base);
  s.foreground = palette.color(QPalette::Text);
  s.frame = mixColors(s.background, s.foreground, 0.55);
  s.grid = mixColors(s.background, s.foreground, 0.14);
  s.minorGrid = mixColors(s.background, s.foreground, 0.06);
  s.faint = mixColors(s.background, s.foreground, 0.6);
  s.font = pixelFont(base, 11);
  s.titleFont = pixelFont(base, 13, true);
  return s;
}

PlotStyle PlotStyle::forWidget(const QWidget& widget) { return fromPalette(widget.palette(), widget.font()); }

PlotStyle PlotStyle::forExport(const QFont& base) {
  if (paletteIsDark()) return fromPalette(QPalette(), base);
  QPalette paper;
  paper.setColor(QPalette::Base, Qt::white);
  paper.setColor(QPalette::Text, Qt::black);
  return fromPalette(paper, base);
}

}  // namespace flowscope::gui
