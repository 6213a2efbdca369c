#include "gui/views/compare/CheckpointScrubView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QPainter>
#include <QPointer>
#include <QSlider>
#include <QVBoxLayout>

#include "gui/services/AsyncQuery.h"
#include "gui/views/density/DensityPlot.h"
#include "gui/services/RunManager.h"
#include "gui/services/TimeController.h"
#include "core/api/Queries.h"
#include "core/api/RunFolder.h"
#include "gui/views/SessionValue.h"

namespace flowscope::gui {
namespace {

constexpr int kStoredTimes = 65;
constexpr uint64_t kNoiseSeed = 0;  // the same noise x0 at every checkpoint

/// Paints the scene; the view's own canvas.
class ScrubCanvas : public QWidget {
 public:
  explicit ScrubCanvas(CheckpointScrubView* view) : QWidget(view), view_(view) {
    setMinimumSize(360, 320);
    setObjectName("checkpointCanvas");
  }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    p.setRenderHint(QPainter::Antialiasing);
    view_->paintScene(p, rect(), PlotStyle::forWidget(*this));
  }

 private:
  CheckpointScrubView* view_;
};

}  // namespace

CheckpointScrubView::CheckpointScrubView(RunManager* runs, TimeController* time, AsyncQuery* queries,
                                         QWidget* parent)
    : QWidget(parent), runs_(runs), queries_(queries), viewTime_(new ViewTime(time, this)) {
  setObjectName("checkpointScrub");
  auto* layout = new QVBoxLayout(this);
  auto* row = new QHBoxLayout;
  run_ = new QComboBox(this);
  run_->setObjectName("checkpointRun");
  checkpoint_ = new QSlider(Qt::Horizontal, this);
  checkpoint_->setObjectName("checkpointSlider");
  checkpointLabel_ = new QLabel(this);
  checkpointLabel_->setMinimumWidth(130);
  linked_ = new QCheckBox("linked t", this);
  linked_->setChecked(true);
  linked_->setToolTip("follow the global time (unlink to scrub this view alone)");
  row->addWidget(new QLabel("Run", this));
  row->addWidget(run_);
  row->addWidget(new QLabel("Checkpoint", this));
  row->addWidget(checkpoint_, 1);
  row->addWidget(checkpointLabel_);
  row->addWidget(linked_);
  layout->addLayout(row);
  canvas_ = new ScrubCanvas(this);
  layout->addWidget(canvas_, 1);

  scene_.setResolution(128);
  scene_.setOverlayCount(0);
  connect(run_, &QComboBox::currentIndexChanged, this, [this] { setRun(run_->currentData().toInt()); });
  connect(checkpoint_, &QSlider::valueChanged, this, [this] { request(); });
  connect(linked_, &QCheckBox::toggled, viewTime_, &ViewTime::setLinked);
  connect(viewTime_, &ViewTime::timeChanged, this, [this](double t) {
    scene_.setTime(t);
    canvas_->update();
  });
  auto addRun = [this](int id) {
    if (!runs_->isKind(id, RunKind::Points)) return;  // image runs have their own views
    if (const RunRecord* r = runs_->run(id)) run_->addItem(r->name, id);
  };
  for (int id : runs_->runIds(RunKind::Points)) addRun(id);
  connect(runs_, &RunManager::runAdded, this, addRun);
  connect(runs_, &RunManager::runRemoved, this, [this](int id) {
    const int i = run_->findData(id);
    if (i >= 0) run_->removeItem(i);
  });
  // A checkpoint written by a training run shows up as a new slider position.
  connect(runs_, &RunManager::statusChanged, this, [this](int id) {
    if (id == runId_) reloadCheckpoints();
  });
  scene_.setTime(viewTime_->t());
}

void CheckpointScrubView::setRun(int id) {
  const RunRecord* r = runs_->run(id);
  if (!r) return;
  runId_ = id;
  runDir_ = r->runDir;
  cache_.clear();
  const int i = run_->findData(id);
  if (i >= 0 && run_->currentIndex() != i) run_->setCurrentIndex(i);
  const ViewBounds b = dataBounds(r->config.data);
  const double padX = 0.1 * (b.xmax - b.xmin), padY = 0.1 * (b.ymax - b.ymin);
  scene_.setRange({b.xmin - padX, b.xmax + padX, b.ymin - padY, b.ymax + padY});
  reloadCheckpoints();
  setCheckpointIndex(static_cast<int>(steps_.size()) - 1);
  request();
}

