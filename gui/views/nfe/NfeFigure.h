#pragma once
// The NFE panel as one figure for export: the error and quality charts side by side, their
// shared legend, and the sample strip below, all on the plot layer at any size (the strip's
// cells shrink to what is left when the figure is short).

#include <QRectF>

#include <vector>

#include "gui/plot/LineChart.h"
#include "gui/views/nfe/NfeScene.h"

class QPainter;

namespace flowscope::gui {

class NfeFigure {
 public:
  NfeFigure(const NfeScene& scene, bool sweeping, bool sampling, PlotStyle style);

  struct Layout {
    QRectF error, quality, legend, strip;
  };
  Layout layout(const QRectF& target) const;
  /// Height that shows everything at `width` without shrinking.
  double naturalHeight(double width) const;

  const LineChart& errorChart() const { return error_; }
  const LineChart& qualityChart() const { return quality_; }
  void paint(QPainter& p, const QRectF& target) const;
  /// Both charts' frames as painted into `target`.
  std::vector<PlotFrame> frames(const QRectF& target) const;
  std::vector<QRectF> textRects(const QRectF& target) const;

 private:
  const NfeScene& scene_;
  bool sampling_;
  PlotStyle style_;
  LineChart error_, quality_;
  std::vector<LegendEntry> legend_;
};

}  // namespace flowscope::gui
