#include "gui/views/images/ImageCheckpointView.h"

#include <QComboBox>
#include <QJsonDocument>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>


#include "core/api/RunFolder.h"
#include "gui/services/AsyncQuery.h"
#include "gui/services/RunManager.h"
#include "gui/services/TimeController.h"
#include "gui/views/SessionValue.h"
#include "gui/views/images/ImageNoiseControls.h"
#include "gui/views/images/TileGridCanvas.h"

namespace flowscope::gui {

namespace {
/// At most `k` of `steps`, evenly spread, always with the first and the last.
std::vector<int64_t> spread(const std::vector<int64_t>& steps, size_t k) {
  if (steps.size() <= k) return steps;
  std::vector<int64_t> out;
  for (size_t i = 0; i < k; ++i) out.push_back(steps[i * (steps.size() - 1) / (k - 1)]);
  return out;
}
}  // namespace

ImageCheckpointView::ImageCheckpointView(RunManager* runs, TimeController* time, AsyncQuery* queries, QWidget* parent)
    : QWidget(parent), runs_(runs), queries_(queries), viewTime_(new ViewTime(time, this)) {
  setObjectName("imageCheckpointView");
  auto* layout = new QVBoxLayout(this);
  auto* row = new QHBoxLayout;
  run_ = new QComboBox(this);
  run_->setObjectName("imageCheckpointRun");
  noise_ = new ImageNoiseControls(8, this);
  row->addWidget(new QLabel("Run", this));
  row->addWidget(run_);
  row->addWidget(noise_);
  row->addStretch(1);
  layout->addLayout(row);
  status_ = new QLabel(this);
  layout->addWidget(status_);
  canvas_ = new TileGridCanvas(this);
  layout->addWidget(canvas_, 1);
  scene_.setLayout(ImagePathScene::Layout::AtT);
  scene_.setTime(viewTime_->t());
  connect(viewTime_, &ViewTime::timeChanged, this, [this](double t) {
    scene_.setTime(t);
    redraw();
  });
  auto addRun = [this](int id) {
    if (const RunRecord* r = runs_->run(id); r && runs_->isKind(id, RunKind::Images) && run_->findData(id) < 0) {
      run_->addItem(r->name, id);
      if (run_->count() == 1) reload();
    }
  };
  for (int id : runs_->runIds(RunKind::Images)) addRun(id);
  connect(runs_, &RunManager::runAdded, this, addRun);
  connect(runs_, &RunManager::runRemoved, this, [this](int id) {
    if (const int i = run_->findData(id); i >= 0) run_->removeItem(i);
  });
  // A checkpoint written while training shows up as a row.
  connect(runs_, &RunManager::statusChanged, this, [this](int id) {
    if (id == run()) reload();
  });
  connect(run_, &QComboBox::currentIndexChanged, this, [this] {
    paths_.clear();
    steps_.clear();
    reload();
  });
  connect(noise_, &ImageNoiseControls::changed, this, [this] { request(); });
  redraw();
}

void ImageCheckpointView::setRun(int id) {
  if (const int i = run_->findData(id); i >= 0) run_->setCurrentIndex(i);
}
int ImageCheckpointView::run() const { return run_->count() ? run_->currentData().toInt() : -1; }

void ImageCheckpointView::reload() {
  const RunRecord* r = runs_->run(run());
  if (!r) return;
  const std::vector<int64_t> steps = spread(runCheckpointSteps(r->runDir.toStdString()), kMaxCheckpoints);
  if (steps == steps_ && !paths_.empty()) return;
  steps_ = steps;
  QStringList names;
  if (r->weights && modelClasses(*r->weights) > 0)
    for (const std::string& n : imageClassNames(r->config.data)) names << QString::fromStdString(n);
  noise_->setClassNames(names);
  request();
}

void ImageCheckpointView::request() {
  const RunRecord* r = runs_->run(run());
  if (!r) return;
  if (!isVisible()) {
    stale_ = true;
    return;
  }
  const int64_t classes = r->weights ? modelClasses(*r->weights) : 0;
  const ImageNoise noise = noise_->noise(classes);
  const QString key = QString::fromUtf8(QJsonDocument(noise_->saveState()).toJson(QJsonDocument::Compact));
  if (key != noiseKey_) paths_.clear();
  noiseKey_ = key;
  std::vector<PathRun> rows;
  for (int64_t step : steps_) {
    auto it = paths_.find(step);
    rows.push_back({QString("step %1").arg(step), QColor(), it == paths_.end() ? nullptr : it->second});
  }
  scene_.setRuns(std::move(rows));
  scene_.setWrap(noise.count);
  redraw();
  const std::string dir = r->runDir.toStdString();
  for (size_t k = 0; k < steps_.size(); ++k) {
    const int64_t step = steps_[k];
    if (paths_.count(step)) continue;
    inFlight_.insert(step);
    queries_->submit<std::shared_ptr<const ImagePath>>(
        QString("imageckpt:%1").arg(step),
        [dir, step, noise](const std::atomic<bool>& cancel) {
          const FlowModelPtr model = loadFlowModel(dir, std::to_string(step));
          return std::make_shared<const ImagePath>(
              computeImagePath(*model, noise, kStoredTimes, {"midpoint", 32}, false, &cancel));
        },
        [this, step, k, dir](std::shared_ptr<const ImagePath> path) {
          inFlight_.erase(step);
          const RunRecord* now = runs_->run(run());
          if (!path || !path->complete || !now || now->runDir.toStdString() != dir) return;  // another run by now
          paths_[step] = path;
          if (k < steps_.size() && steps_[k] == step) scene_.setPath(k, path);
          status_->setText(QString("%1 checkpoints, %2 images each from seed %3")
                               .arg(steps_.size()).arg(path->count).arg(noise_->seed()));
          redraw();
        },
        [this, step](QString error) {
          inFlight_.erase(step);
          failure_ = QString("Checkpoint %1 failed: %2").arg(step).arg(error);
          status_->setText(failure_);
        });
  }
}

TileGrid ImageCheckpointView::figureGrid() const {
  TileGrid g = scene_.grid();
  if (!g.empty()) g.title = QString("The same noise across checkpoints at t = %1").arg(scene_.time(), 0, 'f', 3);
  return g;
}

void ImageCheckpointView::redraw() { canvas_->setGrid(figureGrid()); }

void ImageCheckpointView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (stale_) {
    stale_ = false;
    request();
  }
}

void ImageCheckpointView::refreshForExport() {
  if (stale_) {
    stale_ = false;
    request();
  }
}


QString ImageCheckpointView::exportCsv() const {
  QString csv = "checkpoint_step,nfe,t\n";
  for (const PathRun& r : scene_.runs())
    if (r.path && r.path->complete) csv += QString("%1,%2,%3\n").arg(r.path->step).arg(r.path->nfe).arg(scene_.time(), 0, 'g', 9);
  return csv;
}

std::vector<ExportArray> ImageCheckpointView::exportArrays() const {
  ExportArray a{"-states", {}, {}};
  a.values = scene_.exportStates(ImageKind::State, a.shape);
  if (a.values.empty()) return {};
  return {a};
}

QJsonObject ImageCheckpointView::saveState() const {
  const RunRecord* r = runs_->run(run());
  return {{"noise", noise_->saveState()}, {"run", r ? r->runDir : QString()}};
}

void ImageCheckpointView::restoreState(const QJsonObject& s) {
  for (int id : runs_->runIds(RunKind::Images))
    if (runs_->run(id)->runDir == s.value("run").toString()) setRun(id);
  noise_->restoreState(s.value("noise").toObject());
}

}  // namespace flowscope::gui
