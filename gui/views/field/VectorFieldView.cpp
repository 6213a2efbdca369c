#include "gui/views/field/VectorFieldView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSlider>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <utility>

#include "gui/services/AsyncQuery.h"
#include "gui/plot/AxisTicks.h"
#include "gui/services/RunManager.h"
#include "gui/app/Theme.h"
#include "gui/services/TimeController.h"

namespace flowscope::gui {

namespace {

constexpr int kColorBins = 32;  // streamline segments are grouped into this many color runs
const QString kEmDash = QString::fromUtf8(" \u2014 ");
const QString kMinus = QString::fromUtf8("\u2212");


QString tickLabel(double v, double step) {
  const int decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(step) - 1e-9)), 0, 6);
  QString s = QString::number(v, 'f', decimals);
  if (s.startsWith('-')) s.replace(0, 1, kMinus);
  return s;
}

QString magnitudeLabel(double v) {
  if (v == 0) return "0";
  return QString::number(v, 'g', 3);
}

/// The range the fields are drawn over: the data's plotting range, widened to hold the noise at
/// t = 0 (N(0, I) to 3.5 sigma), so the whole path from noise to data is on screen.
ViewBounds fieldBounds(const DataConfig* data) {
  ViewBounds b{-3.5, 3.5, -3.5, 3.5};
  if (!data) return b;
  const ViewBounds d = dataBounds(*data);
  return {std::min(b.xmin, d.xmin), std::max(b.xmax, d.xmax), std::min(b.ymin, d.ymin), std::max(b.ymax, d.ymax)};
}

/// n points along the longer side, square cells.
GridSpec gridFor(const ViewBounds& b, int n) {
  GridSpec g;
  g.bounds = b;
  const double w = b.xmax - b.xmin, h = b.ymax - b.ymin;
  if (w >= h) {
    g.nx = n;
    g.ny = std::max(2, static_cast<int>(std::lround(n * h / w)));
  } else {
    g.ny = n;
    g.nx = std::max(2, static_cast<int>(std::lround(n * w / h)));
  }
  return g;
}

QString displayKey(VectorFieldView::Display d) {
  switch (d) {
    case VectorFieldView::Display::Arrows: return "arrows";
    case VectorFieldView::Display::Streamlines: return "streamlines";
    case VectorFieldView::Display::Both: return "both";
  }
  return "both";
}

QString sourceLabel(VectorFieldView::Source s, bool closedForm) {
  switch (s) {
    case VectorFieldView::Source::Learned: return "learned v_t";
    case VectorFieldView::Source::Conditional: return "conditional u_t(x|x1)";
    case VectorFieldView::Source::Marginal:
      return closedForm ? "marginal u_t (closed form)" : "marginal u_t (eq. 8)";
    case VectorFieldView::Source::Residual: return "residual v_t " + kMinus + " u_t";
  }
  return {};
}

/// A closed arrowhead at `tip` pointing along `dir` (unit), `len` long, as part of `path`.
void addHead(QPainterPath& path, QPointF tip, QPointF dir, double len) {
  const QPointF n(-dir.y(), dir.x());
  const QPointF base = tip - len * dir;
  path.moveTo(tip);
  path.lineTo(base + 0.32 * len * n);
  path.lineTo(base - 0.32 * len * n);
  path.closeSubpath();
}

}  // namespace

/// The drawing surface: paints through the view and turns clicks and drags into x1.
class FieldPlot : public QWidget {
 public:
  explicit FieldPlot(VectorFieldView* view) : QWidget(view), view_(view) {
    setMinimumSize(320, 280);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setCursor(Qt::CrossCursor);
  }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    view_->paintPlot(p, QRectF(rect()), palette(), true);
  }
  void mousePressEvent(QMouseEvent* e) override {
    if (e->button() != Qt::LeftButton) return QWidget::mousePressEvent(e);
    view_->plotClicked(e->position());
    e->accept();
  }
  void mouseMoveEvent(QMouseEvent* e) override {
    if (!(e->buttons() & Qt::LeftButton)) return QWidget::mouseMoveEvent(e);
    view_->plotClicked(e->position());  // dragging x1 recomputes live (coalesced)
    e->accept();
  }

 private:
  VectorFieldView* view_;
};

