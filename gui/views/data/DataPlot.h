#pragma once
// QPainter drawing of the data panel on the plot layer: the 2D target distribution (a dataset's
// preview samples or the drawn points) as dots in a PlotFrame over [-4.5, 4.5]^2 with equal
// scales, and the brush outline under the mouse. Screen and export draw the same figure.

#include <QColor>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <optional>
#include <vector>

#include "gui/plot/PlotFrame.h"

class QPainter;

namespace flowscope::gui {

struct DataBrush {
  QPointF center;  ///< data units
  double radius = 0.4;
};

class DataPlot {
 public:
  static constexpr double kRange = 4.5;  ///< the datasets' range on both axes
  static QColor drawnColor() { return QColor(213, 94, 0); }     ///< Okabe-Ito vermillion
  static QColor previewColor() { return QColor(0, 114, 178); }  ///< Okabe-Ito blue

  /// `drawn`: the points are the user's (drawn color), else a dataset preview.
  DataPlot(const QRectF& target, const std::vector<QPointF>& points, bool drawn, const QString& title,
           const PlotStyle& style);

  const PlotFrame& frame() const { return frame_; }
  const QRectF& plot() const { return frame_.plot(); }
  QPointF map(QPointF data) const { return frame_.map(data); }
  QPointF unmap(QPointF pixel) const { return frame_.unmap(pixel); }

  void paintAll(QPainter& p, const std::optional<DataBrush>& brush = std::nullopt) const;

 private:
  const std::vector<QPointF>& points_;
  bool drawn_;
  PlotFrame frame_;
};

}  // namespace flowscope::gui
