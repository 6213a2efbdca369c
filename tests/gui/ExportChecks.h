#pragma once
// Checks shared by the panels' export tests: text that stays inside the figure and apart at a
// size, and how much of a plot rectangle is painted in a colormap's colors (a blank plot fails).

#include <gtest/gtest.h>

#include <QImage>
#include <QRectF>
#include <QRgb>
#include <QSize>

#include <array>

#include "gui/plot/Exportable.h"

namespace flowscope::test {

/// The three export sizes every panel is checked at (small, screen, print).
inline const QSize kExportSizes[] = {QSize(480, 320), QSize(1200, 800), QSize(2400, 1600)};

/// Success when `panel`'s text rectangles at `size` (at least `minTexts` of them) lie inside
/// the figure and no two overlap; otherwise names the offending rectangles.
::testing::AssertionResult textFits(gui::Exportable& panel, QSize size, size_t minTexts = 5);

/// Renders `panel` at `size` (96 dpi) into an image; with FLOWSCOPE_EXPORT_LOOK set, also saves
/// it there as <name>-<w>x<h>.png for a person to look at.
QImage renderAt(gui::Exportable& panel, QSize size);

/// Fraction of the pixels inside `rect` (shrunk by 2 px) whose color is an entry of `lut`.
double lutFraction(const QImage& image, const QRectF& rect, const std::array<QRgb, 256>& lut);

}  // namespace flowscope::test
