#pragma once
// Zoom and pan of a chart as pure functions of its frame (PlotJuggler keeps these as small classes
// of their own): the same arithmetic serves mouse, wheel and keys, and tests check it as numbers.
// Log axes zoom and pan in log space, so a decade stays a decade.

#include <QPointF>

#include <optional>

#include "gui/plot/LineChart.h"

namespace flowscope::gui {

/// The range a rubber-band drag from `a` to `b` (pixels) selects: a flat drag (under 8 px tall)
/// zooms x only, a narrow one y only; nullopt for a click.
std::optional<DataRange> zoomToDrag(const PlotFrame& frame, QPointF a, QPointF b);
/// Zooms by `factor` (< 1 in, > 1 out) about `pixel`: the data under the cursor stays under it.
DataRange zoomAbout(const PlotFrame& frame, QPointF pixel, double factor);
/// Moves the view so that content moves by `delta` pixels (drag direction).
DataRange panBy(const PlotFrame& frame, QPointF delta);

}  // namespace flowscope::gui