/// Everything a computation needs, copied on the GUI thread (the worker touches nothing else).
struct VectorFieldView::Request {
  Source source = Source::Learned;
  bool hasRun = false;
  QString runName;
  PathConfig path;
  DataConfig data;
  FlowModelPtr model;
  int grid = 24;
  double t = 1;
  QPointF x1;
  bool closedForm = false;
  double arrowScale = 1, streamSpacing = 1;
};

struct VectorFieldView::Result {
  Request req;
  FieldScene scene;  // built on the worker too: tracing streamlines can take a few ms
  int64_t step = -1;
};

VectorFieldView::VectorFieldView(RunManager* runs, TimeController* time, AsyncQuery* queries, QWidget* parent)
    : QWidget(parent), runs_(runs), queries_(queries), time_(new ViewTime(time, this)) {
  static int counter = 0;
  key_ = QString("vector-field/%1").arg(++counter);
  scene_.setStreamSpacing(1.25);
  buildControls();

  connect(time_, &ViewTime::timeChanged, this, [this](double t) {
    const QSignalBlocker block(timeSpin_);
    timeSpin_->setValue(t);
    refresh();
  });
  connect(time_, &ViewTime::linkedChanged, this, [this](bool on) {
    const QSignalBlocker block(linkedCheck_);
    linkedCheck_->setChecked(on);
  });
  if (runs_) {
    connect(runs_, &RunManager::runAdded, this, [this](int id) {
      addRunItem(id);
      const RunRecord* r = runs_->run(id);
      const bool restored = !pendingRunDir_.isEmpty() && r && r->runDir == pendingRunDir_;
      if (restored) pendingRunDir_.clear();
      if (restored || (runId_ < 0 && pendingRunDir_.isEmpty())) setRun(id);
    });
    connect(runs_, &RunManager::runRemoved, this, [this](int id) {
      removeRunItem(id);
      if (id == runId_) {
        const QList<int> ids = runs_->runIds();
        setRun(ids.isEmpty() ? -1 : ids.first());
      }
    });
    connect(runs_, &RunManager::weightsUpdated, this, [this](int id) {
      if (id != runId_ || !sourceNeedsWeights()) return;
      if (isVisible()) refresh();
      else staleWhileHidden_ = true;  // hidden views leave the cores to training
    });
    for (int id : runs_->runIds()) addRunItem(id);
    if (!runs_->runIds().isEmpty()) runId_ = runs_->runIds().first();
  }
  syncControls();
  refresh();
}

void VectorFieldView::refreshForExport() {
  if (!staleWhileHidden_) return;
  staleWhileHidden_ = false;
  refresh();
}

void VectorFieldView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  refreshForExport();
}

VectorFieldView::~VectorFieldView() {
  if (queries_) queries_->cancel(key_);
}

