#pragma once
// The frame around a plot's data area: the title, both axes with ticks, tick labels and titles,
// an optional colorbar, and the margins for all of them measured from the text they hold, so
// nothing is clipped or overlaps at any size. Every FlowScope figure draws its axes through it.
//
//   PlotDecor decor;
//   decor.title = "p_t at t = 0.50";
//   decor.x = {-4.5, 4.5, AxisScale::Linear, "x₁"};
//   decor.y = {-4.5, 4.5, AxisScale::Linear, "x₂"};
//   decor.equalAspect = true;
//   const PlotFrame frame(target, decor, PlotStyle::forExport(font));
//   frame.paintBackground(p);
//   ... draw data at frame.map(x, y), clipped to frame.plot() ...
//   frame.paintAxes(p);

#include <QPointF>
#include <QRectF>
#include <QString>

#include <optional>
#include <vector>

#include "gui/plot/Axis.h"
#include "gui/plot/Colorbar.h"
#include "gui/plot/PlotStyle.h"

class QPainter;

namespace flowscope::gui {

struct PlotDecor {
  QString title;
  Axis x, y;
  bool grid = false;         ///< grid lines at the ticks (under the data)
  bool equalAspect = false;  ///< one data unit is as long on both axes (maps stay undistorted)
  std::optional<ColorbarSpec> colorbar;
};

enum class Corner { TopLeft, TopRight, BottomLeft, BottomRight };

class PlotFrame {
 public:
  PlotFrame(const QRectF& target, PlotDecor decor, PlotStyle style);

  const QRectF& target() const { return target_; }
  const QRectF& plot() const { return plot_; }  ///< the data area
  const QRectF& colorbarRect() const { return colorbar_; }
  const PlotDecor& decor() const { return decor_; }
  const PlotStyle& style() const { return style_; }
  const std::vector<Tick>& xTicks() const { return xTicks_; }
  const std::vector<Tick>& yTicks() const { return yTicks_; }
  /// The rectangles text is drawn into (title, tick labels, axis titles, the colorbar's labels
  /// and title): tests check them
  /// against target() and each other.
  std::vector<QRectF> textRects() const;

  /// Data to pixels and back (log axes in log space).
  QPointF map(double x, double y) const;
  QPointF map(const QPointF& data) const { return map(data.x(), data.y()); }
  QPointF unmap(const QPointF& pixel) const;

  void paintBackground(QPainter& p) const;
  /// Grid lines (when decor.grid), under the data.
  void paintGrid(QPainter& p) const;
  /// Frame, ticks, labels, axis titles, title and colorbar, over the data.
  void paintAxes(QPainter& p) const;
  /// A boxed note inside the plot's corner, readable over any data; elided to the plot width.
  void paintNote(QPainter& p, const QString& text, Corner corner) const;
  /// A centred message in an empty plot ("Run a sweep...").
  void paintPlaceholder(QPainter& p, const QString& text) const;

 private:
  void layout();
  QRectF titleRect() const;
  QRectF xTickRect(const Tick& t, double width) const;
  QRectF yTickRect(const Tick& t, double width) const;
  QRectF xTitleRect() const;
  QRectF yTitleRect() const;  ///< before rotation: centred on the left margin

  QRectF target_, plot_, colorbar_;
  PlotDecor decor_;
  PlotStyle style_;
  std::vector<Tick> xTicks_, yTicks_;
  double yLabelWidth_ = 0;
};

}  // namespace flowscope::gui
