#include "gui/views/monitor/TrainingMonitor.h"

#include <QJsonObject>

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QGraphicsEllipseItem>
#include <QGraphicsLayout>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QPushButton>
#include <QRubberBand>
#include <QSignalBlocker>
#include <QSlider>
#include <QValueAxis>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "gui/plot/AxisTicks.h"
#include "gui/services/RunManager.h"

namespace flowscope::gui {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMaxSmoothing = 0.999;

// Which progress-derived traces feedProgress() appends to.
constexpr unsigned kFeedRaw = 1, kFeedSmooth = 2, kFeedLr = 4, kFeedIts = 8;
constexpr unsigned kFeedAll = kFeedRaw | kFeedSmooth | kFeedLr | kFeedIts;

/// Incremental debiased EMA, shared by debiasedEma() and the live chart so both agree exactly.
struct Ema {
  double a = 0.9;
  double s = 0;
  double weight = 1;  // a^k
  bool any = false;
  double push(double x) {
    s = a * s + (1 - a) * x;
    weight *= a;
    if (!any) {  // s_1 / (1 - a) is x_0 by definition; return it without rounding
      any = true;
      return x;
    }
    return s / (1 - weight);
  }
};

/// The drawn loss: the mean over the records' interval when known (live records), else the
/// last step's loss.
double lossOf(const ProgressSnapshot& p) { return std::isfinite(p.lossMean) ? p.lossMean : p.loss; }


QString csvField(const QString& s) {
  if (!s.contains(',') && !s.contains('"') && !s.contains('\n')) return s;
  return '"' + QString(s).replace("\"", "\"\"") + '"';
}

QString csvNumber(double v) { return std::isfinite(v) ? QString::number(v, 'g', 10) : QString(); }

}  // namespace

/// A QChartView with the monitor's interaction: rubber-band zoom (a flat drag zooms x only, a
/// narrow one y only), pan with the middle button, Shift+drag or the arrow keys, wheel zoom about
/// the cursor, double-click to fit, and a read-out of the data point nearest the cursor.
class TrainingMonitorChartView : public QChartView {
 public:
  TrainingMonitorChartView(QChart* chart, QWidget* parent) : QChartView(chart, parent) {
    setRenderHint(QPainter::Antialiasing, false);
    setRubberBand(QChartView::NoRubberBand);  // our own: it knows x-only and y-only drags
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    setMinimumSize(220, 160);
    band_ = new QRubberBand(QRubberBand::Rectangle, viewport());
    band_->hide();
    logButton_ = new QCheckBox("log y", this);
    logButton_->setToolTip("Logarithmic y axis (values <= 0 are not drawn)");
    logButton_->setFocusPolicy(Qt::NoFocus);

    crosshair_ = new QGraphicsLineItem(chart);
    marker_ = new QGraphicsEllipseItem(chart);
    labelBox_ = new QGraphicsRectItem(chart);
    label_ = new QGraphicsSimpleTextItem(labelBox_);
    for (QGraphicsItem* item : std::initializer_list<QGraphicsItem*>{crosshair_, marker_, labelBox_}) {
      item->setZValue(1000);  // above series, axes and legend
      item->hide();
    }
  }

  std::function<void()> onUserZoom;  ///< the user changed the visible range
  std::function<void()> onReset;     ///< fit the data again
  QCheckBox* logButton() const { return logButton_; }

  void applyPalette(const QPalette& pal) {
    QColor line = pal.color(QPalette::Text);
    line.setAlpha(110);
    crosshair_->setPen(QPen(line, 1, Qt::DashLine));
    QColor box = pal.color(QPalette::Base);
    box.setAlpha(235);
    labelBox_->setBrush(box);
    labelBox_->setPen(QPen(pal.color(QPalette::Mid), 1));
    label_->setBrush(pal.color(QPalette::Text));
    label_->setFont(font());
  }

  void hideHover() {
    crosshair_->hide();
    marker_->hide();
    labelBox_->hide();
  }

 protected:
  void mousePressEvent(QMouseEvent* e) override {
    const bool pan = e->button() == Qt::MiddleButton ||
                     (e->button() == Qt::LeftButton && (e->modifiers() & Qt::ShiftModifier));
    if (pan) {
      panning_ = true;
      panLast_ = e->position().toPoint();
      setCursor(Qt::ClosedHandCursor);
      hideHover();
      e->accept();
      return;
    }
    if (e->button() == Qt::LeftButton && chart()->plotArea().contains(toChart(e->position().toPoint()))) {
      banding_ = true;
      bandOrigin_ = e->position().toPoint();
      band_->setGeometry(QRect(bandOrigin_, QSize()));
      band_->show();
      e->accept();
      return;
    }
    QChartView::mousePressEvent(e);
  }

  void mouseMoveEvent(QMouseEvent* e) override {
    const QPoint pos = e->position().toPoint();
    if (panning_) {
      const QPoint d = pos - panLast_;
      panLast_ = pos;
      chart()->scroll(-d.x(), d.y());
      userZoomed();
    } else if (banding_) {
      band_->setGeometry(QRect(bandOrigin_, pos).normalized());
    }
    updateHover(pos);
    QChartView::mouseMoveEvent(e);
  }

  void mouseReleaseEvent(QMouseEvent* e) override {
    if (panning_ && (e->button() == Qt::MiddleButton || e->button() == Qt::LeftButton)) {
      panning_ = false;
      unsetCursor();
      e->accept();
      return;
    }
    if (banding_ && e->button() == Qt::LeftButton) {
      banding_ = false;
      band_->hide();
      zoomToDrag(bandOrigin_, e->position().toPoint());
      e->accept();
      return;
    }
    QChartView::mouseReleaseEvent(e);
  }

