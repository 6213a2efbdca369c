#include "gui/plot/ChartView.h"

#include <QFontMetricsF>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QRubberBand>
#include <QWheelEvent>

#include <cmath>

#include "gui/plot/ChartZoom.h"
#include "gui/plot/TickFormat.h"

namespace flowscope::gui {

ChartView::ChartView(QWidget* parent) : QWidget(parent) {
  setFocusPolicy(Qt::StrongFocus);
  setMouseTracking(true);
  setMinimumSize(220, 160);
  band_ = new QRubberBand(QRubberBand::Rectangle, this);
  band_->hide();
  readout = [](const LineSeries& s, const QPointF& v) {
    return QString("%1\n%2 = %3").arg(s.name, s.quantity.isEmpty() ? QString("y") : s.quantity, formatValue(v.y())) +
           QString("\nx = %1").arg(formatValue(v.x(), 7));
  };
}

void ChartView::setChart(LineChart chart) {
  const std::optional<DataRange> kept = chart_.view;
  chart_ = std::move(chart);
  if (userZoomed_) chart_.view = kept;
  hover_.reset();
  update();
}

void ChartView::resetZoom() {
  userZoomed_ = false;
  chart_.view.reset();
  hover_.reset();
  update();
  Q_EMIT zoomChanged();
}

QString ChartView::hoverText() const {
  if (!hover_ || hover_->series >= chart_.series.size() || !readout) return {};
  const LineSeries& s = chart_.series[hover_->series];
  return hover_->index < s.points.size() ? readout(s, s.points[hover_->index]) : QString();
}

PlotFrame ChartView::frame() const { return chart_.frame(QRectF(rect()), PlotStyle::forWidget(*this)); }

void ChartView::setView(const DataRange& range) {
  chart_.view = range;
  userZoomed_ = true;
  hover_.reset();
  update();
  Q_EMIT zoomChanged();
}

void ChartView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  const PlotStyle style = PlotStyle::forWidget(*this);
  const PlotFrame f = chart_.frame(QRectF(rect()), style);
  f.paintBackground(p);
  f.paintGrid(p);
  chart_.paintSeries(p, f);
  f.paintAxes(p);
  if (!chart_.hasDrawablePoints()) f.paintPlaceholder(p, chart_.placeholder);
  chart_.paintTitle(p, QRectF(rect()), style);
  chart_.paintLegend(p, QRectF(rect()), style);
  if (!hover_ || hover_->series >= chart_.series.size()) return;
  // Read-out: a crosshair at the point, a marker, and a box beside it that stays in the plot.
  const LineSeries& s = chart_.series[hover_->series];
  const QPointF at = hover_->pixel;
  p.setRenderHint(QPainter::Antialiasing);
  QColor line = style.foreground;
  line.setAlpha(110);
  p.setPen(QPen(line, 1, Qt::DashLine));
  p.drawLine(QPointF(at.x(), f.plot().top()), QPointF(at.x(), f.plot().bottom()));
  QColor color = s.color;
  color.setAlpha(255);
  p.setPen(QPen(style.foreground, 1));
  p.setBrush(color);
  p.drawEllipse(at, 4, 4);
  const QString text = readout ? readout(s, s.points[hover_->index]) : QString();
  if (text.isEmpty()) return;
  p.setFont(style.font);
  const QFontMetricsF fm(style.font);
  const QRectF textRect = fm.boundingRect(QRectF(0, 0, 400, 400), Qt::AlignLeft | Qt::AlignTop, text);
  const QSizeF box(textRect.width() + 10, textRect.height() + 8);
  QPointF pos(at.x() + 12, at.y() - box.height() - 8);
  if (pos.x() + box.width() > f.plot().right()) pos.setX(at.x() - 12 - box.width());
  pos.setX(std::max(pos.x(), f.plot().left()));
  if (pos.y() < f.plot().top()) pos.setY(at.y() + 12);
  pos.setY(std::min(pos.y(), f.plot().bottom() - box.height()));
  QColor fill = style.background;
  fill.setAlpha(235);
  p.setBrush(fill);
  p.setPen(QPen(style.frame, 1));
  p.drawRect(QRectF(pos, box));
  p.setPen(style.foreground);
  p.drawText(QRectF(pos + QPointF(5, 4), textRect.size()), Qt::AlignLeft | Qt::AlignTop, text);
}