void VectorFieldView::buildControls() {
  runCombo_ = new QComboBox(this);
  runCombo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  runCombo_->addItem("(no run)", -1);
  runCombo_->setToolTip("Run whose model, path and data set are shown");
  sourceCombo_ = new QComboBox(this);
  for (Source s : {Source::Learned, Source::Conditional, Source::Marginal, Source::Residual})
    sourceCombo_->addItem(sourceLabel(s, false), sourceKey(s));
  sourceCombo_->setItemData(0, "The model's velocity v_t (newest weights)", Qt::ToolTipRole);
  sourceCombo_->setItemData(1, "u_t(x|x1) of eq. 15 on the run's path; click the plot to move x1", Qt::ToolTipRole);
  sourceCombo_->setItemData(2, "u_t(x) of eq. 8 for 2000 points of the run's data (Gaussian data: closed form)",
                            Qt::ToolTipRole);
  sourceCombo_->setItemData(3, "learned minus marginal, on the same grid", Qt::ToolTipRole);
  gridCombo_ = new QComboBox(this);
  for (int n : kGridSizes) gridCombo_->addItem(QString("%1 x %1").arg(n), n);
  gridCombo_->setToolTip("Grid points per side");
  displayCombo_ = new QComboBox(this);
  displayCombo_->addItem("arrows", displayKey(Display::Arrows));
  displayCombo_->addItem("streamlines", displayKey(Display::Streamlines));
  displayCombo_->addItem("both", displayKey(Display::Both));
  scaleSlider_ = new QSlider(Qt::Horizontal, this);
  scaleSlider_->setRange(10, 300);
  scaleSlider_->setFixedWidth(110);
  scaleSlider_->setToolTip("Arrow length: the longest arrow spans this many grid cells");
  colorCheck_ = new QCheckBox("color by |u|", this);
  colorCheck_->setToolTip("Color by magnitude (viridis), with a colorbar");
  linkedCheck_ = new QCheckBox("linked t", this);
  linkedCheck_->setToolTip("Follow the global time; unchecked, the view keeps its own t");
  timeSpin_ = new QDoubleSpinBox(this);
  timeSpin_->setRange(0.0, 1.0);
  timeSpin_->setDecimals(3);
  timeSpin_->setSingleStep(0.01);
  timeSpin_->setToolTip("t (0 noise, 1 data)");
  plot_ = new FieldPlot(this);

  // Two rows keep the view usable in a narrow dock.
  auto label = [this](const QString& text) { return new QLabel(text, this); };
  auto* what = new QHBoxLayout;
  what->setSpacing(6);
  what->addWidget(label("Run"));
  what->addWidget(runCombo_);
  what->addWidget(label("Field"));
  what->addWidget(sourceCombo_);
  what->addWidget(label("Grid"));
  what->addWidget(gridCombo_);
  what->addWidget(label("Show"));
  what->addWidget(displayCombo_);
  what->addStretch(1);
  auto* how = new QHBoxLayout;
  how->setSpacing(6);
  how->addWidget(label("Arrow length"));
  how->addWidget(scaleSlider_);
  how->addWidget(colorCheck_);
  how->addSpacing(12);
  how->addWidget(linkedCheck_);
  how->addWidget(label("t"));
  how->addWidget(timeSpin_);
  how->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->setSpacing(4);
  layout->addLayout(what);
  layout->addLayout(how);
  layout->addWidget(plot_, 1);

  connect(runCombo_, &QComboBox::activated, this, [this](int i) { setRun(runCombo_->itemData(i).toInt()); });
  connect(sourceCombo_, &QComboBox::activated, this,
          [this](int i) { setSource(sourceCombo_->itemData(i).toString()); });
  connect(gridCombo_, &QComboBox::activated, this, [this](int i) { setGridSize(gridCombo_->itemData(i).toInt()); });
  connect(displayCombo_, &QComboBox::activated, this, [this](int i) { setDisplay(static_cast<Display>(i)); });
  connect(scaleSlider_, &QSlider::valueChanged, this, [this](int v) { setArrowScale(v / 100.0); });
  connect(colorCheck_, &QCheckBox::toggled, this, &VectorFieldView::setColorByMagnitude);
  connect(linkedCheck_, &QCheckBox::toggled, time_, &ViewTime::setLinked);
  connect(timeSpin_, &QDoubleSpinBox::valueChanged, time_, &ViewTime::setT);
}

void VectorFieldView::addRunItem(int id) {
  const RunRecord* r = runs_ ? runs_->run(id) : nullptr;
  if (!r || runCombo_->findData(id) >= 0) return;
  runCombo_->addItem(r->name, id);
}

void VectorFieldView::removeRunItem(int id) {
  const int i = runCombo_->findData(id);
  if (i >= 0) runCombo_->removeItem(i);
}

void VectorFieldView::syncControls() {
  const QSignalBlocker b1(runCombo_), b2(sourceCombo_), b3(gridCombo_), b4(displayCombo_), b5(scaleSlider_),
      b6(colorCheck_), b7(linkedCheck_), b8(timeSpin_);
  runCombo_->setCurrentIndex(std::max(0, runCombo_->findData(runId_)));
  sourceCombo_->setCurrentIndex(static_cast<int>(source_));
  gridCombo_->setCurrentIndex(std::max(0, gridCombo_->findData(gridSize_)));
  displayCombo_->setCurrentIndex(static_cast<int>(display_));
  scaleSlider_->setValue(qRound(scene_.arrowScale() * 100));
  colorCheck_->setChecked(colorByMagnitude_);
  linkedCheck_->setChecked(time_->linked());
  timeSpin_->setValue(time_->t());
  updateSourceLabels();
}

void VectorFieldView::updateSourceLabels() {
  sourceCombo_->setItemText(static_cast<int>(Source::Marginal), sourceLabel(Source::Marginal, closedFormMarginal()));
}

QString VectorFieldView::sourceKey(Source s) {
  switch (s) {
    case Source::Learned: return "learned";
    case Source::Conditional: return "conditional";
    case Source::Marginal: return "marginal";
    case Source::Residual: return "residual";
  }
  return "learned";
}