  void mouseDoubleClickEvent(QMouseEvent* e) override {
    if (e->button() == Qt::LeftButton && onReset) {
      onReset();
      e->accept();
      return;
    }
    QChartView::mouseDoubleClickEvent(e);
  }

  void wheelEvent(QWheelEvent* e) override {
    const QPointF c = toChart(e->position().toPoint());
    const QRectF plot = chart()->plotArea();
    const double notches = e->angleDelta().y() / 120.0;
    if (!plot.contains(c) || notches == 0) {
      e->ignore();
      return;
    }
    // Zoom about the cursor: the data under it stays under it.
    const double f = std::pow(0.85, notches);
    chart()->zoomIn(QRectF(c.x() - (c.x() - plot.left()) * f, c.y() - (c.y() - plot.top()) * f,
                           plot.width() * f, plot.height() * f));
    userZoomed();
    updateHover(e->position().toPoint());
    e->accept();
  }

  void keyPressEvent(QKeyEvent* e) override {
    const QRectF plot = chart()->plotArea();
    const double dx = plot.width() * 0.1, dy = plot.height() * 0.1;
    switch (e->key()) {
      case Qt::Key_Left: chart()->scroll(-dx, 0); break;
      case Qt::Key_Right: chart()->scroll(dx, 0); break;
      case Qt::Key_Up: chart()->scroll(0, dy); break;
      case Qt::Key_Down: chart()->scroll(0, -dy); break;
      case Qt::Key_Plus:
      case Qt::Key_Equal: chart()->zoomIn(); break;
      case Qt::Key_Minus: chart()->zoomOut(); break;
      case Qt::Key_Home:
      case Qt::Key_0:
        if (onReset) onReset();
        return;
      default: QChartView::keyPressEvent(e); return;
    }
    userZoomed();
    hideHover();
  }

  void leaveEvent(QEvent* e) override {
    hideHover();
    QChartView::leaveEvent(e);
  }

  void resizeEvent(QResizeEvent* e) override {
    QChartView::resizeEvent(e);
    const QSize s = logButton_->sizeHint();
    logButton_->setGeometry(width() - s.width() - 4, 2, s.width(), s.height());
  }

 private:
  QPointF toChart(const QPoint& viewPos) const { return chart()->mapFromScene(mapToScene(viewPos)); }
  void userZoomed() {
    if (onUserZoom) onUserZoom();
  }

  void zoomToDrag(const QPoint& a, const QPoint& b) {
    const QRectF plot = chart()->plotArea();
    QRectF r = QRectF(toChart(a), toChart(b)).normalized();
    const bool wide = r.width() >= 8, tall = r.height() >= 8;
    if (!wide && !tall) return;  // a click, not a drag
    if (!tall) r.setTop(plot.top()), r.setBottom(plot.bottom());
    if (!wide) r.setLeft(plot.left()), r.setRight(plot.right());
    r = r.intersected(plot);
    if (r.width() < 1 || r.height() < 1) return;
    chart()->zoomIn(r);
    userZoomed();
  }

  /// Finds the point nearest the cursor (in pixels) over every series; steps are ascending, so
  /// only a window around the cursor's step is searched.
  void updateHover(const QPoint& viewPos) {
    const QPointF c = toChart(viewPos);
    const QRectF plot = chart()->plotArea();
    if (panning_ || !plot.contains(c)) {
      hideHover();
      return;
    }
    double best = std::numeric_limits<double>::infinity();
    QXYSeries* bestSeries = nullptr;
    QPointF bestValue, bestPos;
    const auto byX = [](const QPointF& p, double x) { return p.x() < x; };
    for (QAbstractSeries* abstract : chart()->series()) {
      auto* s = qobject_cast<QXYSeries*>(abstract);
      if (!s || !s->isVisible() || s->count() == 0) continue;
      const QList<QPointF> pts = s->points();
      const double xm = chart()->mapToValue(c, s).x();
      const double w = std::abs(chart()->mapToValue(c + QPointF(30, 0), s).x() - xm);
      auto lo = std::lower_bound(pts.begin(), pts.end(), xm - w, byX);
      auto hi = std::lower_bound(lo, pts.end(), xm + w, byX);
      if (lo != pts.begin()) --lo;  // the neighbours count even when the window is empty
      if (hi != pts.end()) ++hi;
      for (auto it = lo; it != hi; ++it) {
        const QPointF px = chart()->mapToPosition(*it, s);
        const double d = std::hypot(px.x() - c.x(), px.y() - c.y());
        if (d < best) best = d, bestSeries = s, bestValue = *it, bestPos = px;
      }
    }
    if (!bestSeries || !plot.adjusted(-1, -1, 1, 1).contains(bestPos)) {
      hideHover();
      return;
    }
    QColor color = bestSeries->color();
    color.setAlpha(255);
    crosshair_->setLine(bestPos.x(), plot.top(), bestPos.x(), plot.bottom());
    marker_->setRect(bestPos.x() - 4, bestPos.y() - 4, 8, 8);
    marker_->setBrush(color);
    marker_->setPen(QPen(label_->brush().color(), 1));
    label_->setText(QString("%1\nstep %2\n%3 = %4")
                        .arg(bestSeries->name())
                        .arg(static_cast<qint64>(std::llround(bestValue.x())))
                        .arg(bestSeries->property("quantity").toString())
                        .arg(bestValue.y(), 0, 'g', 5));
    const QRectF text = label_->boundingRect();
    const QSizeF box(text.width() + 10, text.height() + 8);
    QPointF at(bestPos.x() + 12, bestPos.y() - box.height() - 8);
    if (at.x() + box.width() > plot.right()) at.setX(bestPos.x() - 12 - box.width());
    at.setX(std::max(at.x(), plot.left()));
    if (at.y() < plot.top()) at.setY(bestPos.y() + 12);
    at.setY(std::min(at.y(), plot.bottom() - box.height()));
    labelBox_->setRect(QRectF(at, box));
    label_->setPos(at + QPointF(5, 4));
    crosshair_->show();
    marker_->show();
    labelBox_->show();
  }

