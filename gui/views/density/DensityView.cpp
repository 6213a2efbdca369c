#include "gui/views/density/DensityView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSlider>
#include <QVBoxLayout>

#include <algorithm>
#include <atomic>
#include <cmath>

#include "gui/services/AsyncQuery.h"
#include "gui/views/density/DensityCanvas.h"
#include "gui/services/RunManager.h"
#include "gui/services/TimeController.h"

namespace flowscope::gui {
namespace {

DensityView::GlPolicy gGlPolicy = [] {
  const QByteArray env = qgetenv("FLOWSCOPE_GL").toLower();
  if (env == "always") return DensityView::GlPolicy::Always;
  if (env == "never") return DensityView::GlPolicy::Never;
  return DensityView::GlPolicy::Auto;
}();

struct SolverChoice {
  const char* name;
  SolverSpec spec;
};

const std::vector<SolverChoice>& solverChoices() {
  static const std::vector<SolverChoice> choices{
      {"midpoint 8", {"midpoint", 8, 1e-5, 1e-5}},
      {"midpoint 16", {"midpoint", 16, 1e-5, 1e-5}},
      {"rk4 16", {"rk4", 16, 1e-5, 1e-5}},
      {"dopri5", {"dopri5", 0, 1e-5, 1e-5}},
  };
  return choices;
}

const char* kRangeKeys[4] = {"xmin", "xmax", "ymin", "ymax"};

double& rangeField(ViewBounds& b, int i) { return i == 0 ? b.xmin : i == 1 ? b.xmax : i == 2 ? b.ymin : b.ymax; }
double rangeValue(const ViewBounds& b, int i) { return i == 0 ? b.xmin : i == 1 ? b.xmax : i == 2 ? b.ymin : b.ymax; }

QString particlesLabel(int64_t n) {
  if (n >= 1000000 && n % 1000000 == 0) return QString("%1M").arg(n / 1000000);
  if (n >= 1000 && n % 1000 == 0) return QString("%1k").arg(n / 1000);
  return QString::number(n);
}

/// Selects the item with `data`, adding one labelled `label` when there is none.
void selectData(QComboBox* combo, const QVariant& data, const QString& label) {
  int i = combo->findData(data);
  if (i < 0) {
    combo->addItem(label, data);
    i = combo->count() - 1;
  }
  const QSignalBlocker block(combo);
  combo->setCurrentIndex(i);
}

int nextViewNumber() {
  static int n = 0;
  return ++n;
}

}  // namespace

DensityView::DensityView(RunManager* runs, TimeController* time, AsyncQuery* queries, QWidget* parent)
    : QWidget(parent), runs_(runs), queries_(queries), viewTime_(new ViewTime(time, this)) {
  const int n = nextViewNumber();
  trajKey_ = QString("density/%1/trajectories").arg(n);
  exactKey_ = QString("density/%1/exact").arg(n);
  scene_.setTime(viewTime_->t());
  exactTimer_.setSingleShot(true);
  exactTimer_.setInterval(60);
  connect(&exactTimer_, &QTimer::timeout, this, &DensityView::requestExact);

  buildControls();
  const bool gl = gGlPolicy == GlPolicy::Always ||
                  (gGlPolicy == GlPolicy::Auto && !DensityCanvas::softwareOpenGl());
  canvas_ = DensityCanvas::create(&scene_, gl && gGlPolicy != GlPolicy::Never, this);
  canvas_->setPaintedCallback([this] { onPainted(); });
  static_cast<QVBoxLayout*>(layout())->addWidget(canvas_->widget(), 1);

  connect(viewTime_, &ViewTime::timeChanged, this, &DensityView::onTimeChanged);
  connect(viewTime_, &ViewTime::linkedChanged, this, [this](bool on) {
    const QSignalBlocker block(linkedCheck_);
    linkedCheck_->setChecked(on);
  });
  connect(runs_, &RunManager::runAdded, this, [this](int id) {
    addRunItem(id);
    if (followNewest_) showRun(id);
  });
  connect(runs_, &RunManager::runRemoved, this, &DensityView::onRunRemoved);
  connect(runs_, &RunManager::weightsUpdated, this, &DensityView::onWeightsUpdated);

  for (int id : runs_->runIds()) addRunItem(id);
  const QList<int> ids = runs_->runIds();
  if (!ids.isEmpty()) showRun(ids.last());
  else applyRange();
  updateLabels();
}

DensityView::~DensityView() {
  if (queries_) {
    queries_->cancel(trajKey_);
    queries_->cancel(exactKey_);
  }
}

void DensityView::setOpenGlPolicy(GlPolicy policy) { gGlPolicy = policy; }
DensityView::GlPolicy DensityView::openGlPolicy() { return gGlPolicy; }

QStringList DensityView::solverNames() {
  QStringList names;
  for (const SolverChoice& c : solverChoices()) names << c.name;
  return names;
}

bool DensityView::usesOpenGl() const { return canvas_->usesOpenGl(); }
double DensityView::t() const { return viewTime_->t(); }
QString DensityView::solver() const { return solverChoices()[static_cast<size_t>(solverIndex_)].name; }

// --- controls ---------------------------------------------------------------------------------

void DensityView::buildControls() {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(4, 4, 4, 4);
  outer->setSpacing(4);
  auto* row1 = new QHBoxLayout;
  auto* row2 = new QHBoxLayout;
  outer->addLayout(row1);
  outer->addLayout(row2);
  auto label = [this](QHBoxLayout* row, const QString& text, QWidget* w, const QString& tip) {
    auto* l = new QLabel(text, this);
    l->setBuddy(w);
    row->addWidget(l);
    row->addWidget(w);
    w->setToolTip(tip);
  };

  runCombo_ = new QComboBox(this);
  runCombo_->setObjectName("runCombo");
  runCombo_->setMinimumContentsLength(12);
  label(row1, tr("&Run"), runCombo_, tr("The run whose newest weights are shown"));
  connect(runCombo_, qOverload<int>(&QComboBox::activated), this,
          [this](int i) { setRun(runCombo_->itemData(i).toInt()); });

  particlesCombo_ = new QComboBox(this);
  particlesCombo_->setObjectName("particlesCombo");
  for (int64_t n : {10000, 100000, 1000000}) particlesCombo_->addItem(particlesLabel(n), QVariant::fromValue<qlonglong>(n));
  label(row1, tr("Particles"), particlesCombo_, tr("Samples from the noise, solved once per weight snapshot"));
  connect(particlesCombo_, qOverload<int>(&QComboBox::activated), this,
          [this](int i) { setParticleCount(particlesCombo_->itemData(i).toLongLong()); });

  solverCombo_ = new QComboBox(this);
  solverCombo_->setObjectName("solverCombo");
  solverCombo_->addItems(solverNames());
  label(row1, tr("Solver"), solverCombo_,
        tr("ODE solver for the trajectories; states are stored at %1 times").arg(kStoredTimes));
  connect(solverCombo_, qOverload<int>(&QComboBox::activated), this,
          [this](int i) { setSolver(solverCombo_->itemText(i)); });

  binsCombo_ = new QComboBox(this);
  binsCombo_->setObjectName("binsCombo");
  for (int b : {64, 128, 256, 512}) binsCombo_->addItem(QString::number(b), b);
  label(row1, tr("Bins"), binsCombo_, tr("Histogram cells per axis"));
  connect(binsCombo_, qOverload<int>(&QComboBox::activated), this,
          [this](int i) { setResolution(binsCombo_->itemData(i).toInt()); });

  colormapCombo_ = new QComboBox(this);
  colormapCombo_->setObjectName("colormapCombo");
  colormapCombo_->addItems(Colormap::names());
  label(row1, tr("Colormap"), colormapCombo_, tr("Perceptually uniform colormaps (matplotlib's)"));
  connect(colormapCombo_, qOverload<int>(&QComboBox::activated), this,
          [this](int i) { setColormap(colormapCombo_->itemText(i)); });

  logCheck_ = new QCheckBox(tr("Log density"), this);
  logCheck_->setObjectName("logCheck");
  logCheck_->setToolTip(tr("Color by log density over %1 decades").arg(DensityScene::kLogDecades));
  row1->addWidget(logCheck_);
  connect(logCheck_, &QCheckBox::toggled, this, &DensityView::setLogScale);

  exactCheck_ = new QCheckBox(tr("Exact log p_t"), this);
  exactCheck_->setObjectName("exactCheck");
  exactCheck_->setToolTip(
      tr("Show the model's exact density at t (exact divergence, dopri5), refined 16x16 to 128x128"));
  row1->addWidget(exactCheck_);
  connect(exactCheck_, &QCheckBox::toggled, this, &DensityView::setExactDensity);
  row1->addStretch(1);

  rangeCombo_ = new QComboBox(this);
  rangeCombo_->setObjectName("rangeCombo");
  rangeCombo_->addItems({tr("auto"), tr("custom")});
  label(row2, tr("Range"), rangeCombo_, tr("auto: the dataset's bounds padded by 10%"));
  connect(rangeCombo_, qOverload<int>(&QComboBox::activated), this, [this](int i) {
    if (i == 0) {
      setAutoRange();
      return;
    }
    ViewBounds b = scene_.range();
    setCustomRange(b);
  });
  for (int i = 0; i < 4; ++i) {
    auto* f = new QDoubleSpinBox(this);
    f->setObjectName(QString(kRangeKeys[i]) + "Field");
    f->setRange(-1000, 1000);
    f->setDecimals(2);
    f->setSingleStep(0.5);
    f->setKeyboardTracking(false);
    f->setToolTip(kRangeKeys[i]);
    row2->addWidget(f);
    rangeFields_[i] = f;
    connect(f, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [this] {
      ViewBounds b;
      for (int k = 0; k < 4; ++k) rangeField(b, k) = rangeFields_[k]->value();
      setCustomRange(b);
    });
  }

  overlayCombo_ = new QComboBox(this);
  overlayCombo_->setObjectName("overlayCombo");
  for (int c : {0, 50, 200, 1000}) overlayCombo_->addItem(QString::number(c), c);
  label(row2, tr("Trajectories"), overlayCombo_, tr("Particle paths drawn over the density"));
  connect(overlayCombo_, qOverload<int>(&QComboBox::activated), this,
          [this](int i) { setOverlayCount(overlayCombo_->itemData(i).toInt()); });

  colorByCombo_ = new QComboBox(this);
  colorByCombo_->setObjectName("colorByCombo");
  colorByCombo_->addItems({tr("start point"), tr("speed")});
  label(row2, tr("Color by"), colorByCombo_,
        tr("start point: hue from the angle of x0; speed: |dx/dt| along the path"));
  connect(colorByCombo_, qOverload<int>(&QComboBox::activated), this, [this](int i) {
    setOverlayColoring(i == 1 ? OverlayColoring::Speed : OverlayColoring::StartPoint);
  });

  linkedCheck_ = new QCheckBox(tr("Linked t"), this);
  linkedCheck_->setObjectName("linkedCheck");
  linkedCheck_->setChecked(true);
  linkedCheck_->setToolTip(tr("Follow the global time; unlinked, this view keeps its own t"));
  row2->addWidget(linkedCheck_);
  connect(linkedCheck_, &QCheckBox::toggled, viewTime_, &ViewTime::setLinked);

  timeSlider_ = new QSlider(Qt::Horizontal, this);
  timeSlider_->setObjectName("timeSlider");
  timeSlider_->setRange(0, 1000);
  timeSlider_->setMinimumWidth(80);
  timeSlider_->setValue(static_cast<int>(std::lround(viewTime_->t() * 1000)));
  timeSlider_->setToolTip(tr("This view's t (moves the global t while linked)"));
  row2->addWidget(timeSlider_, 1);
  connect(timeSlider_, &QSlider::valueChanged, this, [this](int v) { viewTime_->setT(v / 1000.0); });

  selectData(particlesCombo_, QVariant::fromValue<qlonglong>(particles_), particlesLabel(particles_));
  solverCombo_->setCurrentIndex(solverIndex_);
  selectData(binsCombo_, scene_.resolution(), QString::number(scene_.resolution()));
  selectData(overlayCombo_, scene_.overlayCount(), QString::number(scene_.overlayCount()));
  syncRangeFields();
}

void DensityView::setCompactControls(bool compact) {
  for (QWidget* w : findChildren<QWidget*>(QString(), Qt::FindDirectChildrenOnly)) {
    if (w == runCombo_ || w == linkedCheck_ || w == timeSlider_ || (canvas_ && w == canvas_->widget())) continue;
    if (auto* l = qobject_cast<QLabel*>(w); l && l->buddy() == runCombo_) continue;
    w->setVisible(!compact);
  }
}

void DensityView::syncRangeFields() {
  const ViewBounds b = scene_.range();
  for (int i = 0; i < 4; ++i) {
    const QSignalBlocker block(rangeFields_[i]);
    rangeFields_[i]->setValue(rangeValue(b, i));
    rangeFields_[i]->setEnabled(!autoRange_);
  }
  const QSignalBlocker block(rangeCombo_);
  rangeCombo_->setCurrentIndex(autoRange_ ? 0 : 1);
}

void DensityView::addRunItem(int id) {
  const RunRecord* r = runs_->run(id);
  if (!r || runCombo_->findData(id) >= 0) return;
  const QSignalBlocker block(runCombo_);
  runCombo_->addItem(r->name, id);
}

// --- settings ---------------------------------------------------------------------------------

void DensityView::setRun(int id) {
  followNewest_ = false;
  showRun(id);
}

void DensityView::showRun(int id) {
  if (id == runId_ && runs_->run(id)) return;
  runId_ = runs_->run(id) ? id : -1;
  {
    const QSignalBlocker block(runCombo_);
    runCombo_->setCurrentIndex(runCombo_->findData(runId_));
  }
  cachedAutoBounds_ = ViewBounds{};
  if (const RunRecord* r = runs_->run(runId_)) {
    try {
      cachedAutoBounds_ = dataBounds(r->config.data);
    } catch (const std::exception&) {
      // A points file that cannot be read: keep the default range.
    }
  }
  // A different run: drop the old picture rather than show it under the new name.
  scene_.setTrajectories(nullptr);
  scene_.setExactDensity(std::nullopt);
  shownModel_.reset();
  lastTarget_ = {};
  trajError_.clear();
  applyRange();
  requestTrajectories(false);
  scheduleExact();
  updateLabels();
}

void DensityView::onRunRemoved(int id) {
  const int i = runCombo_->findData(id);
  if (i >= 0) {
    const QSignalBlocker block(runCombo_);
    runCombo_->removeItem(i);
  }
  if (id != runId_) return;
  followNewest_ = true;
  const QList<int> ids = runs_->runIds();
  runId_ = -2;  // force showRun to reset even if no run is left
  showRun(ids.isEmpty() ? -1 : ids.last());
}

void DensityView::onWeightsUpdated(int id) {
  if (id != runId_) return;
  if (!isVisible()) {
    // 100k trajectories per snapshot would take the cores from training for a view nobody sees.
    staleWhileHidden_ = true;
    return;
  }
  modelClock_.start();
  stampArmed_ = true;
  requestTrajectories(true);
  scheduleExact();
}

void DensityView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (staleWhileHidden_) refreshForExport();
}