std::optional<VectorFieldView::Source> VectorFieldView::sourceFromKey(const QString& key) {
  for (Source s : {Source::Learned, Source::Conditional, Source::Marginal, Source::Residual})
    if (sourceKey(s) == key) return s;
  return std::nullopt;
}

bool VectorFieldView::closedFormMarginal() const {
  const RunRecord* r = runs_ && runId_ >= 0 ? runs_->run(runId_) : nullptr;
  return r && r->config.data.name == "gaussian";
}

void VectorFieldView::setRun(int id) {
  if (id >= 0 && (!runs_ || !runs_->run(id))) id = -1;
  if (id == runId_) return;
  runId_ = id;
  pendingRunDir_.clear();
  syncControls();
  refresh();
}

void VectorFieldView::setSource(Source s) {
  if (s == source_) return;
  source_ = s;
  syncControls();
  refresh();
}

bool VectorFieldView::setSource(const QString& key) {
  const auto s = sourceFromKey(key);
  if (s) setSource(*s);
  return s.has_value();
}

void VectorFieldView::setConditionalPoint(QPointF x1) {
  if (!std::isfinite(x1.x()) || !std::isfinite(x1.y()) || x1 == x1_) return;
  x1_ = x1;
  plot_->update();  // the marker moves at once; the arrows follow when computed
  if (source_ == Source::Conditional) refresh();
}

void VectorFieldView::setGridSize(int n) {
  int best = kGridSizes[0];
  for (int s : kGridSizes)
    if (std::abs(s - n) < std::abs(best - n)) best = s;
  if (best == gridSize_) return;
  gridSize_ = best;
  syncControls();
  refresh();
}

void VectorFieldView::setDisplay(Display d) {
  if (d == display_) return;
  display_ = d;
  syncControls();
  plot_->update();
}

void VectorFieldView::setArrowScale(double scale) {
  scale = std::clamp(scale, 0.1, 3.0);
  if (scale == scene_.arrowScale()) return;
  scene_.setArrowScale(scale);
  syncControls();
  plot_->update();
}

void VectorFieldView::setColorByMagnitude(bool on) {
  if (on == colorByMagnitude_) return;
  colorByMagnitude_ = on;
  syncControls();
  plot_->update();
}

QWidget* VectorFieldView::plotWidget() const { return plot_; }

void VectorFieldView::refresh() {
  if (inFlight_) {
    pending_ = true;  // one pending request at most: it reads the settings when it starts
    return;
  }
  startRequest();
}

void VectorFieldView::startRequest() {
  pending_ = false;
  Request req;
  req.source = source_;
  req.grid = gridSize_;
  req.t = time_->t();
  req.x1 = x1_;
  req.arrowScale = scene_.arrowScale();
  req.streamSpacing = scene_.streamSpacing();
  const RunRecord* r = runs_ && runId_ >= 0 ? runs_->run(runId_) : nullptr;
  if (r) {
    req.hasRun = true;
    req.runName = r->name;
    req.path = r->config.path;
    req.data = r->config.data;
    req.model = r->weights;
    req.closedForm = r->config.data.name == "gaussian";
  }
  updateSourceLabels();
  QString why;
  if (!r && source_ != Source::Conditional) why = "Choose a run to show its " + sourceLabel(source_, false) + ".";
  else if (sourceNeedsWeights() && !req.model) why = r->name + " has no weights yet: start training.";
  if (!why.isEmpty()) {
    scene_.clear();
    title_.clear();
    message_ = why;
    plot_->update();
    return;
  }
  if (!queries_) return;
  inFlight_ = true;
  QPointer<VectorFieldView> self(this);
  queries_->submit<Result>(
      key_,
      [req](const std::atomic<bool>&) {
        Result out;
        out.req = req;
        const GridSpec g = gridFor(fieldBounds(req.hasRun ? &req.data : nullptr), req.grid);
        auto marginal = [&] {
          // eq. 8 for the empirical data set; Gaussian data has the closed form.
          if (req.closedForm) return gaussianMarginalField(req.path, req.data.mean, req.data.covariance, g, req.t);
          return marginalField(req.path, sampleData(req.data, kMarginalPoints, kMarginalSeed), g, req.t);
        };
        out.scene.setArrowScale(req.arrowScale);
        out.scene.setStreamSpacing(req.streamSpacing);
        switch (req.source) {
          case Source::Learned: out.scene.setField(learnedField(*req.model, g, req.t)); break;
          case Source::Conditional:
            out.scene.setField(conditionalField(req.path, g, req.t, req.x1.x(), req.x1.y()));
            break;
          case Source::Marginal: out.scene.setField(marginal()); break;
          case Source::Residual: out.scene.setResidual(learnedField(*req.model, g, req.t), marginal()); break;
        }
        if (req.model) out.step = req.model->step();
        return out;
      },
      [self](Result result) {
        if (self) self->applyResult(std::move(result));
      },
      [self](QString error) {
        if (self) self->applyFailure(error);
      });
}