  QCheckBox* logButton_;
  QRubberBand* band_;
  QPoint bandOrigin_, panLast_;
  bool banding_ = false, panning_ = false;
  QGraphicsLineItem* crosshair_;
  QGraphicsEllipseItem* marker_;
  QGraphicsRectItem* labelBox_;
  QGraphicsSimpleTextItem* label_;
};

/// One drawn series with append-time decimation: every `stride`-th offered point is kept; past
/// kMaxPointsPerSeries the kept points are halved and the stride doubled. The newest point is
/// always drawn, as a provisional tail replaced by the next batch.
struct TrainingMonitor::Trace {
  QLineSeries* series = nullptr;
  QList<QPointF> points;  // exactly what `series` holds
  int64_t stride = 1;
  int64_t offered = 0;
  bool provisionalTail = false;

  void reset() {
    points.clear();
    stride = 1;
    offered = 0;
    provisionalTail = false;
    series->clear();
  }

  void append(const QList<QPointF>& batch) {
    if (batch.isEmpty()) return;
    const qsizetype before = points.size();
    const bool hadTail = provisionalTail;
    if (provisionalTail) {
      points.removeLast();
      provisionalTail = false;
    }
    bool thinned = false;
    for (const QPointF& p : batch) {
      if (offered++ % stride != 0) continue;
      points.append(p);
      if (points.size() > kMaxPointsPerSeries) {
        // Kept points are offered indices 0, s, 2s, ...: the even ones are the multiples of 2s.
        QList<QPointF> half;
        half.reserve(points.size() / 2 + 1);
        for (qsizetype i = 0; i < points.size(); i += 2) half.append(points[i]);
        points.swap(half);
        stride *= 2;
        thinned = true;
      }
    }
    if ((offered - 1) % stride != 0) {
      points.append(batch.back());
      provisionalTail = true;
    }
    // Each QXYSeries change re-lays out the whole series: one replace() for large changes,
    // single-point edits for the usual live batch of a point or two.
    if (thinned || batch.size() > 8) {
      series->replace(points);
      return;
    }
    qsizetype i = hadTail ? before - 1 : before;
    if (hadTail) {
      if (i < points.size()) series->replace(static_cast<int>(i), points[i]), ++i;
      else series->remove(static_cast<int>(i));
    }
    for (; i < points.size(); ++i) series->append(points[i]);
  }
};

struct TrainingMonitor::RunTraces {
  int id = 0;
  Trace loss, smoothed, lr, itPerSec, metric;
  size_t progressDone = 0;  // records of RunRecord::progress already appended
  size_t evalsDone = 0;     // records of RunRecord::evals already appended
  Ema ema;
};

struct TrainingMonitor::Panel {
  QString name;   // API name: "loss", "lr", "it_per_s", "metric"
  QString title;
  QChart* chart = nullptr;
  TrainingMonitorChartView* view = nullptr;
  QValueAxis* x = nullptr;
  // Both y axes live in the chart for good; the series attach to one and the other is hidden.
  // (QChart::removeAxis leaves the removed axis's labels behind in Qt 6.4.)
  QValueAxis* yLinear = nullptr;
  QLogValueAxis* yLog = nullptr;
  QAbstractAxis* y = nullptr;  // the one in use
  QCheckBox* shown = nullptr;
  bool log = false;
  bool zoomed = false;  // the user chose a range: stop following new data until reset
};

namespace {

/// Value axis whose ticks stay at round numbers through zooms and pans.
QValueAxis* makeValueAxis(bool isX) {
  auto* axis = new QValueAxis;
  axis->setTickType(QValueAxis::TicksDynamic);
  axis->setTickAnchor(0);
  axis->setTickInterval(0.2);
  axis->setMinorTickCount(isX ? 0 : 1);
  QObject::connect(axis, &QValueAxis::rangeChanged, axis, [axis, isX](qreal lo, qreal hi) {
    const double step = niceStep((hi - lo) / (isX ? 6.0 : 5.0));
    axis->setTickInterval(step);
    axis->setLabelFormat(isX && step >= 1 ? "%.0f" : "%g");
  });
  return axis;
}

QLogValueAxis* makeLogAxis() {
  auto* axis = new QLogValueAxis;
  axis->setBase(10);
  axis->setLabelFormat("%g");
  axis->setMinorTickCount(8);  // 2..9 between decades
  return axis;
}

}  // namespace

