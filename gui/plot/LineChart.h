#pragma once
// A chart of line series against two axes (linear or log), drawn through PlotFrame, with an
// optional legend in rows under the frame: the training monitor's curves and the NFE panel's
// error and quality charts. A value type: build it, paint it anywhere (screen or export), hit-test
// it for read-outs.

#include <QColor>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QVector>

#include <optional>
#include <utility>
#include <vector>

#include "gui/plot/Axis.h"
#include "gui/plot/Legend.h"
#include "gui/plot/Marker.h"
#include "gui/plot/PlotFrame.h"

class QPainter;

namespace flowscope::gui {

/// A shown range in data units.
struct DataRange {
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  bool operator==(const DataRange& o) const { return x0 == o.x0 && x1 == o.x1 && y0 == o.y0 && y1 == o.y1; }
};

struct LineSeries {
  QString name;      ///< run name (read-outs)
  QString quantity;  ///< what y is (read-outs): "loss", "error"
  QColor color;
  Qt::PenStyle line = Qt::SolidLine;
  double width = 1.6;
  Marker marker = Marker::None;
  QVector<QPointF> points;  ///< data units, ascending x
};

class LineChart {
 public:
  QString title, xTitle, yTitle;
  QString placeholder;  ///< shown when nothing is drawable
  AxisScale xScale = AxisScale::Linear, yScale = AxisScale::Linear;
  int xLogBase = 10;
  bool grid = true;
  std::vector<LineSeries> series;
  std::vector<LegendEntry> legend;  ///< drawn under the frame, rows wrapped to the width
  /// The range shown; unset fits the data (xFit, when set, replaces the data's x extent).
  std::optional<DataRange> view;
  std::optional<std::pair<double, double>> xFit;

  /// Whether a point can be drawn on these scales (finite, > 0 on log axes).
  bool drawable(const QPointF& p) const;
  /// The drawable points' extent, padded; a plausible range when there are none.
  DataRange fittedRange(double pad = 0.05) const;
  DataRange shownRange() const { return view ? *view : fittedRange(); }
  bool hasDrawablePoints() const;

  /// The frame in `target` less the legend's rows.
  PlotFrame frame(const QRectF& target, const PlotStyle& style) const;
  /// The title's band at the top of `target` (empty without a title). The chart draws its title
  /// itself, above the frame: PlotFrame's title band leaves a y label at the plot's top edge
  /// overlapping the title.
  QRectF titleRect(const QRectF& target, const PlotStyle& style) const;
  /// Where the legend goes in `target` (empty without entries).
  QRectF legendRect(const QRectF& target, const PlotStyle& style) const;
  /// Background, grid, series (clipped to the plot), axes, placeholder, legend.
  void paint(QPainter& p, const QRectF& target, const PlotStyle& style) const;
  void paintSeries(QPainter& p, const PlotFrame& frame) const;
  void paintLegend(QPainter& p, const QRectF& target, const PlotStyle& style) const;
  void paintTitle(QPainter& p, const QRectF& target, const PlotStyle& style) const;
  /// Every rectangle text is drawn into (the frame's and the legend's): tests check them.
  std::vector<QRectF> textRects(const QRectF& target, const PlotStyle& style) const;

  struct Hit {
    size_t series = 0;
    qsizetype index = 0;
    QPointF pixel;
  };
  /// The drawn point nearest `pixel` within `maxPixels`, inside the plot.
  std::optional<Hit> nearest(const PlotFrame& frame, const QPointF& pixel, double maxPixels) const;
};

}  // namespace flowscope::gui