void VectorFieldView::applyResult(Result r) {
  inFlight_ = false;
  const Request& q = r.req;
  const double scale = scene_.arrowScale();  // the slider may have moved meanwhile
  scene_ = std::move(r.scene);
  if (scene_.arrowScale() != scale) scene_.setArrowScale(scale);
  message_.clear();
  shownSource_ = sourceKey(q.source);
  shownX1_ = q.x1;
  const QString at = QString(" at t = %1").arg(q.t, 0, 'f', 2);
  const QString step = r.step >= 0 ? QString(", step %1").arg(r.step) : QString();
  switch (q.source) {
    case Source::Learned: title_ = "learned v_t" + at + kEmDash + q.runName + step; break;
    case Source::Conditional:
      title_ = "conditional u_t(x|x1)" + at + kEmDash + QString::fromStdString(q.path.name) +
               QString(" path, x1 = (%1, %2)").arg(q.x1.x(), 0, 'f', 2).arg(q.x1.y(), 0, 'f', 2);
      break;
    case Source::Marginal:
      title_ = (q.closedForm ? QString("marginal u_t (closed form)")
                             : QString("marginal u_t (eq. 8, N = %1)").arg(kMarginalPoints)) +
               at + kEmDash + q.runName;
      break;
    case Source::Residual: title_ = "residual v_t " + kMinus + " u_t" + at + kEmDash + q.runName + step; break;
  }
  plot_->update();
  Q_EMIT sceneUpdated();
  if (pending_) startRequest();
}

void VectorFieldView::applyFailure(const QString& message) {
  inFlight_ = false;
  message_ = message;
  plot_->update();
  if (pending_) startRequest();
}

ViewBounds VectorFieldView::shownBounds() const {
  return scene_.hasField() ? scene_.field().grid.bounds : ViewBounds{-3.5, 3.5, -3.5, 3.5};
}

VectorFieldView::Layout VectorFieldView::layoutFor(const QRectF& rect, const QFontMetricsF& fm) const {
  Layout l;
  l.bounds = shownBounds();
  const double pad = 8;
  const double titleH = fm.height() * 1.8;
  const double left = fm.horizontalAdvance(kMinus + "0.00") + 14;
  const double bottom = fm.height() + 12;
  const bool bar = colorByMagnitude_ && scene_.hasField();
  const double right = bar ? 14 + 16 + fm.horizontalAdvance("0.000e+00") : 0;
  const QRectF avail(rect.left() + pad + left, rect.top() + titleH + 4, rect.width() - 2 * pad - left - right,
                     rect.height() - titleH - 4 - bottom - pad);
  const double w = l.bounds.xmax - l.bounds.xmin, h = l.bounds.ymax - l.bounds.ymin;
  // Equal scales on both axes: a rotation looks round and directions are true.
  l.scale = std::max(1e-9, std::min(avail.width() / w, avail.height() / h));
  const QSizeF size(w * l.scale, h * l.scale);
  l.plot = QRectF(avail.center() - QPointF(size.width() / 2, size.height() / 2), size);
  // The title sits just above the plot, centered on it (as wide as the panel allows).
  const double half = std::min(l.plot.center().x() - rect.left(), rect.right() - l.plot.center().x()) - pad;
  l.title = QRectF(l.plot.center().x() - half, l.plot.top() - titleH - 2, 2 * half, titleH);
  if (bar) l.colorbar = QRectF(l.plot.right() + 16, l.plot.top() + l.plot.height() * 0.1, 14, l.plot.height() * 0.8);
  return l;
}

QPointF VectorFieldView::dataToPlot(QPointF data) const {
  const Layout l = layoutFor(QRectF(plot_->rect()), QFontMetricsF(plot_->font()));
  return {l.plot.left() + (data.x() - l.bounds.xmin) * l.scale, l.plot.bottom() - (data.y() - l.bounds.ymin) * l.scale};
}

