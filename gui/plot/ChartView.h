#pragma once
// A LineChart on screen with the interaction users of TensorBoard-like monitors expect:
// rubber-band zoom (a flat drag zooms x only, a narrow one y only), wheel zoom about the cursor,
// pan with the middle button, Shift+drag or the arrow keys, +/- keys, double-click or Home to fit,
// and a read-out of the data point nearest the cursor. The owner sets the chart; the view only
// changes its `view` range (and says so), so exports draw exactly what is on screen.

#include <QPointF>
#include <QWidget>

#include <functional>
#include <optional>

#include "gui/plot/LineChart.h"

class QRubberBand;

namespace flowscope::gui {

class ChartView : public QWidget {
  Q_OBJECT
 public:
  explicit ChartView(QWidget* parent = nullptr);

  /// Replaces what is drawn; the shown range is kept while the user has zoomed.
  void setChart(LineChart chart);
  const LineChart& chart() const { return chart_; }
  /// True once the user zoomed or panned (new data no longer refits) until resetZoom().
  bool userZoomed() const { return userZoomed_; }
  void resetZoom();
  /// The frame as laid out in this widget (tests map data to pixels with it).
  PlotFrame frame() const;
  /// Read-out text for a hovered point; the default names series, x and y.
  std::function<QString(const LineSeries&, const QPointF&)> readout;
  /// The read-out shown for the hovered point; empty when nothing is hovered.
  QString hoverText() const;

 Q_SIGNALS:
  /// The user zoomed, panned or reset (userZoomed() tells which).
  void zoomChanged();

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void leaveEvent(QEvent* event) override;

 private:
  void setView(const DataRange& range);
  void updateHover(const QPointF& pos);

  LineChart chart_;
  bool userZoomed_ = false;
  QRubberBand* band_ = nullptr;
  QPoint bandOrigin_;
  QPointF panLast_;
  bool banding_ = false, panning_ = false;
  std::optional<LineChart::Hit> hover_;
};

}  // namespace flowscope::gui
