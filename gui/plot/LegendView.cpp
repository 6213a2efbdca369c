#include "gui/plot/LegendView.h"

#include <QPainter>

#include <cmath>

namespace flowscope::gui {

LegendView::LegendView(QWidget* parent) : QWidget(parent) { fitHeight(); }

void LegendView::setEntries(std::vector<LegendEntry> entries) {
  entries_ = std::move(entries);
  fitHeight();
  update();
}

void LegendView::fitHeight() {
  const double h = Legend(entries_, PlotStyle::forWidget(*this)).height(std::max(1, width()));
  setFixedHeight(std::max(4, static_cast<int>(std::ceil(h))));
}

void LegendView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  const PlotStyle style = PlotStyle::forWidget(*this);
  p.fillRect(rect(), style.background);
  Legend(entries_, style).paint(p, QRectF(rect()));
}

void LegendView::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  fitHeight();
}

}  // namespace flowscope::gui