void DensityView::refreshForExport() {
  if (!staleWhileHidden_) return;
  staleWhileHidden_ = false;
  exporting_ = true;
  requestTrajectories(true);
  exporting_ = false;
  scheduleExact();
}

void DensityView::setParticleCount(int64_t n) {
  // 65 stored states of 2 floats: 520 bytes a particle, so 2M particles keep about 1 GB.
  n = std::clamp<int64_t>(n, 1, kMaxParticles);
  selectData(particlesCombo_, QVariant::fromValue<qlonglong>(n), particlesLabel(n));
  if (n == particles_) return;
  particles_ = n;
  requestTrajectories(false);
}

void DensityView::setSolver(const QString& name) {
  const int i = solverNames().indexOf(name);
  if (i < 0) return;
  {
    const QSignalBlocker block(solverCombo_);
    solverCombo_->setCurrentIndex(i);
  }
  if (i == solverIndex_) return;
  solverIndex_ = i;
  requestTrajectories(false);
}

void DensityView::setResolution(int bins) {
  bins = std::clamp(bins, 8, 2048);
  selectData(binsCombo_, bins, QString::number(bins));
  scene_.setResolution(bins);
  refresh();
}

void DensityView::setColormap(const QString& name) {
  const Colormap map = Colormap::byName(name);
  {
    const QSignalBlocker block(colormapCombo_);
    colormapCombo_->setCurrentIndex(static_cast<int>(map.kind()));
  }
  scene_.setColormap(map);
  updateLabels();  // the legend names the speed colormap, which follows this one
  refresh();
}