void VectorFieldView::plotClicked(QPointF pos) {
  const Layout l = layoutFor(QRectF(plot_->rect()), QFontMetricsF(plot_->font()));
  if (!l.plot.contains(pos)) return;
  setConditionalPoint({l.bounds.xmin + (pos.x() - l.plot.left()) / l.scale,
                       l.bounds.ymin + (l.plot.bottom() - pos.y()) / l.scale});
}

void VectorFieldView::paintPlot(QPainter& p, const QRectF& rect, const QPalette& pal, bool live) const {
  const QFontMetricsF fm(p.font());
  const Layout l = layoutFor(rect, fm);
  const ViewBounds& b = l.bounds;
  auto px = [&](QPointF d) {
    return QPointF(l.plot.left() + (d.x() - b.xmin) * l.scale, l.plot.bottom() - (d.y() - b.ymin) * l.scale);
  };
  const QColor text = pal.color(QPalette::Text);
  QColor frame = pal.color(QPalette::Text);
  frame.setAlpha(120);

  p.fillRect(rect, pal.color(QPalette::Window));
  p.fillRect(l.plot, pal.color(QPalette::Base));

  // Title (the note while computing comes last, above the field).
  p.setPen(text);
  QFont titleFont = p.font();
  titleFont.setBold(true);
  p.save();
  p.setFont(titleFont);
  const QString title = title_.isEmpty() ? QString("vector field") : title_;
  p.drawText(l.title, Qt::AlignHCenter | Qt::AlignVCenter,
             QFontMetricsF(titleFont).elidedText(title, Qt::ElideRight, l.title.width()));
  p.restore();

  // Axes: frame, outward ticks, labels.
  p.setPen(QPen(frame, 1));
  p.setBrush(Qt::NoBrush);
  p.drawRect(l.plot);
  for (int axis = 0; axis < 2; ++axis) {
    const double lo = axis == 0 ? b.xmin : b.ymin, hi = axis == 0 ? b.xmax : b.ymax;
    const std::vector<double> ts = niceTicks(lo, hi, 8);
    const double step = ts.size() > 1 ? ts[1] - ts[0] : 1.0;
    for (double v : ts) {
      const QPointF at = px(axis == 0 ? QPointF(v, b.ymin) : QPointF(b.xmin, v));
      p.setPen(QPen(frame, 1));
      if (axis == 0) p.drawLine(at, at + QPointF(0, 4));
      else p.drawLine(at, at - QPointF(4, 0));
      p.setPen(text);
      const QString s = tickLabel(v, step);
      if (axis == 0)
        p.drawText(QRectF(at.x() - 40, at.y() + 5, 80, fm.height() + 2), Qt::AlignHCenter | Qt::AlignTop, s);
      else
        p.drawText(QRectF(at.x() - 8 - 80, at.y() - fm.height() / 2, 80, fm.height()), Qt::AlignRight | Qt::AlignVCenter, s);
    }
  }

  p.save();
  p.setClipRect(l.plot);
  const double cellPx = scene_.spacing() * l.scale;
  auto colorOf = [&](double m, int alpha) {
    QColor c = colorByMagnitude_ ? scene_.colorFor(m) : text;
    c.setAlpha(alpha);
    return c;
  };

  // Streamlines: one path per run of segments in the same color bin (vector output stays small).
  if (scene_.hasField() && display_ != Display::Arrows) {
    const int alpha = display_ == Display::Both ? 150 : 235;
    const double range = scene_.maxMagnitude() - scene_.minMagnitude();
    auto bin = [&](double m) {
      return range > 0 ? std::clamp(static_cast<int>((m - scene_.minMagnitude()) / range * kColorBins), 0, kColorBins - 1) : 0;
    };
    for (const Streamline& line : scene_.streamlines()) {
      if (line.size() < 2) continue;
      size_t k = 0;
      while (k + 1 < line.size()) {
        const int c = bin(0.5 * (line[k].magnitude + line[k + 1].magnitude));
        QPainterPath path(px(line[k].p));
        double mag = 0;
        int count = 0;
        while (k + 1 < line.size() && bin(0.5 * (line[k].magnitude + line[k + 1].magnitude)) == c) {
          path.lineTo(px(line[k + 1].p));
          mag += 0.5 * (line[k].magnitude + line[k + 1].magnitude);
          ++count;
          ++k;
        }
        p.strokePath(path, QPen(colorOf(mag / std::max(1, count), alpha), 1.3, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
      }
      // One arrowhead halfway along gives the direction of the flow.
      double total = 0;
      for (size_t i = 1; i < line.size(); ++i) total += std::hypot(line[i].p.x() - line[i - 1].p.x(), line[i].p.y() - line[i - 1].p.y());
      double s = 0;
      for (size_t i = 1; i < line.size(); ++i) {
        const QPointF a = px(line[i - 1].p), c = px(line[i].p);
        s += std::hypot(line[i].p.x() - line[i - 1].p.x(), line[i].p.y() - line[i - 1].p.y());
        if (s < 0.5 * total) continue;
        const QPointF d = c - a;
        const double n = std::hypot(d.x(), d.y());
        if (n > 0 && total * l.scale > 12) {
          QPainterPath head;
          addHead(head, c, d / n, std::clamp(0.35 * cellPx, 4.0, 8.0));
          p.fillPath(head, colorOf(line[i].magnitude, alpha));
        }
        break;
      }
    }
  }

  // Arrows: shaft and closed head in one path each.
  if (scene_.hasField() && display_ != Display::Streamlines) {
    for (const FieldArrow& a : scene_.arrows()) {
      const QPointF s = px(a.start), e = px(a.end);
      const QPointF d = e - s;
      const double len = std::hypot(d.x(), d.y());
      if (len < 0.75) continue;
      const QPointF dir = d / len;
      const double head = std::min(0.38 * len, std::max(3.0, 0.3 * cellPx));
      QPainterPath path(s);
      path.lineTo(e - 0.6 * head * dir);
      addHead(path, e, dir, head);
      const QColor c = colorOf(a.magnitude, 255);
      p.setPen(QPen(c, 1.2, Qt::SolidLine, Qt::RoundCap, Qt::MiterJoin));
      p.setBrush(c);
      p.drawPath(path);
    }
  }

  // x1 of the conditional field (where all its flow goes at t = 1).
  if (source_ == Source::Conditional) {
    const QPointF m = px(x1_);
    p.setPen(QPen(Qt::white, 1.5));
    p.setBrush(QColor(228, 26, 28));
    p.drawEllipse(m, 5.5, 5.5);
    p.setPen(text);
    p.drawText(m + QPointF(8, -6), "x1");
  }
  p.restore();

  if (!scene_.hasField() || !message_.isEmpty()) {
    p.setPen(scene_.hasField() ? QColor(200, 40, 40) : pal.color(QPalette::PlaceholderText));
    const QRectF box = scene_.hasField() ? QRectF(l.plot.left() + 6, l.plot.bottom() - 2 * fm.height() - 6,
                                                  l.plot.width() - 12, 2 * fm.height())
                                         : l.plot.adjusted(20, 20, -20, -20);
    p.drawText(box, Qt::AlignCenter | Qt::TextWordWrap,
               message_.isEmpty() ? QString::fromUtf8("computing\u2026") : message_);
  }

  if (live && isBusy() && scene_.hasField()) {  // top right of the plot, inside it
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(l.plot.adjusted(6, 4, -6, -4), Qt::AlignRight | Qt::AlignTop, QString::fromUtf8("computing\u2026"));
  }

  // Colorbar: the magnitude range of the grid, as 64 flat bands.
  if (!l.colorbar.isEmpty()) {
    const QRectF cb = l.colorbar;
    constexpr int kBands = 64;
    p.setPen(Qt::NoPen);
    for (int i = 0; i < kBands; ++i) {
      const double h = cb.height() / kBands;
      p.setBrush(FieldScene::colormap((i + 0.5) / kBands));
      p.drawRect(QRectF(cb.left(), cb.bottom() - (i + 1) * h, cb.width(), h + 0.5));
    }
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(frame, 1));
    p.drawRect(cb);
    const double lo = scene_.minMagnitude(), hi = scene_.maxMagnitude();
    std::vector<double> ts;
    if (hi - lo > 1e-12 * std::max(1.0, hi)) {
      for (double v : niceTicks(lo, hi, 4))
        if (v >= lo && v <= hi) ts.push_back(v);
    }
    auto yOf = [&](double v) { return hi > lo ? cb.bottom() - (v - lo) / (hi - lo) * cb.height() : cb.center().y(); };
    for (double v : ts) {
      p.setPen(QPen(frame, 1));
      p.drawLine(QPointF(cb.right(), yOf(v)), QPointF(cb.right() + 4, yOf(v)));
      p.setPen(text);
      p.drawText(QRectF(cb.right() + 6, yOf(v) - fm.height() / 2, 80, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                 magnitudeLabel(v));
    }
    // The exact ends, so the range is readable even between ticks.
    p.setPen(text);
    p.drawText(QRectF(cb.left(), cb.bottom() + 2, 80, fm.height()), Qt::AlignLeft, magnitudeLabel(lo));
    p.drawText(QRectF(cb.left(), cb.top() - fm.height() - 2, 80, fm.height()), Qt::AlignLeft, magnitudeLabel(hi));
    const QString what = shownSource_ == "learned" ? "|v|" : shownSource_ == "residual" ? "|v" + kMinus + "u|" : "|u|";
    p.save();
    QFont bold = p.font();
    bold.setBold(true);
    p.setFont(bold);
    p.drawText(QRectF(cb.left(), cb.top() - 2 * fm.height() - 8, 80, fm.height()), Qt::AlignLeft, what);
    p.restore();
  }
}

QString VectorFieldView::exportName() const {
  const RunRecord* r = runs_ && runId_ >= 0 ? runs_->run(runId_) : nullptr;
  QString name = "field-" + sourceKey(source_);
  if (r) name += "-" + QString(r->name).replace(QRegularExpression("[^A-Za-z0-9_.-]+"), "-");
  return name;
}

void VectorFieldView::renderExport(QPainter& painter, const QRectF& target) {
  QPalette pal = palette();
  if (!paletteIsDark()) {  // figures for papers: white background, black text
    pal.setColor(QPalette::Window, Qt::white);
    pal.setColor(QPalette::Base, Qt::white);
    pal.setColor(QPalette::Text, Qt::black);
  }
  painter.save();
  painter.setFont(font());
  paintPlot(painter, target, pal, false);
  painter.restore();
}

QJsonObject VectorFieldView::saveState() const {
  QJsonObject o;
  const RunRecord* r = runs_ && runId_ >= 0 ? runs_->run(runId_) : nullptr;
  o["run"] = r ? r->runDir : pendingRunDir_;
  o["source"] = sourceKey(source_);
  o["grid"] = gridSize_;
  o["display"] = displayKey(display_);
  o["arrowScale"] = scene_.arrowScale();
  o["colorByMagnitude"] = colorByMagnitude_;
  o["linked"] = time_->linked();
  o["t"] = time_->t();
  o["x1"] = QJsonArray{x1_.x(), x1_.y()};
  return o;
}

void VectorFieldView::restoreState(const QJsonObject& o) {
  if (const auto s = sourceFromKey(o["source"].toString())) source_ = *s;
  if (o.contains("grid")) {
    const int n = o["grid"].toInt(gridSize_);
    gridSize_ = *std::min_element(std::begin(kGridSizes), std::end(kGridSizes),
                                  [n](int a, int b) { return std::abs(a - n) < std::abs(b - n); });
  }
  for (Display d : {Display::Arrows, Display::Streamlines, Display::Both})
    if (o["display"].toString() == displayKey(d)) display_ = d;
  if (o.contains("arrowScale")) scene_.setArrowScale(std::clamp(o["arrowScale"].toDouble(), 0.1, 3.0));
  if (o.contains("colorByMagnitude")) colorByMagnitude_ = o["colorByMagnitude"].toBool();
  const QJsonArray x1 = o["x1"].toArray();
  if (x1.size() == 2) x1_ = QPointF(x1[0].toDouble(), x1[1].toDouble());
  const bool linked = o["linked"].toBool(true);
  {
    // One recomputation below instead of one per restored setting.
    const QSignalBlocker block(time_);
    time_->setLinked(linked);
    if (!linked && o.contains("t")) time_->setT(o["t"].toDouble());
  }
  const QString dir = o["run"].toString();
  if (!dir.isEmpty() && runs_) {
    int found = -1;
    for (int id : runs_->runIds())
      if (runs_->run(id)->runDir == dir) found = id;
    if (found >= 0) {
      runId_ = found;
      pendingRunDir_.clear();
    } else {
      pendingRunDir_ = dir;  // chosen when the session opens that run
    }
  }
  syncControls();
  plot_->update();
  refresh();
}

}  // namespace flowscope::gui