void ChartView::mousePressEvent(QMouseEvent* e) {
  const bool pan = e->button() == Qt::MiddleButton ||
                   (e->button() == Qt::LeftButton && (e->modifiers() & Qt::ShiftModifier));
  if (pan) {
    panning_ = true;
    panLast_ = e->position();
    setCursor(Qt::ClosedHandCursor);
    hover_.reset();
    e->accept();
    return;
  }
  if (e->button() == Qt::LeftButton && frame().plot().contains(e->position())) {
    banding_ = true;
    bandOrigin_ = e->position().toPoint();
    band_->setGeometry(QRect(bandOrigin_, QSize()));
    band_->show();
    e->accept();
    return;
  }
  QWidget::mousePressEvent(e);
}

void ChartView::mouseMoveEvent(QMouseEvent* e) {
  if (panning_) {
    const QPointF d = e->position() - panLast_;
    panLast_ = e->position();
    setView(panBy(frame(), d));
    return;
  }
  if (banding_) band_->setGeometry(QRect(bandOrigin_, e->position().toPoint()).normalized());
  updateHover(e->position());
}

void ChartView::mouseReleaseEvent(QMouseEvent* e) {
  if (panning_ && (e->button() == Qt::MiddleButton || e->button() == Qt::LeftButton)) {
    panning_ = false;
    unsetCursor();
    e->accept();
    return;
  }
  if (banding_ && e->button() == Qt::LeftButton) {
    banding_ = false;
    band_->hide();
    if (auto r = zoomToDrag(frame(), QPointF(bandOrigin_), e->position())) setView(*r);
    e->accept();
    return;
  }
  QWidget::mouseReleaseEvent(e);
}

void ChartView::mouseDoubleClickEvent(QMouseEvent* e) {
  if (e->button() == Qt::LeftButton) {
    resetZoom();
    e->accept();
    return;
  }
  QWidget::mouseDoubleClickEvent(e);
}

void ChartView::wheelEvent(QWheelEvent* e) {
  const double notches = e->angleDelta().y() / 120.0;
  const PlotFrame f = frame();
  if (notches == 0 || !f.plot().contains(e->position())) {
    e->ignore();
    return;
  }
  setView(zoomAbout(f, e->position(), std::pow(0.85, notches)));
  e->accept();
}

void ChartView::keyPressEvent(QKeyEvent* e) {
  const PlotFrame f = frame();
  const double dx = f.plot().width() * 0.1, dy = f.plot().height() * 0.1;
  switch (e->key()) {
    case Qt::Key_Left: setView(panBy(f, QPointF(dx, 0))); break;
    case Qt::Key_Right: setView(panBy(f, QPointF(-dx, 0))); break;
    case Qt::Key_Up: setView(panBy(f, QPointF(0, dy))); break;
    case Qt::Key_Down: setView(panBy(f, QPointF(0, -dy))); break;
    case Qt::Key_Plus:
    case Qt::Key_Equal: setView(zoomAbout(f, f.plot().center(), 0.8)); break;
    case Qt::Key_Minus: setView(zoomAbout(f, f.plot().center(), 1.25)); break;
    case Qt::Key_Home:
    case Qt::Key_0: resetZoom(); break;
    default: QWidget::keyPressEvent(e); return;
  }
  e->accept();
}

void ChartView::leaveEvent(QEvent* e) {
  hover_.reset();
  update();
  QWidget::leaveEvent(e);
}

void ChartView::updateHover(const QPointF& pos) {
  const auto hit = chart_.nearest(frame(), pos, 30);
  const bool changed = hit.has_value() != hover_.has_value() ||
                       (hit && (hit->series != hover_->series || hit->index != hover_->index));
  hover_ = hit;
  if (changed) update();
}

}  // namespace flowscope::gui