void DensityView::setLogScale(bool on) {
  {
    const QSignalBlocker block(logCheck_);
    logCheck_->setChecked(on);
  }
  scene_.setLogScale(on);
  refresh();
}

void DensityView::setAutoRange() {
  autoRange_ = true;
  applyRange();
}

void DensityView::setCustomRange(const ViewBounds& range) {
  if (!(range.xmax > range.xmin) || !(range.ymax > range.ymin)) {
    syncRangeFields();  // an empty range: put the fields back
    return;
  }
  autoRange_ = false;
  customRange_ = range;
  applyRange();
}

ViewBounds DensityView::autoBounds() const {
  ViewBounds b = cachedAutoBounds_;
  const double px = 0.1 * (b.xmax - b.xmin), py = 0.1 * (b.ymax - b.ymin);
  return {b.xmin - px, b.xmax + px, b.ymin - py, b.ymax + py};
}

void DensityView::applyRange() {
  const ViewBounds b = autoRange_ ? autoBounds() : customRange_;
  const bool changed = !(b == scene_.range());
  scene_.setRange(b);
  syncRangeFields();
  if (changed) {
    scheduleExact();
    refresh();
  }
}

void DensityView::setOverlayCount(int count) {
  count = std::max(0, count);
  selectData(overlayCombo_, count, QString::number(count));
  scene_.setOverlayCount(count);
  updateLabels();
  refresh();
}

