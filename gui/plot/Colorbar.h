#pragma once
// A colorbar beside a plot: the colormap from low (bottom) to high (top), ticks and labels on its
// axis, and its title turned 90 degrees beyond the widest label, so they never overlap.

#include <QRgb>
#include <QString>

#include <array>
#include <vector>

#include "gui/plot/Axis.h"

class QPainter;
class QRectF;

namespace flowscope::gui {

struct PlotStyle;

struct ColorbarSpec {
  const std::array<QRgb, 256>* lut = nullptr;  ///< low to high
  Axis axis;                                   ///< value range and scale; its title is the bar's
  bool hasValues = true;                       ///< false: draw the bar without ticks
};

namespace colorbar {
constexpr double kGap = 12, kWidth = 14;
/// Width the bar needs right of the plot: gap, bar, ticks, labels, title.
double reservedWidth(const ColorbarSpec& spec, double barHeight, const PlotStyle& style);
void paint(QPainter& p, const QRectF& bar, const ColorbarSpec& spec, const PlotStyle& style);
/// The rectangles paint() writes text into (tick labels, the turned title), for layout tests.
std::vector<QRectF> textRects(const QRectF& bar, const ColorbarSpec& spec, const PlotStyle& style);
}  // namespace colorbar

}  // namespace flowscope::gui
