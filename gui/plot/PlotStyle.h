#pragma once
// Colors and fonts of a figure. On screen they follow the widget's palette; exports use white
// paper for light themes and the palette for dark ones. Fonts have pixel sizes, so text measures
// the same on screen, in PNG at any DPI, in SVG and in PDF, and layouts computed from it fit.

#include <QColor>
#include <QFont>

class QPalette;
class QWidget;

namespace flowscope::gui {

struct PlotStyle {
  QColor background, foreground, frame, grid, minorGrid, faint;
  QFont font;       ///< ticks, axis titles, legends, notes
  QFont titleFont;  ///< the figure title (bold)
  double tickLength = 4;

  static PlotStyle fromPalette(const QPalette& palette, const QFont& base);
  static PlotStyle forWidget(const QWidget& widget);
  static PlotStyle forExport(const QFont& base);
};

/// `base` at a pixel size (px), optionally bold.
QFont pixelFont(const QFont& base, int px, bool bold = false);

/// a + w (b - a), per channel.
QColor mixColors(const QColor& a, const QColor& b, double w);

}  // namespace flowscope::gui