TrainingMonitor::TrainingMonitor(RunManager* runs, QWidget* parent) : QWidget(parent), runs_(runs) {
  static const char* names[] = {"loss", "lr", "it_per_s", "metric"};
  static const char* titles[] = {"Loss", "Learning rate", "Iterations per second", "Evaluation"};
  static const char* toggles[] = {"Loss", "LR", "it/s", "Metric"};

  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(4, 2, 4, 2);
  for (int c = 0; c < ChartCount; ++c) {
    auto p = std::make_unique<Panel>();
    p->name = names[c];
    p->title = titles[c];
    p->chart = new QChart;
    p->chart->setTitle(p->title);
    p->chart->setAnimationOptions(QChart::NoAnimation);
    p->chart->legend()->setAlignment(Qt::AlignBottom);
    p->chart->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
    p->chart->layout()->setContentsMargins(0, 0, 0, 0);
    p->chart->setMargins(QMargins(4, 2, 8, 2));
    p->x = makeValueAxis(true);
    p->chart->addAxis(p->x, Qt::AlignBottom);
    p->yLinear = makeValueAxis(false);
    p->chart->addAxis(p->yLinear, Qt::AlignLeft);
    p->yLog = makeLogAxis();
    p->chart->addAxis(p->yLog, Qt::AlignLeft);
    p->yLog->setVisible(false);
    p->y = p->yLinear;
    p->view = new TrainingMonitorChartView(p->chart, this);
    const auto chart = static_cast<Chart>(c);
    p->view->onUserZoom = [this, chart] { panels_[chart]->zoomed = true; };
    p->view->onReset = [this, chart] { fit(chart, true); };
    connect(p->view->logButton(), &QCheckBox::toggled, this,
            [this, chart](bool on) { setLogScale(panels_[chart]->name, on); });
    p->shown = new QCheckBox(toggles[c], this);
    p->shown->setChecked(true);
    p->shown->setToolTip(QString("Show the %1 chart").arg(QString(titles[c]).toLower()));
    connect(p->shown, &QCheckBox::toggled, this, [this, chart](bool on) { setChartVisible(panels_[chart]->name, on); });
    bar->addWidget(p->shown);
    panels_[c] = std::move(p);
  }

  bar->addSpacing(16);
  auto* smoothingLabel = new QLabel("Smoothing", this);
  smoothingLabel->setToolTip("Debiased exponential moving average of the loss (0: none)");
  bar->addWidget(smoothingLabel);
  smoothingSlider_ = new QSlider(Qt::Horizontal, this);
  smoothingSlider_->setRange(0, 999);
  smoothingSlider_->setValue(qRound(smoothing_ * 1000));
  smoothingSlider_->setMaximumWidth(140);
  smoothingSlider_->setToolTip(smoothingLabel->toolTip());
  bar->addWidget(smoothingSlider_);
  smoothingSpin_ = new QDoubleSpinBox(this);
  smoothingSpin_->setRange(0, kMaxSmoothing);
  smoothingSpin_->setDecimals(3);
  smoothingSpin_->setSingleStep(0.01);
  smoothingSpin_->setValue(smoothing_);
  bar->addWidget(smoothingSpin_);
  connect(smoothingSlider_, &QSlider::valueChanged, this, [this](int v) { setSmoothing(v / 1000.0); });
  connect(smoothingSpin_, &QDoubleSpinBox::valueChanged, this, [this](double v) { setSmoothing(v); });

  bar->addSpacing(16);
  bar->addWidget(new QLabel("Metric", this));
  metricCombo_ = new QComboBox(this);
  metricCombo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  metricCombo_->setMinimumContentsLength(10);
  metricCombo_->setToolTip("Evaluation value plotted against step");
  bar->addWidget(metricCombo_);
  connect(metricCombo_, &QComboBox::currentTextChanged, this, [this](const QString& key) {
    if (!key.isEmpty()) setMetric(key);
  });

  bar->addStretch(1);
  auto* reset = new QPushButton("Reset zoom", this);
  reset->setToolTip("Fit every chart to its data (double-click a chart to fit only that one)");
  connect(reset, &QPushButton::clicked, this, &TrainingMonitor::resetZoom);
  bar->addWidget(reset);

  grid_ = new QGridLayout;
  grid_->setContentsMargins(0, 0, 0, 0);
  grid_->setSpacing(4);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addLayout(bar);
  layout->addLayout(grid_, 1);
  relayoutGrid();
  applyTheme();

  if (runs_) {
    connect(runs_, &RunManager::runAdded, this, &TrainingMonitor::addRun);
    connect(runs_, &RunManager::runRemoved, this, &TrainingMonitor::removeRun);
    connect(runs_, &RunManager::progressUpdated, this, &TrainingMonitor::onProgress);
    flushTimer_.setSingleShot(true);
    flushTimer_.setInterval(250);
    connect(&flushTimer_, &QTimer::timeout, this, &TrainingMonitor::flushPending);
    connect(runs_, &RunManager::evaluationAdded, this, &TrainingMonitor::onEvaluation);
    for (int id : runs_->runIds()) addRun(id);
  }
  refreshMetricKeys();
  for (int c = 0; c < ChartCount; ++c) fit(static_cast<Chart>(c), true);
}

TrainingMonitor::~TrainingMonitor() = default;

std::vector<double> TrainingMonitor::debiasedEma(const std::vector<double>& values, double a) {
  Ema ema;
  ema.a = std::clamp(a, 0.0, kMaxSmoothing);
  std::vector<double> out;
  out.reserve(values.size());
  for (double x : values) out.push_back(std::isfinite(x) ? ema.push(x) : kNaN);
  return out;
}

// ---- runs and incremental updates ------------------------------------------------------------

std::vector<TrainingMonitor::Trace*> TrainingMonitor::traces(RunTraces& rt, Chart c) const {
  switch (c) {
    case Loss: return {&rt.loss, &rt.smoothed};
    case Lr: return {&rt.lr};
    case ItPerSec: return {&rt.itPerSec};
    default: return {&rt.metric};
  }
}