void CheckpointScrubView::reloadCheckpoints() {
  if (runDir_.isEmpty()) return;
  const std::vector<int64_t> steps = runCheckpointSteps(runDir_.toStdString());
  if (steps == steps_) return;
  const bool atEnd = steps_.empty() || checkpoint_->value() == checkpoint_->maximum();
  steps_ = steps;
  checkpoint_->setRange(0, std::max(0, static_cast<int>(steps_.size()) - 1));
  if (atEnd) checkpoint_->setValue(checkpoint_->maximum());
  checkpointLabel_->setText(steps_.empty() ? "no checkpoints" : QString("step %1").arg(steps_[static_cast<size_t>(checkpointIndex())]));
}

void CheckpointScrubView::setCheckpointIndex(int index) { checkpoint_->setValue(index); }

void CheckpointScrubView::setParticleCount(int64_t n) {
  particles_ = static_cast<int64_t>(session::kScrubParticles.clamp(static_cast<double>(n)));
  cache_.clear();
  request();
}

int CheckpointScrubView::checkpointIndex() const { return checkpoint_->value(); }

std::vector<int64_t> CheckpointScrubView::cachedSteps() const {
  std::vector<int64_t> out;
  for (const auto& [step, traj] : cache_) out.push_back(step);
  return out;
}

void CheckpointScrubView::request() {
  if (steps_.empty()) {
    update();
    return;
  }
  if (!isVisible() && !forceVisible_) {
    staleWhileHidden_ = true;  // computed when shown (or exported), not behind the user's back
    return;
  }
  const int index = std::clamp(checkpointIndex(), 0, static_cast<int>(steps_.size()) - 1);
  const int64_t step = steps_[static_cast<size_t>(index)];
  checkpointLabel_->setText(QString("step %1 (%2 of %3)").arg(step).arg(index + 1).arg(steps_.size()));
  if (cache_.count(step)) {
    showCurrent();
    prefetch(index);
    return;
  }
  // Latest request wins: dragging the slider fast computes only where it stops.
  const QString dir = runDir_;
  const int64_t n = particles_;
  awaiting_ = true;  // only the newest request calls back, so one flag tracks it
  QPointer<CheckpointScrubView> self(this);
  queries_->submit<std::shared_ptr<const Trajectories>>(
      "checkpoint-scrub",
      [dir, step, n](const std::atomic<bool>& cancel) {
        const FlowModelPtr model = loadFlowModel(dir.toStdString(), std::to_string(step));
        return std::make_shared<const Trajectories>(
            computeTrajectories(*model, n, kNoiseSeed, kStoredTimes, SolverSpec{}, n, {}, &cancel));
      },
      [self, step, index](std::shared_ptr<const Trajectories> t) {
        if (!self) return;
        self->awaiting_ = false;
        self->failure_.clear();
        if (t && t->complete) self->cache_[step] = std::move(t);
        self->showCurrent();
        self->prefetch(index);
      },
      [self, step](const QString& error) {
        if (!self) return;
        // Shown in the plot and reported by a scripted export, never swallowed.
        self->awaiting_ = false;
        self->failure_ = QString("Trajectories of checkpoint step %1 failed: %2").arg(step).arg(error);
        self->canvas_->update();
        Q_EMIT self->sceneUpdated();
      });
}

void CheckpointScrubView::refreshForExport() {
  if (!staleWhileHidden_) return;
  staleWhileHidden_ = false;
  // Export renders the panel without showing it: compute the current checkpoint regardless.
  forceVisible_ = true;
  request();
  forceVisible_ = false;
}

void CheckpointScrubView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (staleWhileHidden_) {
    staleWhileHidden_ = false;
    request();
  }
}

