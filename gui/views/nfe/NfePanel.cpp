#include "gui/views/nfe/NfePanel.h"

#include <QHBoxLayout>
#include <QJsonObject>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "core/api/Queries.h"
#include "gui/plot/ChartView.h"
#include "gui/plot/LegendView.h"
#include "gui/plot/TickFormat.h"
#include "gui/services/RunManager.h"
#include "gui/views/nfe/NfeChart.h"
#include "gui/views/nfe/NfeFigure.h"
#include "gui/views/nfe/NfeStripView.h"
#include "gui/views/nfe/NfeSweepForm.h"

namespace flowscope::gui {

NfePanel::NfePanel(RunManager* runs, AsyncQuery* queries, QWidget* parent)
    : QWidget(parent), runs_(runs), job_(new NfeSweepJob(queries, this)) {
  setObjectName("nfePanel");
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);

  form_ = new NfeSweepForm;
  auto* controls = new QScrollArea(this);
  controls->setWidget(form_);
  controls->setWidgetResizable(true);
  controls->setFrameShape(QFrame::NoFrame);
  controls->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  controls->setFixedWidth(290);
  layout->addWidget(controls);

  const auto makeChart = [this](const QString& name) {
    auto* view = new ChartView(this);
    view->setObjectName(name);
    view->setMinimumSize(260, 220);
    view->readout = [](const LineSeries& s, const QPointF& v) {
      return QString("%1\nNFE %2\n%3 = %4").arg(s.name).arg(v.x()).arg(s.quantity, formatValue(v.y()));
    };
    return view;
  };
  errorChart_ = makeChart("errorChart");
  qualityChart_ = makeChart("qualityChart");
  legend_ = new LegendView(this);
  legend_->setObjectName("legend");
  auto* charts = new QWidget(this);
  auto* chartsLayout = new QVBoxLayout(charts);
  chartsLayout->setContentsMargins(0, 0, 0, 0);
  chartsLayout->setSpacing(2);
  auto* row = new QHBoxLayout;
  row->addWidget(errorChart_, 1);
  row->addWidget(qualityChart_, 1);
  chartsLayout->addLayout(row, 1);
  chartsLayout->addWidget(legend_);

  strip_ = new NfeStripView(scene_);
  auto* stripScroll = new QScrollArea(this);
  stripScroll->setWidget(strip_);
  stripScroll->setWidgetResizable(true);
  stripScroll->setFrameShape(QFrame::NoFrame);
  stripScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(charts);
  splitter->addWidget(stripScroll);
  splitter->setStretchFactor(0, 1);
  splitter->setStretchFactor(1, 1);
  splitter->setChildrenCollapsible(false);
  splitter->setSizes({520, 380});  // room for a row of the strip below the charts
  layout->addWidget(splitter, 1);

  connect(form_, &NfeSweepForm::sweepRequested, this, &NfePanel::runSweep);
  connect(form_, &NfeSweepForm::cancelRequested, this, &NfePanel::cancel);
  connect(form_, &NfeSweepForm::stripRequested, this, &NfePanel::runStrip);
  connect(form_, &NfeSweepForm::metricActivated, this, &NfePanel::setQualityMetric);
  connect(job_, &NfeSweepJob::progress, form_, &NfeSweepForm::setProgress);
  connect(job_, &NfeSweepJob::resultReady, this, [this](const QString& run, const QColor& color, const SweepResult& r) {
    scene_.addResult(run, color, r);
    redraw();
  });
  connect(job_, &NfeSweepJob::sweepFinished, this, &NfePanel::onSweepFinished);
  connect(job_, &NfeSweepJob::stripRowReady, this, [this](const NfeStripRow& r) {
    scene_.addStripRow(r);
    redraw();
  });
  connect(job_, &NfeSweepJob::stripFinished, this, [this] {
    redraw();
    Q_EMIT stripFinished();
  });
  connect(job_, &NfeSweepJob::failed, this, [this](const QString& what, const QString& error) {
    form_->setStatus(QString("The %1 failed: %2").arg(what, error), true);
    redraw();
  });
  if (runs_) {
    for (int id : runs_->runIds()) addRun(id);
    connect(runs_, &RunManager::runAdded, this, &NfePanel::addRun);
    connect(runs_, &RunManager::weightsUpdated, this, &NfePanel::addRun);  // no-op when listed
    connect(runs_, &RunManager::runRemoved, form_, &NfeSweepForm::removeRun);
  }
  redraw();
}

NfePanel::~NfePanel() = default;

void NfePanel::addRun(int id) {
  const RunRecord* r = runs_ ? runs_->run(id) : nullptr;
  if (r && r->weights) form_->addRun(id, r->name, r->color);  // only runs that can be sampled
}

std::vector<NfeRunJob> NfePanel::checkedRuns() const {
  std::vector<NfeRunJob> jobs;
  for (int id : form_->checkedRunIds())
    if (const RunRecord* r = runs_ ? runs_->run(id) : nullptr; r && r->weights) jobs.push_back({r->name, r->color, r->weights});
  return jobs;
}

bool NfePanel::isBusy() const { return job_->busy(); }

// ---- the form ---------------------------------------------------------------------------------

void NfePanel::setSpec(const SweepSpec& spec) { form_->setSpec(spec); }

SweepSpec NfePanel::spec() const {
  SweepSpec s;
  form_->readSpec(s, nullptr);
  return s;
}

