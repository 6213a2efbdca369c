#include "gui/views/nfe/NfeStripView.h"

#include <QPainter>

#include <cmath>

#include "gui/views/nfe/NfeStrip.h"

namespace flowscope::gui {

NfeStripView::NfeStripView(const NfeScene& scene, QWidget* parent) : QWidget(parent), scene_(scene) {
  setObjectName("sampleStrip");
  fitHeight();
}

void NfeStripView::refresh(bool sampling) {
  sampling_ = sampling;
  fitHeight();
  update();
}

void NfeStripView::fitHeight() {
  const double h = NfeStrip(scene_, sampling_, PlotStyle::forWidget(*this)).height(std::max(1, width()));
  setMinimumHeight(static_cast<int>(std::ceil(h)));
}

void NfeStripView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  const PlotStyle style = PlotStyle::forWidget(*this);
  p.fillRect(rect(), style.background);
  NfeStrip(scene_, sampling_, style).paint(p, QRectF(rect()));
}

void NfeStripView::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  fitHeight();
}

}  // namespace flowscope::gui