void DensityView::setOverlayColoring(OverlayColoring coloring) {
  {
    const QSignalBlocker block(colorByCombo_);
    colorByCombo_->setCurrentIndex(coloring == OverlayColoring::Speed ? 1 : 0);
  }
  scene_.setOverlayColoring(coloring);
  updateLabels();
  refresh();
}

void DensityView::setExactDensity(bool on) {
  {
    const QSignalBlocker block(exactCheck_);
    exactCheck_->setChecked(on);
  }
  if (on == exact_) return;
  exact_ = on;
  scene_.setShowExact(on);
  if (on) {
    scheduleExact();
  } else {
    exactTimer_.stop();
    if (queries_) queries_->cancel(exactKey_);
    exactPending_ = false;
    scene_.setExactDensity(std::nullopt);
  }
  updateLabels();
  refresh();
}

void DensityView::setColorMax(double vmax) {
  scene_.setColorMax(vmax);
  refresh();
}

void DensityView::onTimeChanged(double t) {
  scene_.setTime(t);
  {
    const QSignalBlocker block(timeSlider_);
    timeSlider_->setValue(static_cast<int>(std::lround(t * 1000)));
  }
  scheduleExact();
  updateLabels();
  refresh();
}

// --- trajectories -----------------------------------------------------------------------------

