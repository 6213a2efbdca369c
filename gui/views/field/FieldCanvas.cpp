#include "gui/views/field/FieldCanvas.h"

#include <QMouseEvent>
#include <QPainter>

#include "gui/views/field/FieldScene.h"

namespace flowscope::gui {

FieldCanvas::FieldCanvas(const FieldScene* scene, QWidget* parent) : QWidget(parent), scene_(scene) {
  setObjectName("fieldCanvas");
  setMinimumSize(320, 280);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  setCursor(Qt::CrossCursor);
  setAttribute(Qt::WA_OpaquePaintEvent);
}

void FieldCanvas::setLook(const FieldLook& look) {
  look_ = look;
  update();
}

FieldPlot FieldCanvas::plotAtSize() const {
  return FieldPlot(QRectF(rect()), *scene_, look_, PlotStyle::forWidget(*this));
}

void FieldCanvas::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.setRenderHint(QPainter::TextAntialiasing);
  plotAtSize().paintAll(p);
}

void FieldCanvas::clickAt(QPointF pixel) {
  const FieldPlot plot = plotAtSize();
  if (!plot.plot().contains(pixel) || !clicked_) return;
  clicked_(plot.unmap(pixel));
}

void FieldCanvas::mousePressEvent(QMouseEvent* e) {
  if (e->button() != Qt::LeftButton) return QWidget::mousePressEvent(e);
  clickAt(e->position());
  e->accept();
}

void FieldCanvas::mouseMoveEvent(QMouseEvent* e) {
  if (!(e->buttons() & Qt::LeftButton)) return QWidget::mouseMoveEvent(e);
  clickAt(e->position());  // dragging x1 recomputes live (coalesced)
  e->accept();
}

}  // namespace flowscope::gui