bool TrainingMonitor::accepts(Chart c, double y) const {
  return std::isfinite(y) && (!panels_[c]->log || y > 0);
}

void TrainingMonitor::addRun(int id) {
  const RunRecord* r = runs_ ? runs_->run(id) : nullptr;
  if (!r || runTraces_.count(id)) return;
  auto rt = std::make_unique<RunTraces>();
  rt->id = id;
  rt->ema.a = smoothing_;
  for (int c = 0; c < ChartCount; ++c) {
    Panel& p = *panels_[c];
    for (Trace* t : traces(*rt, static_cast<Chart>(c))) {
      t->series = new QLineSeries;
      t->series->setName(r->name);
      p.chart->addSeries(t->series);
      t->series->attachAxis(p.x);
      t->series->attachAxis(p.y);
    }
  }
  // What the hover read-out calls each curve.
  rt->loss.series->setProperty("quantity", "loss");
  rt->smoothed.series->setProperty("quantity", "loss (smoothed)");
  rt->lr.series->setProperty("quantity", "lr");
  rt->itPerSec.series->setProperty("quantity", "it/s");
  rt->metric.series->setProperty("quantity", metricKey_);
  styleSeries(*rt);
  feedProgress(*rt, *r, 0, r->progress.size(), kFeedAll);
  rt->progressDone = r->progress.size();
  feedEvals(*rt, *r, 0, r->evals.size());
  rt->evalsDone = r->evals.size();
  runTraces_[id] = std::move(rt);
  refreshMetricKeys();
  for (int c = 0; c < ChartCount; ++c) fit(static_cast<Chart>(c));
}

void TrainingMonitor::removeRun(int id) {
  auto it = runTraces_.find(id);
  if (it == runTraces_.end()) return;
  for (int c = 0; c < ChartCount; ++c)
    for (Trace* t : traces(*it->second, static_cast<Chart>(c))) {
      panels_[c]->chart->removeSeries(t->series);
      delete t->series;
    }
  runTraces_.erase(it);
  refreshMetricKeys();
  for (int c = 0; c < ChartCount; ++c) fit(static_cast<Chart>(c));
}

void TrainingMonitor::onProgress(int id) {
  pendingRuns_.insert(id);
  if (!flushTimer_.isActive()) flushTimer_.start();
}

void TrainingMonitor::flushPending() {
  flushTimer_.stop();
  const std::set<int> runs = std::move(pendingRuns_);
  pendingRuns_.clear();
  for (int id : runs) applyProgress(id);
}

void TrainingMonitor::applyProgress(int id) {
  auto it = runTraces_.find(id);
  const RunRecord* r = runs_ ? runs_->run(id) : nullptr;
  if (it == runTraces_.end() || !r) return;
  RunTraces& rt = *it->second;
  const size_t n = r->progress.size();
  if (n <= rt.progressDone) return;
  feedProgress(rt, *r, rt.progressDone, n, kFeedAll);
  rt.progressDone = n;
  fit(Loss);
  fit(Lr);
  fit(ItPerSec);
}

void TrainingMonitor::onEvaluation(int id) {
  auto it = runTraces_.find(id);
  const RunRecord* r = runs_ ? runs_->run(id) : nullptr;
  if (it == runTraces_.end() || !r) return;
  RunTraces& rt = *it->second;
  feedEvals(rt, *r, rt.evalsDone, r->evals.size());
  rt.evalsDone = r->evals.size();
  refreshMetricKeys();
  fit(Metric);
}

void TrainingMonitor::feedProgress(RunTraces& rt, const RunRecord& r, size_t from, size_t to, unsigned mask) {
  QList<QPointF> raw, smooth, lr, its;
  for (size_t i = from; i < to && i < r.progress.size(); ++i) {
    const ProgressSnapshot& p = r.progress[i];
    const double x = static_cast<double>(p.step);
    const double loss = lossOf(p);
    if ((mask & kFeedRaw) && accepts(Loss, loss)) raw.append({x, loss});
    if ((mask & kFeedSmooth) && std::isfinite(loss)) {
      const double s = rt.ema.push(loss);  // the EMA sees every finite loss, drawn or not
      if (accepts(Loss, s)) smooth.append({x, s});
    }
    if ((mask & kFeedLr) && accepts(Lr, p.lr)) lr.append({x, p.lr});
    if ((mask & kFeedIts) && accepts(ItPerSec, p.itPerSec)) its.append({x, p.itPerSec});
  }
  rt.loss.append(raw);
  rt.smoothed.append(smooth);
  rt.lr.append(lr);
  rt.itPerSec.append(its);
}

void TrainingMonitor::feedEvals(RunTraces& rt, const RunRecord& r, size_t from, size_t to) {
  if (metricKey_.isEmpty()) return;
  const std::string key = metricKey_.toStdString();
  QList<QPointF> points;
  for (size_t i = from; i < to && i < r.evals.size(); ++i) {
    const auto v = r.evals[i].values.find(key);
    if (v != r.evals[i].values.end() && accepts(Metric, v->second))
      points.append({static_cast<double>(r.evals[i].step), v->second});
  }
  rt.metric.append(points);
}

