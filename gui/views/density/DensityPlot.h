#pragma once
// QPainter drawing of a DensityScene: layout (a plot that keeps data units square, axes, title,
// colorbar), the heatmap as an image, overlay lines and heads as vector paths. Used whole by the
// QPainter canvas and by export (so SVG/PDF keep lines and text as vectors), and for the
// decorations on top of the OpenGL canvas.

#include <QColor>
#include <QFont>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <vector>

#include "core/api/Queries.h"

class QPainter;
class QPalette;

namespace flowscope::gui {

class DensityScene;

struct DensityLabels {
  QString title;   ///< above the plot
  QString status;  ///< progress or a problem, inside the plot's top-left corner
  QString legend;  ///< what the overlay colors mean, inside the plot's bottom-left corner
};

struct DensityStyle {
  QColor background, foreground, frame;
  QFont font;
  static DensityStyle fromPalette(const QPalette& palette, const QFont& font);
  /// White paper for light themes, the palette for dark ones (Exportable's contract).
  static DensityStyle forExport(const QFont& font);
};

class DensityPlot {
 public:
  DensityPlot(const QRectF& target, const ViewBounds& range, const QFont& font);

  const QRectF& target() const { return target_; }
  const QRectF& plot() const { return plot_; }          ///< the data area
  const QRectF& colorbar() const { return colorbar_; }
  QPointF map(double x, double y) const;
  QRectF map(const ViewBounds& b) const;

  void paintBackground(QPainter& p, const DensityStyle& style) const;
  /// The heatmap, or an empty plot when the scene has nothing to show.
  void paintHeatmap(QPainter& p, const DensityScene& scene, const DensityStyle& style) const;
  void paintLines(QPainter& p, const DensityScene& scene) const;
  void paintHeads(QPainter& p, const DensityScene& scene) const;
  /// Frame, ticks, axis labels, title, colorbar, status and legend.
  void paintDecorations(QPainter& p, const DensityScene& scene, const DensityLabels& labels,
                        const DensityStyle& style) const;
  void paintAll(QPainter& p, const DensityScene& scene, const DensityLabels& labels,
                const DensityStyle& style) const;

 private:
  QRectF target_, plot_, colorbar_;
  ViewBounds range_;
  QFont font_;
};

}  // namespace flowscope::gui
