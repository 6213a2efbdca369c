#pragma once
// The training monitor's charts as one figure: the shown charts in a grid of one or two columns
// (an odd last chart spans the row), each a LineChart, over the legend of the runs they share. The widget lays its chart
// views out the same way and export paints the charts the views hold (their zoom included), so
// an exported figure shows what is on screen.

#include <QRectF>

#include <vector>

#include "gui/plot/LineChart.h"

class QPainter;

namespace flowscope::gui {

class MonitorFigure {
 public:
  MonitorFigure(std::vector<LineChart> charts, std::vector<LegendEntry> legend)
      : charts_(std::move(charts)), legend_(std::move(legend)) {}

  /// The cells of `n` charts in `target`, in reading order.
  static std::vector<QRectF> cells(const QRectF& target, int n, double gap = 8);
  /// Grid position of chart `i` of `n`: row, column, column span.
  struct Place {
    int row = 0, column = 0, span = 1;
  };
  static Place place(int i, int n);

  const std::vector<LineChart>& charts() const { return charts_; }
  /// The legend's rows at the bottom of `target`; the charts get the rest.
  QRectF legendRect(const QRectF& target, const PlotStyle& style) const;
  void paint(QPainter& p, const QRectF& target, const PlotStyle& style) const;
  /// Each chart's frame as painted into `target` (tests look at the plot rectangles).
  std::vector<PlotFrame> frames(const QRectF& target, const PlotStyle& style) const;
  /// Every text rectangle of every chart.
  std::vector<QRectF> textRects(const QRectF& target, const PlotStyle& style) const;

 private:
  std::vector<QRectF> chartCells(const QRectF& target, const PlotStyle& style) const;
  /// Chart `i` as drawn in `cell`: a short cell leaves out the x title ("step", the same on every
  /// chart), so the plot keeps room for its y tick labels.
  LineChart chartIn(size_t i, const QRectF& cell) const;

  std::vector<LineChart> charts_;
  std::vector<LegendEntry> legend_;
};

}  // namespace flowscope::gui
