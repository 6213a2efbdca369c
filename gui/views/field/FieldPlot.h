#pragma once
// QPainter drawing of a FieldScene on the plot layer: a PlotFrame with equal scales on both axes
// (a rotation looks round, directions are true), arrows and/or streamlines colored by magnitude
// through viridis, the magnitude colorbar, and x1 of the conditional field (eq. 15). The same
// drawing serves the screen (FieldCanvas) and export (SVG and PDF keep paths and text as vectors).

#include <QPointF>
#include <QRectF>
#include <QString>

#include <optional>

#include "gui/plot/PlotFrame.h"

class QPainter;

namespace flowscope::gui {

class FieldScene;

enum class FieldDisplay { Arrows, Streamlines, Both };

/// How the scene is drawn and what is written around it.
struct FieldLook {
  QString title;    ///< above the plot; empty: "vector field"
  QString message;  ///< a problem or an instruction; over an empty plot, or as a note
  bool busy = false;  ///< a newer field is being computed: a note in the top-right corner
  FieldDisplay display = FieldDisplay::Both;
  bool colorByMagnitude = true;  ///< viridis by |u| with a colorbar; else the text color
  QString magnitudeTitle = QStringLiteral("|u|");  ///< the colorbar's title
  std::optional<QPointF> marker;  ///< x1 of the conditional field, in data units
};

class FieldPlot {
 public:
  /// Drawn over the field's grid bounds, or [-3.5, 3.5]^2 before the first field.
  FieldPlot(const QRectF& target, const FieldScene& scene, const FieldLook& look, const PlotStyle& style);

  const PlotFrame& frame() const { return frame_; }
  const QRectF& plot() const { return frame_.plot(); }  ///< the data area
  QPointF map(QPointF data) const { return frame_.map(data); }
  QPointF unmap(QPointF pixel) const { return frame_.unmap(pixel); }

  void paintAll(QPainter& p) const;

 private:
  void paintStreamlines(QPainter& p) const;
  void paintArrows(QPainter& p) const;
  void paintMarker(QPainter& p) const;
  QColor colorOf(double magnitude, int alpha) const;
  double pixelsPerUnit() const;

  const FieldScene& scene_;
  FieldLook look_;
  PlotFrame frame_;
};

}  // namespace flowscope::gui
