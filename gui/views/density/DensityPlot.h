#pragma once
// QPainter drawing of a DensityScene on the plot layer: a PlotFrame that keeps data units square
// (a checkerboard's squares look square) with the density colorbar, the heatmap as an image,
// overlay lines and heads as vector paths. Used whole by the QPainter canvas and by export (SVG
// and PDF keep lines and text as vectors), and for the decorations over the OpenGL canvas.

#include <QPointF>
#include <QRectF>
#include <QString>

#include "core/api/Queries.h"
#include "gui/plot/PlotFrame.h"

class QPainter;

namespace flowscope::gui {

class DensityScene;

struct DensityLabels {
  QString title;   ///< above the plot
  QString status;  ///< progress or a problem, inside the plot's top-left corner
  QString legend;  ///< what the overlay colors mean, inside the plot's bottom-left corner
};

class DensityPlot {
 public:
  DensityPlot(const QRectF& target, const DensityScene& scene, const DensityLabels& labels, const PlotStyle& style);

  const PlotFrame& frame() const { return frame_; }
  const QRectF& plot() const { return frame_.plot(); }  ///< the data area
  const QRectF& colorbar() const { return frame_.colorbarRect(); }
  QPointF map(double x, double y) const { return frame_.map(x, y); }
  QRectF map(const ViewBounds& b) const;

  void paintBackground(QPainter& p) const { frame_.paintBackground(p); }
  /// The heatmap, or an empty plot when the scene has nothing to show.
  void paintHeatmap(QPainter& p) const;
  void paintLines(QPainter& p) const;
  void paintHeads(QPainter& p) const;
  /// Frame, ticks, axis titles, title, colorbar, status and legend notes.
  void paintDecorations(QPainter& p) const;
  void paintAll(QPainter& p) const;

 private:
  const DensityScene& scene_;
  DensityLabels labels_;
  PlotFrame frame_;
};

}  // namespace flowscope::gui