void TrainingMonitor::rebuildChart(Chart c) {
  for (auto& [id, rt] : runTraces_) {
    const RunRecord* r = runs_ ? runs_->run(id) : nullptr;
    for (Trace* t : traces(*rt, c)) t->reset();
    if (!r) continue;
    switch (c) {
      case Loss:
        rt->ema = Ema{};
        rt->ema.a = smoothing_;
        feedProgress(*rt, *r, 0, rt->progressDone, kFeedRaw | kFeedSmooth);
        break;
      case Lr: feedProgress(*rt, *r, 0, rt->progressDone, kFeedLr); break;
      case ItPerSec: feedProgress(*rt, *r, 0, rt->progressDone, kFeedIts); break;
      default: feedEvals(*rt, *r, 0, rt->evalsDone); break;
    }
  }
  fit(c);
}

void TrainingMonitor::rebuildSmoothed() {
  for (auto& [id, rt] : runTraces_) {
    rt->smoothed.reset();
    rt->ema = Ema{};
    rt->ema.a = smoothing_;
    if (const RunRecord* r = runs_ ? runs_->run(id) : nullptr)
      feedProgress(*rt, *r, 0, rt->progressDone, kFeedSmooth);
  }
  fit(Loss);
}

// ---- settings ---------------------------------------------------------------------------------

void TrainingMonitor::setSmoothing(double a) {
  if (!std::isfinite(a)) return;
  a = std::clamp(a, 0.0, kMaxSmoothing);
  {
    const QSignalBlocker b1(smoothingSlider_), b2(smoothingSpin_);
    smoothingSlider_->setValue(qRound(a * 1000));
    smoothingSpin_->setValue(a);
  }
  if (a == smoothing_) return;
  smoothing_ = a;
  rebuildSmoothed();
  Q_EMIT smoothingChanged(a);
}

int TrainingMonitor::chartIndex(const QString& name) const {
  for (int c = 0; c < ChartCount; ++c)
    if (panels_[c]->name == name) return c;
  return -1;
}

void TrainingMonitor::setLogScale(const QString& chart, bool on) {
  const int c = chartIndex(chart);
  if (c < 0) return;
  Panel& p = *panels_[c];
  {
    const QSignalBlocker b(p.view->logButton());
    p.view->logButton()->setChecked(on);
  }
  if (p.log == on) return;
  p.log = on;
  applyLogAxis(static_cast<Chart>(c));
}

bool TrainingMonitor::logScale(const QString& chart) const {
  const int c = chartIndex(chart);
  return c >= 0 && panels_[c]->log;
}

void TrainingMonitor::applyLogAxis(Chart c) {
  Panel& p = *panels_[c];
  for (auto& [id, rt] : runTraces_)
    for (Trace* t : traces(*rt, c)) t->reset();  // no value <= 0 may meet the log axis
  QAbstractAxis* to = p.log ? static_cast<QAbstractAxis*>(p.yLog) : p.yLinear;
  for (QAbstractSeries* s : p.chart->series()) {
    s->detachAxis(p.y);
    s->attachAxis(to);
  }
  p.y->setVisible(false);
  to->setVisible(true);
  p.y = to;
  p.zoomed = false;
  rebuildChart(c);  // drops or restores the values <= 0
}

void TrainingMonitor::setChartVisible(const QString& chart, bool visible) {
  const int c = chartIndex(chart);
  if (c < 0) return;
  {
    const QSignalBlocker b(panels_[c]->shown);
    panels_[c]->shown->setChecked(visible);
  }
  relayoutGrid();
}

bool TrainingMonitor::chartVisible(const QString& chart) const {
  const int c = chartIndex(chart);
  return c >= 0 && panels_[c]->shown->isChecked();
}

void TrainingMonitor::setMetric(const QString& key) {
  metricChosen_ = true;
  if (key != metricKey_) applyMetric(key);
  const QSignalBlocker b(metricCombo_);
  metricCombo_->setCurrentIndex(metricCombo_->findText(metricKey_));
}

void TrainingMonitor::applyMetric(const QString& key) {
  metricKey_ = key;
  panels_[Metric]->chart->setTitle(key.isEmpty() ? panels_[Metric]->title : "Evaluation: " + key);
  for (auto& [id, rt] : runTraces_) rt->metric.series->setProperty("quantity", key);
  panels_[Metric]->zoomed = false;
  rebuildChart(Metric);
  Q_EMIT metricChanged(key);
}

QStringList TrainingMonitor::metricKeys() const {
  QStringList keys;
  for (const QString& k : metricKeys_) keys << k;
  return keys;
}

void TrainingMonitor::refreshMetricKeys() {
  std::set<QString> keys;
  for (const auto& [id, rt] : runTraces_)
    if (const RunRecord* r = runs_ ? runs_->run(id) : nullptr)
      for (const EvalSnapshot& e : r->evals)
        for (const auto& kv : e.values) keys.insert(QString::fromStdString(kv.first));
  if (keys != metricKeys_) {
    metricKeys_ = keys;
    const QSignalBlocker b(metricCombo_);
    metricCombo_->clear();
    for (const QString& k : keys) metricCombo_->addItem(k);
  }
  if (!metricChosen_) {
    const QString want = keys.count("nfe") ? QString("nfe") : keys.empty() ? QString() : *keys.begin();
    if (want != metricKey_) applyMetric(want);
  }
  const QSignalBlocker b(metricCombo_);
  metricCombo_->setCurrentIndex(metricCombo_->findText(metricKey_));
}

// ---- view -------------------------------------------------------------------------------------

void TrainingMonitor::resetZoom() {
  for (int c = 0; c < ChartCount; ++c) fit(static_cast<Chart>(c), true);
}

