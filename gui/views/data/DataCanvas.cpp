#include "gui/views/data/DataCanvas.h"

#include <QCursor>
#include <QMouseEvent>
#include <QPainter>

#include "gui/views/data/DataPanel.h"
#include "gui/views/data/DataPlot.h"

namespace flowscope::gui {

DataCanvas::DataCanvas(DataPanel* panel) : QWidget(panel), panel_(panel) {
  setObjectName("dataCanvas");
  setMinimumSize(360, 360);
  setMouseTracking(true);
  setAttribute(Qt::WA_OpaquePaintEvent);
}

DataPlot DataCanvas::plotAtSize() const {
  return DataPlot(QRectF(rect()), panel_->shownPoints(), panel_->drawing(), panel_->plotTitle(),
                  PlotStyle::forWidget(*this));
}

QRectF DataCanvas::plotRect() const { return plotAtSize().plot(); }

QPointF DataCanvas::dataToPixel(QPointF data) const { return plotAtSize().map(data); }

void DataCanvas::paintEvent(QPaintEvent*) {
  QPainter p(this);
  const DataPlot plot = plotAtSize();
  std::optional<DataBrush> brush;
  const QPointF mouse = mapFromGlobal(QCursor::pos());
  if (underMouse() && panel_->tool() != DataPanel::Tool::Point && plot.plot().contains(mouse))
    brush = DataBrush{plot.unmap(mouse), panel_->brushRadius()};
  plot.paintAll(p, brush);
}

void DataCanvas::stroke(QPointF pixel) {
  const DataPlot plot = plotAtSize();
  if (plot.plot().contains(pixel)) panel_->strokeAt(plot.unmap(pixel));
}

void DataCanvas::mousePressEvent(QMouseEvent* e) { stroke(e->position()); }

void DataCanvas::mouseMoveEvent(QMouseEvent* e) {
  if (e->buttons() & Qt::LeftButton && panel_->tool() != DataPanel::Tool::Point) stroke(e->position());
  update();  // the brush outline follows the mouse
}

void DataCanvas::leaveEvent(QEvent* e) {
  QWidget::leaveEvent(e);
  update();
}

}  // namespace flowscope::gui