void DensityView::requestTrajectories(bool fromNewWeights) {
  const RunRecord* r = runs_->run(runId_);
  if (!r || !r->weights || !queries_) {
    if (queries_) queries_->cancel(trajKey_);
    trajPending_ = deferred_ = false;
    updateLabels();
    return;
  }
  if (!isVisible() && !exporting_) {
    // Hidden views (other tabs, the side-by-side grid) compute when shown or exported: their
    // trajectories would otherwise take the cores from training and from the visible view.
    staleWhileHidden_ = true;
    return;
  }
  const FlowModelPtr model = r->weights;
  const bool same = lastTarget_.modelId == model->id() && lastTarget_.particles == particles_ &&
                    lastTarget_.solver == solverIndex_;
  if (same && (trajPending_ || trajError_.isEmpty())) {
    // Already computing or showing exactly this (openRun announces weights it just loaded).
    if (stampArmed_) {
      stampArmed_ = false;
      if (trajPending_) stampRequest_ = trajRequest_;
      else stampOnPaint_ = true;
      refresh();
    }
    return;
  }
  if (trajPending_ && fromNewWeights && appliedRequest_ != trajRequest_) {
    // The running solve has shown nothing yet: let it deliver a first picture rather than
    // restarting forever under a snapshot stream faster than one chunk.
    deferred_ = true;
    return;
  }
  // Otherwise newer weights supersede the running solve at once (its partial picture stays up
  // until the new one's first chunk arrives), keeping "new weights -> view" to about one chunk.
  deferred_ = false;
  trajError_.clear();
  const quint64 request = ++trajRequest_;
  trajPending_ = true;
  lastTarget_ = {model->id(), particles_, solverIndex_};
  if (stampArmed_) {
    stampArmed_ = false;
    stampRequest_ = request;
  }
  const int64_t n = particles_;
  const SolverSpec spec = solverChoices()[static_cast<size_t>(solverIndex_)].spec;
  // A small first chunk gives a picture of new weights within about a second; the partial
  // results are posted at doubling counts, so the copies stay O(n log n).
  const int64_t chunk = std::clamp<int64_t>(n / 16, 4096, 65536);
  QPointer<DensityView> self(this);
  queries_->submitWithPosts(
      trajKey_,
      [self, model, n, spec, chunk, request](const std::atomic<bool>& cancel, const AsyncQuery::Poster& post) {
        int64_t posted = 0;
        auto deliver = [&](std::shared_ptr<const Trajectories> t) {
          post([self, t, model, request] {
            if (self) self->applyTrajectories(t, model, request);
          });
        };
        Trajectories all = computeTrajectories(
            *model, n, kNoiseSeed, kStoredTimes, spec, chunk,
            [&](const Trajectories& part) {
              if (part.count < 2 * posted) return;  // post at doubling counts: few large copies
              posted = part.count;
              deliver(std::make_shared<const Trajectories>(part));
            },
            &cancel);
        if (!cancel.load() && all.complete) deliver(std::make_shared<const Trajectories>(std::move(all)));
      },
      [self, request] {
        if (self) self->trajectoriesDone(request, {});
      },
      [self, request](const QString& error) {
        if (self) self->trajectoriesDone(request, error);
      });
  updateLabels();
}