void TrainingMonitor::fit(Chart c, bool force) {
  Panel& p = *panels_[c];
  if (force) p.zoomed = false;
  if (p.zoomed) return;
  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
  for (auto& [id, rt] : runTraces_)
    for (Trace* t : traces(*rt, c))
      for (const QPointF& q : t->points) {
        x0 = std::min(x0, q.x()), x1 = std::max(x1, q.x());
        y0 = std::min(y0, q.y()), y1 = std::max(y1, q.y());
      }
  const bool empty = !(x0 <= x1);
  // Evaluations are sparse (every evaluation.every steps): draw them on the training steps'
  // axis, so a single point is not a chart of its own and x lines up with the loss chart.
  if (c == Metric && !empty)
    for (auto& [id, rt] : runTraces_)
      for (Trace* t : traces(*rt, Loss))
        for (const QPointF& q : t->points) x0 = std::min(x0, q.x()), x1 = std::max(x1, q.x());
  if (empty) x0 = 0, x1 = 1, y0 = p.log ? 1 : 0, y1 = p.log ? 10 : 1;
  if (x1 - x0 < 1e-12) x0 -= 1, x1 += 1;
  // A little air on both sides keeps the end markers and line caps inside the plot.
  const double xPad = (x1 - x0) * 0.02;
  x0 -= xPad, x1 += xPad;
  p.x->setTickInterval(niceStep((x1 - x0) / 6));  // before the range: no burst of ticks
  p.x->setRange(x0, x1);
  if (p.log) {
    // Whole decades, so the axis always has labelled ticks.
    double lo = std::pow(10.0, std::floor(std::log10(y0))), hi = std::pow(10.0, std::ceil(std::log10(y1)));
    if (hi <= lo) hi = lo * 10;
    p.yLog->setRange(lo, hi);
  } else {
    double pad = (y1 - y0) * 0.05;
    if (pad <= 0) pad = std::max(std::abs(y1) * 0.05, 1e-6);
    p.yLinear->setTickInterval(niceStep((y1 - y0 + 2 * pad) / 5));
    p.yLinear->setRange(y0 - pad, y1 + pad);
  }
}

void TrainingMonitor::relayoutGrid() {
  while (QLayoutItem* item = grid_->takeAt(0)) delete item;
  std::vector<Panel*> shown;
  for (auto& p : panels_) {
    p->view->setVisible(p->shown->isChecked());
    if (p->shown->isChecked()) shown.push_back(p.get());
  }
  const int n = static_cast<int>(shown.size());
  const int cols = n <= 1 ? 1 : 2;
  for (int i = 0; i < n; ++i) {
    const bool lastAlone = i == n - 1 && n % cols == 1 && cols == 2;
    grid_->addWidget(shown[i]->view, i / cols, i % cols, 1, lastAlone ? 2 : 1);
  }
  for (int k = 0; k < 2; ++k) {
    grid_->setRowStretch(k, k < (n + cols - 1) / cols ? 1 : 0);
    grid_->setColumnStretch(k, k < cols ? 1 : 0);
  }
}

void TrainingMonitor::styleSeries(RunTraces& rt) {
  const RunRecord* r = runs_ ? runs_->run(rt.id) : nullptr;
  const QColor color = r ? r->color : QColor(Qt::gray);
  QColor faint = color;
  faint.setAlphaF(0.3);
  rt.loss.series->setPen(QPen(faint, 1));
  rt.smoothed.series->setPen(QPen(color, 2));
  rt.lr.series->setPen(QPen(color, 1.5));
  rt.itPerSec.series->setPen(QPen(color, 1.5));
  rt.metric.series->setPen(QPen(color, 1.5));
  rt.metric.series->setPointsVisible(true);  // evaluations are sparse: show where they are
  rt.metric.series->setMarkerSize(6);
  // The raw curve shares the run's name with the smoothed one: one legend entry per run.
  for (QLegendMarker* m : panels_[Loss]->chart->legend()->markers(rt.loss.series)) m->setVisible(false);
}

void TrainingMonitor::styleAxis(QAbstractAxis* a) const {
  const QColor text = palette().color(QPalette::Text);
  QColor grid = text, minor = text, axisLine = text;
  grid.setAlpha(45);
  minor.setAlpha(18);
  axisLine.setAlpha(120);
  QFont small = font();
  small.setPointSizeF(std::max(6.0, font().pointSizeF() * 0.85));
  a->setLabelsBrush(text);
  a->setLabelsFont(small);
  a->setTitleBrush(text);
  a->setTitleFont(small);
  a->setGridLineColor(grid);
  a->setMinorGridLineColor(minor);
  a->setLinePenColor(axisLine);
  a->setShadesVisible(false);
}

void TrainingMonitor::applyTheme() {
  const QPalette pal = palette();
  const bool dark = pal.color(QPalette::Window).lightness() < 128;
  const QColor text = pal.color(QPalette::Text), base = pal.color(QPalette::Base);
  QFont small = font();
  small.setPointSizeF(std::max(6.0, font().pointSizeF() * 0.85));
  QFont title = font();
  title.setBold(true);
  for (auto& p : panels_) {
    p->chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    p->chart->setBackgroundBrush(base);
    p->chart->setBackgroundPen(Qt::NoPen);
    p->chart->setBackgroundRoundness(0);
    p->chart->setDropShadowEnabled(false);
    p->chart->setPlotAreaBackgroundVisible(false);
    p->chart->setTitleBrush(text);
    p->chart->setTitleFont(title);
    p->chart->legend()->setLabelColor(text);
    p->chart->legend()->setFont(small);
    styleAxis(p->x);
    styleAxis(p->yLinear);
    styleAxis(p->yLog);
    p->view->setBackgroundBrush(base);
    p->view->applyPalette(pal);
  }
  for (auto& [id, rt] : runTraces_) styleSeries(*rt);  // the theme reset the series pens
}

