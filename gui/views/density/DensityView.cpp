#include "gui/views/density/DensityView.h"

#include <QEvent>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "gui/services/AsyncQuery.h"
#include "gui/services/RunManager.h"
#include "gui/services/TimeController.h"
#include "gui/views/density/DensityCanvas.h"
#include "gui/views/density/DensityControls.h"

namespace flowscope::gui {
namespace {

DensityView::GlPolicy gGlPolicy = [] {
  const QByteArray env = qgetenv("FLOWSCOPE_GL").toLower();
  if (env == "always") return DensityView::GlPolicy::Always;
  if (env == "never") return DensityView::GlPolicy::Never;
  return DensityView::GlPolicy::Auto;
}();

const char* kRangeKeys[4] = {"xmin", "xmax", "ymin", "ymax"};

double& rangeField(ViewBounds& b, int i) { return i == 0 ? b.xmin : i == 1 ? b.xmax : i == 2 ? b.ymin : b.ymax; }
double rangeValue(const ViewBounds& b, int i) { return i == 0 ? b.xmin : i == 1 ? b.xmax : i == 2 ? b.ymin : b.ymax; }

}  // namespace

DensityView::DensityView(RunManager* runs, TimeController* time, AsyncQuery* queries, QWidget* parent)
    : QWidget(parent), runs_(runs), viewTime_(new ViewTime(time, this)) {
  scene_.setTime(viewTime_->t());
  DensityJobs::Listener listener;
  listener.trajectories = [this](std::shared_ptr<const Trajectories> t, FlowModelPtr model, quint64 request) {
    applyTrajectories(t, model, request);
  };
  listener.exact = [this](std::shared_ptr<const DensityGrid> grid, double t) {
    if (!exact_) return;
    scene_.setExactDensity(*grid, t);
    updateLabels();
    refresh();
  };
  listener.retryTrajectories = [this](bool fromNewWeights) { requestTrajectories(fromNewWeights); };
  listener.exactDue = [this] { requestExact(); };
  listener.changed = [this] {
    updateLabels();
    refresh();
  };
  jobs_ = new DensityJobs(queries, std::move(listener), this);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->setSpacing(4);
  controls_ = new DensityControls(solverNames(), kStoredTimes, this);
  layout->addWidget(controls_);
  connectControls();
  const bool gl = gGlPolicy == GlPolicy::Always ||
                  (gGlPolicy == GlPolicy::Auto && !DensityCanvas::softwareOpenGl());
  canvas_ = DensityCanvas::create(&scene_, gl && gGlPolicy != GlPolicy::Never, this);
  canvas_->setPaintedCallback([this] { onPainted(); });
  layout->addWidget(canvas_->widget(), 1);

  connect(viewTime_, &ViewTime::timeChanged, this, &DensityView::onTimeChanged);
  connect(viewTime_, &ViewTime::linkedChanged, controls_, &DensityControls::showLinked);
  connect(runs_, &RunManager::runAdded, this, [this](int id) {
    if (!runs_->isKind(id, RunKind::Points)) return;  // image runs have their own views
    addRunItem(id);
    if (followNewest_) showRun(id);
  });
  connect(runs_, &RunManager::runRemoved, this, &DensityView::onRunRemoved);
  connect(runs_, &RunManager::weightsUpdated, this, &DensityView::onWeightsUpdated);

  for (int id : runs_->runIds(RunKind::Points)) addRunItem(id);
  const QList<int> ids = runs_->runIds(RunKind::Points);
  if (!ids.isEmpty()) showRun(ids.last());
  else applyRange();
  updateLabels();
}

DensityView::~DensityView() = default;

void DensityView::setOpenGlPolicy(GlPolicy policy) { gGlPolicy = policy; }
DensityView::GlPolicy DensityView::openGlPolicy() { return gGlPolicy; }

QStringList DensityView::solverNames() {
  QStringList names;
  for (const DensityJobs::Solver& c : DensityJobs::solvers()) names << c.name;
  return names;
}

bool DensityView::usesOpenGl() const { return canvas_->usesOpenGl(); }
QWidget* DensityView::canvasWidget() const { return canvas_->widget(); }
QRectF DensityView::plotRect() const {
  QWidget* w = canvas_->widget();
  return DensityPlot(QRectF(w->rect()), scene_, canvas_->labels(), PlotStyle::forWidget(*w)).plot();
}
double DensityView::t() const { return viewTime_->t(); }
QString DensityView::solver() const { return DensityJobs::solvers()[static_cast<size_t>(solverIndex_)].name; }

// --- controls ---------------------------------------------------------------------------------

void DensityView::connectControls() {
  DensityControls* c = controls_;
  connect(c, &DensityControls::runChosen, this, &DensityView::setRun);
  connect(c, &DensityControls::particlesChosen, this, [this](qint64 n) { setParticleCount(n); });
  connect(c, &DensityControls::solverChosen, this, &DensityView::setSolver);
  connect(c, &DensityControls::binsChosen, this, &DensityView::setResolution);
  connect(c, &DensityControls::colormapChosen, this, &DensityView::setColormap);
  connect(c, &DensityControls::logToggled, this, &DensityView::setLogScale);
  connect(c, &DensityControls::exactToggled, this, &DensityView::setExactDensity);
  connect(c, &DensityControls::autoRangeChosen, this, &DensityView::setAutoRange);
  connect(c, &DensityControls::customRangeChosen, this, &DensityView::setCustomRange);
  connect(c, &DensityControls::overlaysChosen, this, &DensityView::setOverlayCount);
  connect(c, &DensityControls::coloringChosen, this, &DensityView::setOverlayColoring);
  connect(c, &DensityControls::linkedToggled, viewTime_, &ViewTime::setLinked);
  connect(c, &DensityControls::timeMoved, viewTime_, &ViewTime::setT);
  c->showParticles(particles_);
  c->showSolver(solverIndex_);
  c->showBins(scene_.resolution());
  c->showOverlays(scene_.overlayCount());
  c->showTime(viewTime_->t());
  c->showRange(scene_.range(), autoRange_);
}

void DensityView::setCompactControls(bool compact) { controls_->setCompact(compact); }

void DensityView::addRunItem(int id) {
  if (const RunRecord* r = runs_->run(id)) controls_->addRun(id, r->name);
}

// --- settings ---------------------------------------------------------------------------------

void DensityView::setRun(int id) {
  followNewest_ = false;
  showRun(id);
}

void DensityView::showRun(int id) {
  if (id == runId_ && runs_->run(id)) return;
  runId_ = runs_->run(id) ? id : -1;
  controls_->showRun(runId_);
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
  jobs_->forgetTarget();
  applyRange();
  requestTrajectories(false);
  scheduleExact();
  updateLabels();
}

void DensityView::onRunRemoved(int id) {
  controls_->removeRun(id);
  if (id != runId_) return;
  followNewest_ = true;
  const QList<int> ids = runs_->runIds(RunKind::Points);
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
  n = static_cast<int64_t>(session::kDensityParticles.clamp(static_cast<double>(n)));
  controls_->showParticles(n);
  if (n == particles_) return;
  particles_ = n;
  requestTrajectories(false);
}

void DensityView::setSolver(const QString& name) {
  const int i = solverNames().indexOf(name);
  if (i < 0) return;
  controls_->showSolver(i);
  if (i == solverIndex_) return;
  solverIndex_ = i;
  requestTrajectories(false);
}

void DensityView::setResolution(int bins) {
  bins = static_cast<int>(session::kDensityBins.clamp(bins));
  controls_->showBins(bins);
  scene_.setResolution(bins);
  refresh();
}

void DensityView::setColormap(const QString& name) {
  const Colormap map = Colormap::byName(name);
  controls_->showColormap(static_cast<int>(map.kind()));
  scene_.setColormap(map);
  updateLabels();  // the legend names the speed colormap, which follows this one
  refresh();
}

void DensityView::setLogScale(bool on) {
  controls_->showLog(on);
  scene_.setLogScale(on);
  refresh();
}

void DensityView::setAutoRange() {
  autoRange_ = true;
  applyRange();
}

void DensityView::setCustomRange(const ViewBounds& r) {
  const SessionRange& k = session::kRangeBound;
  const ViewBounds range{k.clamp(r.xmin), k.clamp(r.xmax), k.clamp(r.ymin), k.clamp(r.ymax)};
  if (!(range.xmax > range.xmin) || !(range.ymax > range.ymin)) {
    controls_->showRange(scene_.range(), autoRange_);  // an empty range: put the fields back
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
  controls_->showRange(b, autoRange_);
  if (changed) {
    scheduleExact();
    refresh();
  }
}

void DensityView::setOverlayCount(int count) {
  count = static_cast<int>(session::kOverlays.clamp(count));
  controls_->showOverlays(count);
  scene_.setOverlayCount(count);
  updateLabels();
  refresh();
}

void DensityView::setOverlayColoring(OverlayColoring coloring) {
  controls_->showColoring(coloring);
  scene_.setOverlayColoring(coloring);
  updateLabels();
  refresh();
}

void DensityView::setExactDensity(bool on) {
  controls_->showExact(on);
  if (on == exact_) return;
  exact_ = on;
  scene_.setShowExact(on);
  if (on) {
    scheduleExact();
  } else {
    jobs_->cancelExact();
    scene_.setExactDensity(std::nullopt);
  }
  updateLabels();
  refresh();
}

void DensityView::setColorMax(double vmax) {
  scene_.setColorMax(session::kColorMax.clamp(std::isfinite(vmax) ? vmax : 0.0));
  refresh();
}

void DensityView::onTimeChanged(double t) {
  scene_.setTime(t);
  controls_->showTime(t);
  scheduleExact();
  updateLabels();
  refresh();
}

// --- trajectories -----------------------------------------------------------------------------

void DensityView::requestTrajectories(bool fromNewWeights) {
  const RunRecord* r = runs_->run(runId_);
  if (!r || !r->weights) {
    jobs_->cancelTrajectories();
    updateLabels();
    return;
  }
  if (!isVisible() && !exporting_) {
    // Hidden views (other tabs, the side-by-side grid) compute when shown or exported: their
    // trajectories would otherwise take the cores from training and from the visible view.
    staleWhileHidden_ = true;
    return;
  }
  const DensityJobs::Outcome outcome = jobs_->requestTrajectories(r->weights, particles_, solverIndex_, fromNewWeights);
  if (stampArmed_ && outcome == DensityJobs::Outcome::AlreadyThere) {
    stampArmed_ = false;
    if (jobs_->trajectoriesPending()) stampRequest_ = jobs_->trajectoryRequest();
    else stampOnPaint_ = true;
    refresh();
  } else if (stampArmed_ && outcome == DensityJobs::Outcome::Started) {
    stampArmed_ = false;
    stampRequest_ = jobs_->trajectoryRequest();
  }
  updateLabels();
}

void DensityView::applyTrajectories(const std::shared_ptr<const Trajectories>& trajectories,
                                    const FlowModelPtr& model, quint64 request) {
  scene_.setTrajectories(trajectories);
  shownModel_ = model;
  if (request == stampRequest_) {
    stampRequest_ = 0;
    stampOnPaint_ = true;
  }
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
  jobs_->scheduleExact();
  updateLabels();
}

void DensityView::requestExact() {
  const RunRecord* r = runs_->run(runId_);
  if (!exact_ || !r || !r->weights) {
    jobs_->cancelExact();
    updateLabels();
    return;
  }
  const FlowModelPtr model = r->weights;
  // modelLogDensity integrates from t to tMin and refuses an empty interval; 1e-6 above tMin
  // is the prior to well within the solver's tolerance.
  const double t = std::clamp(viewTime_->t(), model->tMin() + 1e-6, model->tMax());
  const ViewBounds bounds = scene_.range();
  const auto& shown = scene_.exactDensity();
  if (!jobs_->exactPending() && shown && jobs_->exactModelId() == model->id() && scene_.exactTime() == t &&
      shown->grid.bounds == bounds && shown->grid.nx >= 128)
    return;
  jobs_->requestExact(model, t, bounds);
  updateLabels();
}

// --- state ------------------------------------------------------------------------------------

bool DensityView::isBusy() const {
  return jobs_->trajectoriesPending() || jobs_->trajectoriesDeferred() || (exact_ && jobs_->exactPending());
}

QString DensityView::failure() const {
  if (!jobs_->trajectoryError().isEmpty()) return tr("Trajectories failed: %1").arg(jobs_->trajectoryError());
  if (exact_ && !jobs_->exactError().isEmpty()) return tr("Exact density failed: %1").arg(jobs_->exactError());
  return {};
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
  const bool trajPending = jobs_->trajectoriesPending();
  if (const QString why = failure(); !why.isEmpty()) {
    labels.status = why;
  } else if (exact_ && jobs_->exactPending()) {
    const auto& grid = scene_.exactDensity();
    labels.status = grid ? tr("Exact p_t: %1×%1 shown, refining…").arg(grid->grid.nx) : tr("Computing exact p_t…");
  } else if (trajPending && scene_.trajectories() && !scene_.trajectories()->complete) {
    labels.status = tr("Computing trajectories: %1 / %2 particles")
                        .arg(locale.toString(static_cast<qlonglong>(scene_.trajectories()->count)),
                             locale.toString(static_cast<qlonglong>(particles_)));
  } else if (trajPending && shownModel_ && labels.status.isEmpty()) {
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

DensityLabels DensityView::exportLabels() const {
  DensityLabels labels = canvas_->labels();
  if (failure().isEmpty()) labels.status.clear();  // progress notes are not the figure
  return labels;
}

void DensityView::renderExport(QPainter& painter, const QRectF& target) {
  DensityPlot(target, scene_, exportLabels(), PlotStyle::forExport(font())).paintAll(painter);
}

std::vector<QRectF> DensityView::exportTextRects(const QRectF& target) {
  return DensityPlot(target, scene_, exportLabels(), PlotStyle::forExport(font())).frame().textRects();
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
  // Every number through the session ranges (gui/views/SessionValue.h): the file may be hostile.
  if (o.contains("particles")) setParticleCount(sessionInteger(o, "particles", session::kDensityParticles, particles_));
  if (o.contains("solver")) setSolver(o["solver"].toString());
  if (o.contains("bins")) setResolution(static_cast<int>(sessionInteger(o, "bins", session::kDensityBins, 256)));
  if (o.contains("colormap")) setColormap(o["colormap"].toString());
  if (o.contains("log")) setLogScale(o["log"].toBool());
  if (o.contains("overlay")) setOverlayCount(static_cast<int>(sessionInteger(o, "overlay", session::kOverlays, 200)));
  if (o.contains("colorBy"))
    setOverlayColoring(o["colorBy"].toString() == "speed" ? OverlayColoring::Speed : OverlayColoring::StartPoint);
  if (o.contains("colorMax")) setColorMax(sessionNumber(o, "colorMax", session::kColorMax, 0));
  ViewBounds b;
  for (int i = 0; i < 4; ++i) rangeField(b, i) = sessionNumber(o, kRangeKeys[i], session::kRangeBound, rangeField(b, i));
  if (o["range"].toString() == "custom") {
    setCustomRange(b);
  } else {
    customRange_ = b;
    setAutoRange();
  }
  // The run by folder (ids are per session), else by name.
  if (o.contains("run") || o.contains("runName")) {
    int found = -1;
    for (int id : runs_->runIds(RunKind::Points)) {
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
    if (!linked && o.contains("t")) viewTime_->setT(sessionNumber(o, "t", session::kTime, 1.0));
  }
  if (o.contains("exact")) setExactDensity(o["exact"].toBool());
}

}  // namespace flowscope::gui