void DensityView::applyTrajectories(const std::shared_ptr<const Trajectories>& trajectories,
                                    const FlowModelPtr& model, quint64 request) {
  if (request != trajRequest_) return;
  scene_.setTrajectories(trajectories);
  shownModel_ = model;
  appliedRequest_ = request;
  if (request == stampRequest_) {
    stampRequest_ = 0;
    stampOnPaint_ = true;
  }
  updateLabels();
  refresh();
  // Newer weights were waiting for this solve's first picture: now they take over.
  if (deferred_) {
    deferred_ = false;
    QMetaObject::invokeMethod(this, [this] { requestTrajectories(true); }, Qt::QueuedConnection);
  }
}

void DensityView::trajectoriesDone(quint64 request, const QString& error) {
  if (request != trajRequest_) return;
  trajPending_ = false;
  trajError_ = error;
  if (!error.isEmpty()) lastTarget_ = {};
  if (deferred_) requestTrajectories(false);
  updateLabels();
  refresh();
}

void DensityView::onPainted() {
  if (!stampOnPaint_) return;
  stampOnPaint_ = false;
  lastModelToViewMs_ = modelClock_.elapsed();
  modelToViewHistory_.push_back(lastModelToViewMs_);
}

// --- exact density ----------------------------------------------------------------------------

void DensityView::scheduleExact() {
  if (!exact_) return;
  exactTimer_.start();
  updateLabels();
}

void DensityView::requestExact() {
  const RunRecord* r = runs_->run(runId_);
  if (!exact_ || !r || !r->weights || !queries_) {
    if (queries_) queries_->cancel(exactKey_);
    exactPending_ = false;
    updateLabels();
    return;
  }
  const FlowModelPtr model = r->weights;
  // modelLogDensity integrates from t to tMin and refuses an empty interval; 1e-6 above tMin
  // is the prior to well within the solver's tolerance.
  const double t = std::clamp(viewTime_->t(), model->tMin() + 1e-6, model->tMax());
  const ViewBounds bounds = scene_.range();
  const auto& shown = scene_.exactDensity();
  if (!exactPending_ && shown && exactModelId_ == model->id() && scene_.exactTime() == t &&
      shown->grid.bounds == bounds && shown->grid.nx >= 128)
    return;
  exactError_.clear();
  const quint64 request = ++exactRequest_;
  exactPending_ = true;
  QPointer<DensityView> self(this);
  queries_->submitWithPosts(
      exactKey_,
      [self, model, t, bounds, request](const std::atomic<bool>& cancel, const AsyncQuery::Poster& post) {
        // Coarse first: 16x16 is ready almost at once, each finer grid replaces it.
        for (int cells : {16, 32, 64, 128}) {
          GridSpec grid;
          grid.bounds = bounds;
          grid.nx = grid.ny = cells;
          auto result = std::make_shared<const DensityGrid>(
              modelLogDensity(*model, grid, t, SolverSpec{"dopri5", 0, 1e-5, 1e-5}, &cancel));
          if (cancel.load()) return;
          post([self, result, t, id = model->id(), request] {
            if (self) self->applyExact(result, t, id, request);
          });
        }
      },
      [self, request] {
        if (self && request == self->exactRequest_) {
          self->exactPending_ = false;
          self->updateLabels();
        }
      },
      [self, request](const QString& error) {
        if (self && request == self->exactRequest_) {
          self->exactPending_ = false;
          self->exactError_ = error;
          self->updateLabels();
        }
      });
  updateLabels();
}

void DensityView::applyExact(const std::shared_ptr<const DensityGrid>& grid, double t, uint64_t modelId,
                             quint64 request) {
  if (request != exactRequest_ || !exact_) return;
  scene_.setExactDensity(*grid, t);
  exactModelId_ = modelId;
  updateLabels();
  refresh();
}

// --- state ------------------------------------------------------------------------------------

bool DensityView::isBusy() const {
  return trajPending_ || deferred_ || (exact_ && (exactPending_ || exactTimer_.isActive()));
}

