#include "gui/views/field/VectorFieldView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSlider>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <utility>

#include "gui/services/AsyncQuery.h"
#include "gui/services/RunManager.h"
#include "gui/services/TimeController.h"
#include "gui/views/SessionValue.h"
#include "gui/views/field/FieldCanvas.h"

namespace flowscope::gui {
namespace {

const QString kMinus = QString::fromUtf8("\u2212");

QString displayKey(VectorFieldView::Display d) {
  switch (d) {
    case VectorFieldView::Display::Arrows: return "arrows";
    case VectorFieldView::Display::Streamlines: return "streamlines";
    case VectorFieldView::Display::Both: return "both";
  }
  return "both";
}

int nearestGridSize(int n) {
  return *std::min_element(std::begin(VectorFieldView::kGridSizes), std::end(VectorFieldView::kGridSizes),
                           [n](int a, int b) { return std::abs(a - n) < std::abs(b - n); });
}

}  // namespace

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
      if (!runs_->isKind(id, RunKind::Points)) return;  // image runs have their own views
      addRunItem(id);
      const RunRecord* r = runs_->run(id);
      const bool restored = !pendingRunDir_.isEmpty() && r && r->runDir == pendingRunDir_;
      if (restored) pendingRunDir_.clear();
      if (restored || (runId_ < 0 && pendingRunDir_.isEmpty())) setRun(id);
    });
    connect(runs_, &RunManager::runRemoved, this, [this](int id) {
      removeRunItem(id);
      if (id == runId_) {
        const QList<int> ids = runs_->runIds(RunKind::Points);
        setRun(ids.isEmpty() ? -1 : ids.first());
      }
    });
    connect(runs_, &RunManager::weightsUpdated, this, [this](int id) {
      if (id != runId_ || !currentRequest().needsWeights()) return;
      if (isVisible()) refresh();
      else staleWhileHidden_ = true;  // hidden views leave the cores to training
    });
    for (int id : runs_->runIds(RunKind::Points)) addRunItem(id);
    if (!runs_->runIds(RunKind::Points).isEmpty()) runId_ = runs_->runIds(RunKind::Points).first();
  }
  syncControls();
  refresh();
}