void TrainingMonitor::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) applyTheme();
}

// ---- export -----------------------------------------------------------------------------------

void TrainingMonitor::renderExport(QPainter& painter, const QRectF& target) {
  flushPending();
  std::vector<Panel*> shown;
  for (auto& p : panels_)
    if (p->shown->isChecked()) shown.push_back(p.get());
  painter.save();
  painter.fillRect(target, palette().color(QPalette::Base));
  const int n = static_cast<int>(shown.size());
  const int cols = n <= 1 ? 1 : 2, rows = (n + cols - 1) / cols;
  const double gap = 8;
  const double w = (target.width() - gap * (cols - 1)) / cols, h = (target.height() - gap * (rows - 1)) / std::max(1, rows);
  for (int i = 0; i < n; ++i) {
    Panel& p = *shown[i];
    const bool lastAlone = i == n - 1 && n % cols == 1 && cols == 2;
    const QRectF cell(target.left() + (i % cols) * (w + gap), target.top() + (i / cols) * (h + gap),
                      lastAlone ? target.width() : w, h);
    // Lay the chart out at the cell's size, so text keeps its point size at any export size; the
    // scene paints text items as text and series as paths (vector in SVG and PDF).
    p.view->hideHover();
    const QSizeF old = p.chart->size();
    p.chart->resize(cell.size());
    if (p.chart->layout()) p.chart->layout()->activate();
    p.view->scene()->render(&painter, cell, QRectF(p.chart->scenePos(), cell.size()), Qt::IgnoreAspectRatio);
    p.chart->resize(old);
    if (p.chart->layout()) p.chart->layout()->activate();
  }
  painter.restore();
}

QString TrainingMonitor::exportCsv() const {
  const QStringList keys = metricKeys();
  QString out = "run,step,loss,loss_smoothed,lr,it_per_s";
  for (const QString& k : keys) out += ',' + csvField(k);
  out += '\n';
  struct Row {
    double loss = kNaN, smoothed = kNaN, lr = kNaN, itPerSec = kNaN;
    const std::map<std::string, double>* eval = nullptr;
  };
  const QList<int> ids = runs_ ? runs_->runIds() : QList<int>{};
  for (int id : ids) {
    const RunRecord* r = runs_->run(id);
    if (!r || !runTraces_.count(id)) continue;
    // Full history, not the decimated drawing; smoothed exactly as debiasedEma() would.
    std::map<int64_t, Row> rows;
    Ema ema;
    ema.a = smoothing_;
    for (const ProgressSnapshot& p : r->progress) {
      Row& row = rows[p.step];
      row.loss = lossOf(p);
      row.smoothed = std::isfinite(row.loss) ? ema.push(row.loss) : kNaN;
      row.lr = p.lr;
      row.itPerSec = p.itPerSec;
    }
    for (const EvalSnapshot& e : r->evals) rows[e.step].eval = &e.values;
    const QString name = csvField(r->name);
    for (const auto& [step, row] : rows) {
      out += name + ',' + QString::number(step) + ',' + csvNumber(row.loss) + ',' + csvNumber(row.smoothed) + ',' +
             csvNumber(row.lr) + ',' + csvNumber(row.itPerSec);
      for (const QString& k : keys) {
        out += ',';
        if (!row.eval) continue;
        const auto v = row.eval->find(k.toStdString());
        if (v != row.eval->end()) out += csvNumber(v->second);
      }
      out += '\n';
    }
  }
  return out;
}

QVector<QPointF> TrainingMonitor::seriesPoints(int runId, const QString& series) const {
  const_cast<TrainingMonitor*>(this)->flushPending();  // what is drawn includes pending points
  const auto it = runTraces_.find(runId);
  if (it == runTraces_.end()) return {};
  const RunTraces& rt = *it->second;
  const Trace* t = series == "loss"            ? &rt.loss
                   : series == "loss_smoothed" ? &rt.smoothed
                   : series == "lr"            ? &rt.lr
                   : series == "it_per_s"      ? &rt.itPerSec
                   : series == "metric"        ? &rt.metric
                                               : nullptr;
  return t ? t->series->points() : QVector<QPointF>{};  // the series itself: what is drawn
}

QJsonObject TrainingMonitor::saveState() const {
  QJsonObject s;
  s["smoothing"] = smoothing();
  s["metric"] = metric();
  QJsonObject log, visible;
  for (const QString& chart : {QString("loss"), QString("lr"), QString("it_per_s"), QString("metric")}) {
    log[chart] = logScale(chart);
    visible[chart] = chartVisible(chart);
  }
  s["log"] = log;
  s["visible"] = visible;
  return s;
}

void TrainingMonitor::restoreState(const QJsonObject& s) {
  setSmoothing(s.value("smoothing").toDouble(smoothing()));
  if (s.contains("metric") && !s.value("metric").toString().isEmpty()) setMetric(s.value("metric").toString());
  const QJsonObject log = s.value("log").toObject(), visible = s.value("visible").toObject();
  for (auto it = log.begin(); it != log.end(); ++it) setLogScale(it.key(), it.value().toBool());
  for (auto it = visible.begin(); it != visible.end(); ++it) setChartVisible(it.key(), it.value().toBool(true));
}

}  // namespace flowscope::gui