void DensityView::refresh() { canvas_->refresh(); }

void DensityView::updateLabels() {
  const RunRecord* r = runs_->run(runId_);
  DensityLabels labels;
  const QString what = scene_.exactShown() ? QStringLiteral("exact p_t") : QStringLiteral("p_t");
  const double shownT = scene_.exactShown() ? scene_.exactTime() : viewTime_->t();
  if (!r) {
    labels.title = what + " — no run";
    labels.status = tr("Open or create a run to see its density path");
  } else if (!shownModel_ && !scene_.exactShown()) {
    labels.title = QString("%1 at t = %2 — %3").arg(what).arg(shownT, 0, 'f', 3).arg(r->name);
    labels.status = r->weights ? tr("Computing trajectories…") : tr("No weights yet: start training");
  } else {
    const int64_t step = shownModel_ ? shownModel_->step() : (r->weights ? r->weights->step() : 0);
    labels.title = QString("%1 at t = %2 — %3, step %4").arg(what).arg(shownT, 0, 'f', 3).arg(r->name).arg(step);
  }
  const QLocale locale = QLocale::c();
  if (!trajError_.isEmpty()) {
    labels.status = tr("Trajectories failed: %1").arg(trajError_);
  } else if (!exactError_.isEmpty() && exact_) {
    labels.status = tr("Exact density failed: %1").arg(exactError_);
  } else if (exact_ && (exactPending_ || exactTimer_.isActive())) {
    const auto& grid = scene_.exactDensity();
    labels.status = grid ? tr("Exact p_t: %1×%1 shown, refining…").arg(grid->grid.nx) : tr("Computing exact p_t…");
  } else if (trajPending_ && scene_.trajectories() && !scene_.trajectories()->complete) {
    labels.status = tr("Computing trajectories: %1 / %2 particles")
                        .arg(locale.toString(static_cast<qlonglong>(scene_.trajectories()->count)),
                             locale.toString(static_cast<qlonglong>(particles_)));
  } else if (trajPending_ && shownModel_ && labels.status.isEmpty()) {
    labels.status = tr("Updating…");
  }
  const int paths = static_cast<int>(scene_.overlay().size());
  if (paths > 0) {
    labels.legend = scene_.overlayColoring() == OverlayColoring::Speed
                        ? tr("%1 trajectories by speed |dx/dt| (%2: 0 to %3)")
                              .arg(paths)
                              .arg(scene_.speedColormap().name())
                              .arg(scene_.overlaySpeedScale(), 0, 'g', 3)
                        : tr("%1 trajectories, hue = angle of x0").arg(paths);
  }
  canvas_->setLabels(labels);
}

void DensityView::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) refresh();
}

std::vector<double> DensityView::benchmarkScrub(int frames) {
  std::vector<double> ms;
  if (frames < 1) return ms;
  ms.reserve(static_cast<size_t>(frames));
  QElapsedTimer timer;
  for (int i = 0; i < frames; ++i) {
    const double t = frames > 1 ? static_cast<double>(i) / (frames - 1) : 1.0;
    timer.start();
    scene_.setTime(t);  // what a ViewTime change does, without moving other views
    updateLabels();
    canvas_->renderNow();
    ms.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
  }
  scene_.setTime(viewTime_->t());
  updateLabels();
  refresh();
  return ms;
}

// --- export -----------------------------------------------------------------------------------

QString DensityView::exportName() const {
  const RunRecord* r = runs_->run(runId_);
  QString name = r ? r->name : QStringLiteral("none");
  name.replace(QRegularExpression("[^A-Za-z0-9_.-]+"), "-");
  return "density-" + name;
}

void DensityView::renderExport(QPainter& painter, const QRectF& target) {
  DensityLabels labels = canvas_->labels();
  if (trajError_.isEmpty() && exactError_.isEmpty()) labels.status.clear();  // progress notes are not the figure
  DensityPlot(target, scene_, labels, PlotStyle::forExport(font())).paintAll(painter);
}