VectorFieldView::~VectorFieldView() {
  if (queries_) queries_->cancel(key_);
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


void VectorFieldView::buildControls() {
  runCombo_ = new QComboBox(this);
  runCombo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  runCombo_->addItem("(no run)", -1);
  runCombo_->setToolTip("Run whose model, path and data set are shown");
  sourceCombo_ = new QComboBox(this);
  for (Source s : {Source::Learned, Source::Conditional, Source::Marginal, Source::Residual})
    sourceCombo_->addItem(fieldSourceLabel(s, false), sourceKey(s));
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
  canvas_ = new FieldCanvas(&scene_, this);
  canvas_->setClickedCallback([this](QPointF x1) { setConditionalPoint(x1); });

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
  layout->addWidget(canvas_, 1);

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
  const RunRecord* r = runs_ && runs_->isKind(id, RunKind::Points) ? runs_->run(id) : nullptr;
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
  sourceCombo_->setItemText(static_cast<int>(Source::Marginal), fieldSourceLabel(Source::Marginal, closedFormMarginal()));
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
  if (!std::isfinite(x1.x()) || !std::isfinite(x1.y())) return;
  x1 = {session::kPoint.clamp(x1.x()), session::kPoint.clamp(x1.y())};
  if (x1 == x1_) return;
  x1_ = x1;
  updateCanvas();  // the marker moves at once; the arrows follow when computed
  if (source_ == Source::Conditional) refresh();
}

void VectorFieldView::setGridSize(int n) {
  const int best = nearestGridSize(n);
  if (best == gridSize_) return;
  gridSize_ = best;
  syncControls();
  refresh();
}

void VectorFieldView::setDisplay(Display d) {
  if (d == display_) return;
  display_ = d;
  syncControls();
  updateCanvas();
}

void VectorFieldView::setArrowScale(double scale) {
  scale = session::kArrowScale.clamp(std::isfinite(scale) ? scale : 1.0);
  if (scale == scene_.arrowScale()) return;
  scene_.setArrowScale(scale);
  syncControls();
  updateCanvas();
}

void VectorFieldView::setColorByMagnitude(bool on) {
  if (on == colorByMagnitude_) return;
  colorByMagnitude_ = on;
  syncControls();
  updateCanvas();
}

QWidget* VectorFieldView::plotWidget() const { return canvas_; }

QPointF VectorFieldView::dataToPlot(QPointF data) const { return canvas_->dataToPixel(data); }

FieldLook VectorFieldView::look(bool live) const {
  FieldLook l;
  l.title = title_;
  l.message = message_;
  l.busy = live && isBusy();
  l.display = display_;
  l.colorByMagnitude = colorByMagnitude_;
  l.magnitudeTitle = shownSource_ == "learned" ? "|v|" : shownSource_ == "residual" ? "|v" + kMinus + "u|" : "|u|";
  if (source_ == Source::Conditional) l.marker = x1_;
  return l;
}

void VectorFieldView::updateCanvas() { canvas_->setLook(look(true)); }

void VectorFieldView::refresh() {
  if (inFlight_) {
    pending_ = true;  // one pending request at most: it reads the settings when it starts
    updateCanvas();
    return;
  }
  startRequest();
}

FieldRequest VectorFieldView::currentRequest() const {
  FieldRequest req;
  req.source = source_;
  req.grid = gridSize_;
  req.t = time_->t();
  req.x1 = x1_;
  req.arrowScale = scene_.arrowScale();
  req.streamSpacing = scene_.streamSpacing();
  if (const RunRecord* r = runs_ && runId_ >= 0 ? runs_->run(runId_) : nullptr) {
    req.hasRun = true;
    req.runName = r->name;
    req.path = r->config.path;
    req.data = r->config.data;
    req.model = r->weights;
    req.closedForm = r->config.data.name == "gaussian";
  }
  return req;
}

void VectorFieldView::startRequest() {
  pending_ = false;
  const FieldRequest req = currentRequest();
  syncControls();
  if (const QString why = req.problem(); !why.isEmpty()) {
    scene_.clear();
    title_.clear();
    message_ = why;
    failure_.clear();  // nothing was asked of the engine
    updateCanvas();
    return;
  }
  if (!queries_) return;
  inFlight_ = true;
  QPointer<VectorFieldView> self(this);
  queries_->submit<FieldResult>(
      key_, [req](const std::atomic<bool>&) { return computeField(req); },
      [self](FieldResult result) {
        if (self) self->applyResult(std::move(result));
      },
      [self](QString error) {
        if (self) self->applyFailure(error);
      });
  updateCanvas();
}

void VectorFieldView::applyResult(FieldResult r) {
  inFlight_ = false;
  const double scale = scene_.arrowScale();  // the slider may have moved meanwhile
  scene_ = std::move(r.scene);
  if (scene_.arrowScale() != scale) scene_.setArrowScale(scale);
  message_.clear();
  failure_.clear();
  shownSource_ = sourceKey(r.request.source);
  title_ = r.title();
  Q_EMIT sceneUpdated();
  if (pending_) startRequest();
  else updateCanvas();
}

void VectorFieldView::applyFailure(const QString& message) {
  inFlight_ = false;
  message_ = "Field failed: " + message;
  failure_ = message_;
  if (pending_) startRequest();
  else updateCanvas();
}

QString VectorFieldView::exportName() const {
  const RunRecord* r = runs_ && runId_ >= 0 ? runs_->run(runId_) : nullptr;
  QString name = "field-" + sourceKey(source_);
  if (r) name += "-" + QString(r->name).replace(QRegularExpression("[^A-Za-z0-9_.-]+"), "-");
  return name;
}

void VectorFieldView::renderExport(QPainter& painter, const QRectF& target) {
  FieldPlot(target, scene_, look(false), PlotStyle::forExport(font())).paintAll(painter);
}

std::vector<QRectF> VectorFieldView::exportTextRects(const QRectF& target) {
  return FieldPlot(target, scene_, look(false), PlotStyle::forExport(font())).frame().textRects();
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
  gridSize_ = nearestGridSize(static_cast<int>(sessionInteger(o, "grid", session::kFieldGrid, gridSize_)));
  for (Display d : {Display::Arrows, Display::Streamlines, Display::Both})
    if (o["display"].toString() == displayKey(d)) display_ = d;
  scene_.setArrowScale(sessionNumber(o, "arrowScale", session::kArrowScale, scene_.arrowScale()));
  if (o.contains("colorByMagnitude")) colorByMagnitude_ = o["colorByMagnitude"].toBool();
  const QJsonArray x1 = o["x1"].toArray();
  if (x1.size() == 2) {
    const QJsonObject xy{{"x", x1[0]}, {"y", x1[1]}};
    x1_ = QPointF(sessionNumber(xy, "x", session::kPoint, x1_.x()), sessionNumber(xy, "y", session::kPoint, x1_.y()));
  }
  const bool linked = o["linked"].toBool(true);
  {
    // One recomputation below instead of one per restored setting.
    const QSignalBlocker block(time_);
    time_->setLinked(linked);
    if (!linked && o.contains("t")) time_->setT(sessionNumber(o, "t", session::kTime, time_->t()));
  }
  const QString dir = o["run"].toString();
  if (!dir.isEmpty() && runs_) {
    int found = -1;
    for (int id : runs_->runIds(RunKind::Points))
      if (runs_->run(id)->runDir == dir) found = id;
    if (found >= 0) {
      runId_ = found;
      pendingRunDir_.clear();
    } else {
      pendingRunDir_ = dir;  // chosen when the session opens that run
    }
  }
  syncControls();
  refresh();
}

}  // namespace flowscope::gui