void CheckpointScrubView::prefetch(int index) {
  if (!isVisible()) return;
  // Neighbours next, so stepping through checkpoints stays instant.
  for (int j : {index + 1, index - 1}) {
    if (j < 0 || j >= static_cast<int>(steps_.size())) continue;
    const int64_t step = steps_[static_cast<size_t>(j)];
    if (cache_.count(step)) continue;
    const QString dir = runDir_;
    const int64_t n = particles_;
    queries_->submit<std::shared_ptr<const Trajectories>>(
        QString("checkpoint-prefetch-%1").arg(j > index ? "next" : "prev"),
        [dir, step, n](const std::atomic<bool>& cancel) {
          const FlowModelPtr model = loadFlowModel(dir.toStdString(), std::to_string(step));
          return std::make_shared<const Trajectories>(
              computeTrajectories(*model, n, kNoiseSeed, kStoredTimes, SolverSpec{}, n, {}, &cancel));
        },
        [self = QPointer<CheckpointScrubView>(this), step](std::shared_ptr<const Trajectories> t) {
          if (self && t && t->complete) self->cache_[step] = std::move(t);
        });
  }
}

void CheckpointScrubView::showCurrent() {
  if (steps_.empty()) return;
  const int64_t step = steps_[static_cast<size_t>(std::clamp(checkpointIndex(), 0, static_cast<int>(steps_.size()) - 1))];
  auto it = cache_.find(step);
  if (it == cache_.end()) return;
  scene_.setTrajectories(it->second);
  scene_.setTime(viewTime_->t());
  canvas_->update();
  Q_EMIT sceneUpdated();
}

QString CheckpointScrubView::title() const {
  const RunRecord* r = runs_->run(runId_);
  if (!r || steps_.empty()) return "checkpoint x time: open a run with checkpoints";
  const int64_t step = steps_[static_cast<size_t>(std::clamp(checkpointIndex(), 0, static_cast<int>(steps_.size()) - 1))];
  return QString("p_t at t = %1 — %2, checkpoint step %3").arg(viewTime_->t(), 0, 'f', 3).arg(r->name).arg(step);
}

DensityLabels CheckpointScrubView::labels() const {
  DensityLabels labels;
  labels.title = title();
  if (!failure_.isEmpty()) labels.status = failure_;
  else if (isBusy() && !scene_.hasData()) labels.status = QString::fromUtf8("Computing trajectories\u2026");
  return labels;
}

void CheckpointScrubView::paintScene(QPainter& painter, const QRectF& target, const PlotStyle& style) {
  DensityPlot(target, scene_, labels(), style).paintAll(painter);
}

std::vector<QRectF> CheckpointScrubView::exportTextRects(const QRectF& target) {
  return DensityPlot(target, scene_, labels(), PlotStyle::forExport(font())).frame().textRects();
}

void CheckpointScrubView::renderExport(QPainter& painter, const QRectF& target) {
  paintScene(painter, target, PlotStyle::forExport(font()));
}

QString CheckpointScrubView::exportCsv() const {
  QString csv = "x,y,density\n";
  if (!scene_.hasData()) return csv;
  const auto& d = scene_.density();
  const int bins = scene_.resolution();
  const ViewBounds b = scene_.range();
  for (int j = 0; j < bins; ++j)
    for (int i = 0; i < bins; ++i)
      csv += QString("%1,%2,%3\n")
                 .arg(b.xmin + (i + 0.5) * (b.xmax - b.xmin) / bins)
                 .arg(b.ymin + (j + 0.5) * (b.ymax - b.ymin) / bins)
                 .arg(d[static_cast<size_t>(j) * bins + i]);
  return csv;
}

QJsonObject CheckpointScrubView::saveState() const {
  QJsonObject s;
  s["run"] = run_->currentText();
  s["checkpoint"] = checkpointIndex();
  s["linked"] = linked_->isChecked();
  s["particles"] = static_cast<double>(particles_);
  return s;
}

void CheckpointScrubView::restoreState(const QJsonObject& s) {
  // Every number through the session ranges (gui/views/SessionValue.h): the file may be hostile.
  const int64_t particles = sessionInteger(s, "particles", session::kScrubParticles, 20000);
  if (particles != particles_) {
    particles_ = particles;
    cache_.clear();
  }
  linked_->setChecked(s.value("linked").toBool(true));
  const int i = run_->findText(s.value("run").toString());
  if (i >= 0) run_->setCurrentIndex(i);
  if (s.contains("checkpoint"))
    setCheckpointIndex(static_cast<int>(sessionInteger(s, "checkpoint", session::kCheckpointIndex, 0)));
}

}  // namespace flowscope::gui