QString DensityView::exportCsv() const {
  QString csv = "kind,x,y,density,log_density,trajectory,t\n";
  const QString tText = QString::number(scene_.time(), 'g', 6);
  auto num = [](double v) { return QString::number(v, 'g', 7); };
  if (scene_.exactShown()) {
    const DensityGrid& g = *scene_.exactDensity();
    const QString et = QString::number(scene_.exactTime(), 'g', 6);
    for (int j = 0; j < g.grid.ny; ++j)
      for (int i = 0; i < g.grid.nx; ++i) {
        const double lp = g.logp[static_cast<size_t>(j) * static_cast<size_t>(g.grid.nx) + static_cast<size_t>(i)];
        csv += QString("exact,%1,%2,%3,%4,,%5\n").arg(num(g.grid.x(i)), num(g.grid.y(j)), num(std::exp(lp)), num(lp), et);
      }
  }
  if (scene_.trajectories()) {
    GridSpec g;
    g.bounds = scene_.range();
    g.nx = g.ny = scene_.resolution();
    const std::vector<float>& d = scene_.density();
    for (int j = 0; j < g.ny; ++j)
      for (int i = 0; i < g.nx; ++i)
        csv += QString("histogram,%1,%2,%3,,,%4\n")
                   .arg(num(g.x(i)), num(g.y(j)),
                        num(d[static_cast<size_t>(j) * static_cast<size_t>(g.nx) + static_cast<size_t>(i)]), tText);
    const std::vector<double>& times = scene_.trajectories()->times;
    for (const OverlayPath& p : scene_.overlay()) {
      for (size_t k = 0; k < p.points.size(); ++k)
        csv += QString("trajectory,%1,%2,,,%3,%4\n")
                   .arg(num(p.points[k].x()), num(p.points[k].y()), QString::number(p.particle), num(times[k]));
      csv += QString("position,%1,%2,,,%3,%4\n").arg(num(p.head.x()), num(p.head.y()), QString::number(p.particle), tText);
    }
  }
  return csv;
}

QJsonObject DensityView::saveState() const {
  QJsonObject o;
  if (const RunRecord* r = runs_->run(runId_)) {
    o["run"] = r->runDir;
    o["runName"] = r->name;
  }
  o["followNewest"] = followNewest_;
  o["particles"] = static_cast<double>(particles_);
  o["solver"] = solver();
  o["bins"] = scene_.resolution();
  o["colormap"] = scene_.colormap().name();
  o["log"] = scene_.logScale();
  o["range"] = autoRange_ ? "auto" : "custom";
  // The custom range is kept while auto is on, so switching back restores it.
  const ViewBounds b = autoRange_ ? customRange_ : scene_.range();
  for (int i = 0; i < 4; ++i) o[kRangeKeys[i]] = rangeValue(b, i);
  o["overlay"] = scene_.overlayCount();
  o["colorBy"] = scene_.overlayColoring() == OverlayColoring::Speed ? "speed" : "start";
  o["linked"] = viewTime_->linked();
  o["t"] = viewTime_->t();
  o["exact"] = exact_;
  o["colorMax"] = scene_.fixedColorMax();
  return o;
}

void DensityView::restoreState(const QJsonObject& o) {
  if (o.contains("particles")) setParticleCount(static_cast<int64_t>(o["particles"].toDouble(100000)));
  if (o.contains("solver")) setSolver(o["solver"].toString());
  if (o.contains("bins")) setResolution(o["bins"].toInt(256));
  if (o.contains("colormap")) setColormap(o["colormap"].toString());
  if (o.contains("log")) setLogScale(o["log"].toBool());
  if (o.contains("overlay")) setOverlayCount(o["overlay"].toInt(200));
  if (o.contains("colorBy"))
    setOverlayColoring(o["colorBy"].toString() == "speed" ? OverlayColoring::Speed : OverlayColoring::StartPoint);
  if (o.contains("colorMax")) setColorMax(o["colorMax"].toDouble());
  ViewBounds b;
  for (int i = 0; i < 4; ++i) rangeField(b, i) = o[kRangeKeys[i]].toDouble(rangeField(b, i));
  if (o["range"].toString() == "custom") {
    setCustomRange(b);
  } else {
    customRange_ = b;
    setAutoRange();
  }
  // The run by folder (ids are per session), else by name.
  if (o.contains("run") || o.contains("runName")) {
    int found = -1;
    for (int id : runs_->runIds()) {
      const RunRecord* r = runs_->run(id);
      if (r->runDir == o["run"].toString()) found = id;
      else if (found < 0 && r->name == o["runName"].toString()) found = id;
    }
    if (found >= 0) {
      if (o["followNewest"].toBool(false)) showRun(found);
      else setRun(found);
    }
  }
  if (o.contains("linked")) {
    const bool linked = o["linked"].toBool(true);
    viewTime_->setLinked(linked);
    if (!linked && o.contains("t")) viewTime_->setT(o["t"].toDouble(1.0));
  }
  if (o.contains("exact")) setExactDensity(o["exact"].toBool());
}

}  // namespace flowscope::gui