QString NfePanel::fieldMessage(const QString& field) const { return form_->fieldMessage(field); }
QStringList NfePanel::runNames() const { return form_->runNames(); }
void NfePanel::setRunChecked(const QString& name, bool checked) { form_->setRunChecked(name, checked); }
bool NfePanel::isRunChecked(const QString& name) const { return form_->isRunChecked(name); }
void NfePanel::setStripSolver(const QString& solver) { form_->setStripSolver(solver); }
QString NfePanel::stripSolver() const { return form_->stripSolver(); }
void NfePanel::setStripPoints(int n) { form_->setStripPoints(n); }
int NfePanel::stripPoints() const { return form_->stripPoints(); }

void NfePanel::setQualityMetric(const QString& key) {
  scene_.setMetric(key);
  redraw();
}

// ---- jobs -------------------------------------------------------------------------------------

void NfePanel::runSweep() {
  form_->validate();
  SweepSpec s;
  QString error;
  if (!form_->readSpec(s, &error)) {
    form_->setStatus(error, true);
    return;
  }
  std::vector<NfeRunJob> jobs = checkedRuns();
  if (jobs.empty() || !job_->available()) {
    form_->setStatus("Check at least one run with weights to sweep.", true);
    return;
  }
  scene_.startSweep(QString::fromStdString(s.reference));
  scene_.startStrip(form_->stripSolver());
  const size_t n = jobs.size();
  const int total = job_->startSweep(std::move(jobs), s);
  form_->setProgress(0, total);
  form_->setStatus(QString("Sweeping %1 run(s): %2 solves each...").arg(n).arg(n ? total / static_cast<int>(n) : 0));
  redraw();
}

void NfePanel::onSweepFinished() {
  form_->finishProgress();
  const int64_t refNfe = scene_.results().empty() ? 0 : scene_.results().front().second.referenceNfe;
  form_->setStatus(QString("Swept %1 run(s); reference %2 (%3 NFE).")
                       .arg(scene_.results().size())
                       .arg(scene_.reference())
                       .arg(refNfe));
  runStrip();  // before the signal, so isBusy() stays true until the strip is in
  redraw();
  Q_EMIT sweepFinished();
}

void NfePanel::runStrip() {
  std::vector<NfeRunJob> jobs = checkedRuns();
  // The strip scatters 2D samples; image runs have the Image NFE tab (Figures 16-17).
  const bool any = !jobs.empty();
  jobs.erase(std::remove_if(jobs.begin(), jobs.end(), [](const NfeRunJob& j) { return !isPointData(j.model->config().data); }),
             jobs.end());
  if (any && jobs.empty()) return;  // only image runs: nothing to scatter
  if (jobs.empty() || !job_->available()) {
    form_->setStatus("Check at least one run with weights for the strip.", true);
    return;
  }
  scene_.startStrip(form_->stripSolver());
  job_->startStrip(std::move(jobs), form_->stripSolver(), form_->stripPoints(), form_->seed());
  redraw();
}

void NfePanel::cancel() {
  if (isBusy()) form_->setStatus(QString("Cancelled; %1 run(s) finished before.").arg(scene_.results().size()));
  job_->cancel();
  redraw();
}

// ---- drawing ----------------------------------------------------------------------------------

void NfePanel::redraw() {
  errorChart_->setChart(NfeChart::build(scene_, NfeScene::Chart::Error, job_->sweeping()));
  qualityChart_->setChart(NfeChart::build(scene_, NfeScene::Chart::Quality, job_->sweeping()));
  legend_->setEntries(NfeChart::legend(scene_, mixColors(palette().color(QPalette::Base), palette().color(QPalette::Text), 0.75)));
  strip_->refresh(job_->sampling());
  form_->setMetricKeys(scene_.metricKeys(), scene_.metric());
  form_->setBusy(job_->sweeping(), job_->sampling());
}

QVector<QPointF> NfePanel::plottedPoints(const QString& run, const QString& solver, const QString& chart) const {
  return scene_.points(run, solver, chart == "quality" ? NfeScene::Chart::Quality : NfeScene::Chart::Error);
}

ChartView* NfePanel::chartView(const QString& chart) const {
  return chart == "error" ? errorChart_ : chart == "quality" ? qualityChart_ : nullptr;
}

NfeFigure NfePanel::figure() const {
  NfeFigure f(scene_, job_->sweeping(), job_->sampling(), PlotStyle::forExport(font()));
  return f;
}

QSize NfePanel::exportSize() const { return {1100, static_cast<int>(std::ceil(figure().naturalHeight(1100)))}; }

void NfePanel::renderExport(QPainter& painter, const QRectF& target) { figure().paint(painter, target); }

QString NfePanel::exportCsv() const {
  std::vector<std::pair<std::string, SweepResult>> runs;
  for (const auto& [name, r] : scene_.results()) runs.emplace_back(name.toStdString(), r);
  return QString::fromStdString(sweepCsv(runs));
}

// ---- session state ----------------------------------------------------------------------------

QJsonObject NfePanel::saveState() const {
  QJsonObject o = form_->saveState();
  o["metric"] = scene_.chosenMetric();
  return o;
}

void NfePanel::restoreState(const QJsonObject& o) {
  form_->restoreState(o);
  if (o.contains("metric")) setQualityMetric(o["metric"].toString());
}

}  // namespace flowscope::gui
