#include "gui/views/compare/SideBySideView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "gui/plot/Colormap.h"
#include "gui/views/density/DensityScene.h"
#include "gui/views/density/DensityView.h"
#include "gui/services/RunManager.h"
#include "core/api/Queries.h"
#include "core/io/Csv.h"
#include "gui/views/SessionValue.h"

namespace flowscope::gui {

SideBySideView::SideBySideView(RunManager* runs, TimeController* time, AsyncQuery* queries, QWidget* parent)
    : QWidget(parent), runs_(runs), time_(time), queries_(queries) {
  setObjectName("sideBySide");
  auto* layout = new QVBoxLayout(this);
  auto* row = new QHBoxLayout;
  count_ = new QComboBox(this);
  count_->setObjectName("panelCount");
  for (int n = 2; n <= 4; ++n) count_->addItem(QString::number(n), n);
  row->addWidget(new QLabel("Runs side by side", this));
  row->addWidget(count_);
  row->addWidget(new QLabel("— same t, same noise x0, same axes, one color scale; pick each panel's run in it", this));
  row->addStretch();
  layout->addLayout(row);

  // One set of controls for every panel: comparing runs only means something with equal settings.
  auto* shared = new QHBoxLayout;
  auto combo = [&](const char* name, const QString& label, const QString& tip) {
    auto* c = new QComboBox(this);
    c->setObjectName(name);
    c->setToolTip(tip);
    auto* l = new QLabel(label, this);
    l->setBuddy(c);
    shared->addWidget(l);
    shared->addWidget(c);
    return c;
  };
  particles_ = combo("sharedParticles", tr("Particles"), tr("Samples from the same noise in every panel"));
  for (qlonglong n : {10000LL, 100000LL, 1000000LL})
    particles_->addItem(n >= 1000000 ? QString("%1M").arg(n / 1000000) : QString("%1k").arg(n / 1000), n);
  solver_ = combo("sharedSolver", tr("Solver"), tr("ODE solver of every panel's trajectories"));
  solver_->addItems(DensityView::solverNames());
  resolution_ = combo("sharedResolution", tr("Bins"), tr("Histogram resolution"));
  for (int b : {64, 128, 256, 512}) resolution_->addItem(QString::number(b), b);
  colormap_ = combo("sharedColormap", tr("Colormap"), tr("Perceptual colormap of every panel"));
  colormap_->addItems(Colormap::names());
  overlays_ = combo("sharedOverlays", tr("Paths"), tr("Trajectories drawn over each density"));
  for (int c : {0, 50, 200, 1000}) overlays_->addItem(QString::number(c), c);
  log_ = new QCheckBox(tr("Log density"), this);
  log_->setObjectName("sharedLog");
  shared->addWidget(log_);
  shared->addStretch();
  layout->addLayout(shared);
  auto edit = [this](auto change) {
    return [this, change] {
      PanelSettings s = settings_;
      change(s);
      setSettings(s);
    };
  };
  connect(particles_, qOverload<int>(&QComboBox::activated), this,
          edit([this](PanelSettings& s) { s.particles = particles_->currentData().toLongLong(); }));
  connect(solver_, qOverload<int>(&QComboBox::activated), this,
          edit([this](PanelSettings& s) { s.solver = solver_->currentText(); }));
  connect(resolution_, qOverload<int>(&QComboBox::activated), this,
          edit([this](PanelSettings& s) { s.resolution = resolution_->currentData().toInt(); }));
  connect(colormap_, qOverload<int>(&QComboBox::activated), this,
          edit([this](PanelSettings& s) { s.colormap = colormap_->currentText(); }));
  connect(overlays_, qOverload<int>(&QComboBox::activated), this,
          edit([this](PanelSettings& s) { s.overlays = overlays_->currentData().toInt(); }));
  connect(log_, &QCheckBox::toggled, this, edit([this](PanelSettings& s) { s.logScale = log_->isChecked(); }));

  grid_ = new QGridLayout;
  layout->addLayout(grid_, 1);
  connect(count_, &QComboBox::currentIndexChanged, this, [this] { setPanelCount(count_->currentData().toInt()); });
  // Frames change with t and with new weights; one shared maximum keeps the colors comparable.
  sync_.setInterval(100);
  connect(&sync_, &QTimer::timeout, this, &SideBySideView::synchronize);
  sync_.start();
  connect(runs_, &RunManager::runAdded, this, [this] { assignDefaultRuns(); });
  rebuild(2);
  // Start from a single density view's defaults (but without trajectories).
  settings_.particles = panels_.front()->particleCount();
  settings_.solver = panels_.front()->solver();
  settings_.resolution = panels_.front()->resolution();
  settings_.colormap = panels_.front()->colormapName();
  syncControls();
}

void SideBySideView::setSettings(const PanelSettings& settings) {
  settings_ = settings;
  settings_.particles = static_cast<int64_t>(session::kDensityParticles.clamp(static_cast<double>(settings.particles)));
  settings_.resolution = static_cast<int>(session::kDensityBins.clamp(settings.resolution));
  settings_.overlays = static_cast<int>(session::kOverlays.clamp(settings.overlays));
  for (DensityView* p : panels_) applySettings(p);
  syncControls();
}

void SideBySideView::applySettings(DensityView* panel) const {
  panel->setParticleCount(settings_.particles);
  if (!settings_.solver.isEmpty()) panel->setSolver(settings_.solver);
  panel->setResolution(settings_.resolution);
  if (!settings_.colormap.isEmpty()) panel->setColormap(settings_.colormap);
  panel->setLogScale(settings_.logScale);
  panel->setOverlayCount(settings_.overlays);
}

void SideBySideView::syncControls() {
  const auto select = [](QComboBox* c, const QVariant& v) {
    const QSignalBlocker block(c);
    const int i = c->findData(v);
    if (i >= 0) c->setCurrentIndex(i);
  };
  select(particles_, QVariant::fromValue<qlonglong>(settings_.particles));
  select(resolution_, settings_.resolution);
  select(overlays_, settings_.overlays);
  {
    const QSignalBlocker block(solver_);
    if (!settings_.solver.isEmpty()) solver_->setCurrentText(settings_.solver);
  }
  {
    const QSignalBlocker block(colormap_);
    if (!settings_.colormap.isEmpty()) colormap_->setCurrentText(settings_.colormap);
  }
  const QSignalBlocker block(log_);
  log_->setChecked(settings_.logScale);
}

void SideBySideView::setPanelCount(int n) {
  n = std::clamp(n, 2, 4);
  if (n == panelCount()) return;
  count_->setCurrentIndex(n - 2);
  rebuild(n);
}

void SideBySideView::rebuild(int count) {
  QList<int> previous;
  for (DensityView* p : panels_) {
    previous << p->run();
    grid_->removeWidget(p);
    p->deleteLater();
  }
  panels_.clear();
  const int columns = 2;
  for (int i = 0; i < count; ++i) {
    auto* view = new DensityView(runs_, time_, queries_, this);
    view->setObjectName(QString("sideBySidePanel%1").arg(i));
    applySettings(view);
    view->setCompactControls(true);
    grid_->addWidget(view, i / columns, i % columns);
    panels_.push_back(view);
  }
  setRuns(previous);
  assignDefaultRuns();
}

void SideBySideView::assignDefaultRuns() {
  // Panels without an explicit run take the runs in order, so two runs fill two panels.
  const QList<int> ids = runs_->runIds(RunKind::Points);
  for (size_t i = 0; i < panels_.size() && i < static_cast<size_t>(ids.size()); ++i)
    if (panels_[i]->run() < 0 || !runs_->run(panels_[i]->run())) panels_[i]->setRun(ids[static_cast<int>(i)]);
  synchronize();
}

void SideBySideView::setRuns(const QList<int>& ids) {
  for (int i = 0; i < ids.size() && i < panelCount(); ++i)
    if (ids[i] >= 0 && runs_->run(ids[i])) panels_[static_cast<size_t>(i)]->setRun(ids[i]);
  synchronize();
}

void SideBySideView::synchronize() {
  // Same axes: the union of the shown runs' data ranges, padded like a single view's.
  bool any = false;
  ViewBounds u{1e300, -1e300, 1e300, -1e300};
  for (DensityView* p : panels_) {
    const RunRecord* r = runs_->run(p->run());
    if (!r) continue;
    const ViewBounds b = dataBounds(r->config.data);
    u = {std::min(u.xmin, b.xmin), std::max(u.xmax, b.xmax), std::min(u.ymin, b.ymin), std::max(u.ymax, b.ymax)};
    any = true;
  }
  if (any) {
    const double px = 0.1 * (u.xmax - u.xmin), py = 0.1 * (u.ymax - u.ymin);
    const ViewBounds padded{u.xmin - px, u.xmax + px, u.ymin - py, u.ymax + py};
    for (DensityView* p : panels_)
      if (!(p->range() == padded)) p->setCustomRange(padded);
  }
  // One color scale: the largest density any panel shows now.
  double vmax = 0;
  for (DensityView* p : panels_)
    if (p->scene().hasData()) vmax = std::max(vmax, p->scene().frameMax());
  if (vmax > 0 && std::abs(vmax - sharedMax_) > 1e-9 * vmax) {
    sharedMax_ = vmax;
    for (DensityView* p : panels_) p->setColorMax(sharedMax_);
  }
}

QSize SideBySideView::exportSize() const {
  const int rows = (panelCount() + 1) / 2;
  return {1400, 620 * rows};
}

QRectF SideBySideView::exportCell(const QRectF& target, int i) const {
  const int columns = 2, rows = (panelCount() + 1) / 2;
  const double w = target.width() / columns, h = target.height() / rows;
  return QRectF(target.left() + (i % columns) * w, target.top() + (i / columns) * h, w, h);
}

void SideBySideView::renderExport(QPainter& painter, const QRectF& target) {
  for (int i = 0; i < panelCount(); ++i) {
    painter.save();
    painter.setClipRect(exportCell(target, i));  // each panel in its own cell
    panels_[static_cast<size_t>(i)]->renderExport(painter, exportCell(target, i));
    painter.restore();
  }
}

std::vector<QRectF> SideBySideView::exportTextRects(const QRectF& target) {
  std::vector<QRectF> out;
  for (int i = 0; i < panelCount(); ++i)
    for (const QRectF& r : panels_[static_cast<size_t>(i)]->exportTextRects(exportCell(target, i))) out.push_back(r);
  return out;
}

QString SideBySideView::exportCsv() const {
  QString csv = "panel,run,";
  bool header = false;
  for (int i = 0; i < panelCount(); ++i) {
    const DensityView* p = panels_[static_cast<size_t>(i)];
    const RunRecord* r = runs_->run(p->run());
    const QStringList lines = p->exportCsv().split('\n', Qt::SkipEmptyParts);
    if (lines.isEmpty()) continue;
    if (!header) {
      csv += lines.front() + "\n";
      header = true;
    }
    // Run names are the user's: a comma or a quote in one must not shift the columns.
    const QString run = QString::fromStdString(csvEscape(r ? r->name.toStdString() : std::string()));
    for (int k = 1; k < lines.size(); ++k) csv += QString("%1,%2,%3\n").arg(i).arg(run, lines[k]);
  }
  return header ? csv : csv + "\n";
}

void SideBySideView::refreshForExport() {
  for (DensityView* p : panels_) p->refreshForExport();
}

QString SideBySideView::failure() const {
  for (size_t i = 0; i < panels_.size(); ++i)
    if (const QString why = panels_[i]->failure(); !why.isEmpty()) return QString("panel %1: %2").arg(i + 1).arg(why);
  return {};
}

bool SideBySideView::isBusy() const {
  return std::any_of(panels_.begin(), panels_.end(), [](const DensityView* p) { return p->isBusy(); });
}

QJsonObject SideBySideView::saveState() const {
  QJsonObject s;
  s["panels"] = panelCount();
  QJsonArray runs;
  for (const DensityView* p : panels_) {
    const RunRecord* r = runs_->run(p->run());
    runs.append(r ? r->name : QString());
  }
  s["runs"] = runs;
  s["particles"] = static_cast<double>(settings_.particles);
  s["solver"] = settings_.solver;
  s["resolution"] = settings_.resolution;
  s["colormap"] = settings_.colormap;
  s["log"] = settings_.logScale;
  s["overlays"] = settings_.overlays;
  return s;
}

void SideBySideView::restoreState(const QJsonObject& s) {
  // Every number through the session ranges (gui/views/SessionValue.h): the file may be hostile.
  setPanelCount(static_cast<int>(sessionInteger(s, "panels", session::kPanels, 2)));
  PanelSettings p = settings_;
  p.particles = sessionInteger(s, "particles", session::kDensityParticles, p.particles);
  p.solver = s.value("solver").toString(p.solver);
  p.resolution = static_cast<int>(sessionInteger(s, "resolution", session::kDensityBins, p.resolution));
  p.colormap = s.value("colormap").toString(p.colormap);
  p.logScale = s.value("log").toBool(p.logScale);
  p.overlays = static_cast<int>(sessionInteger(s, "overlays", session::kOverlays, p.overlays));
  setSettings(p);
  QList<int> ids;
  for (const QJsonValue& v : s.value("runs").toArray()) {
    int found = -1;
    for (int id : runs_->runIds(RunKind::Points))
      if (runs_->run(id)->name == v.toString()) found = id;
    ids << found;
  }
  setRuns(ids);
}

}  // namespace flowscope::gui
