#include "gui/views/images/ImagePathView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

#include "gui/services/AsyncQuery.h"
#include "gui/services/RunManager.h"
#include "gui/services/TimeController.h"
#include "gui/views/SessionValue.h"
#include "gui/views/images/ImageInspector.h"
#include "gui/views/images/ImageNoiseControls.h"
#include "gui/views/images/TileGridCanvas.h"

namespace flowscope::gui {

namespace {
constexpr int kRunIdRole = Qt::UserRole;

QString requestKey(const FlowModel& model, const ImageNoise& n, const QString& solver, bool prediction) {
  QString labels;
  for (int64_t l : n.labels) labels += QString::number(l) + ",";
  return QString("%1|%2|%3|%4|%5|%6|%7").arg(model.id()).arg(n.count).arg(n.seed).arg(labels).arg(n.guidance)
      .arg(solver).arg(prediction);
}
}  // namespace

QStringList ImagePathView::solverNames() { return {"midpoint 50", "euler 100", "rk4 25", "dopri5 1e-5"}; }

SolverSpec ImagePathView::solverSpec(const QString& name) {
  const QStringList parts = name.split(' ');
  SolverSpec s;
  s.solver = parts.value(0, "midpoint").toStdString();
  if (s.solver == "dopri5") {
    s.atol = s.rtol = parts.value(1, "1e-5").toDouble();
    s.steps = 0;
  } else {
    s.steps = std::max(1, parts.value(1, "50").toInt());
  }
  return s;
}

int ImagePathView::storedTimes(int64_t count, int64_t imageSize, bool prediction) {
  const double bytesPerTime = static_cast<double>(count * imageSize) * 4.0 * (prediction ? 2 : 1);
  return std::clamp(static_cast<int>(256.0 * 1024 * 1024 / std::max(bytesPerTime, 1.0)), 9, 65);
}

ImagePathView::ImagePathView(RunManager* runs, TimeController* time, AsyncQuery* queries, QWidget* parent)
    : QWidget(parent), runs_(runs), queries_(queries), viewTime_(new ViewTime(time, this)) {
  setObjectName("imagePathView");
  auto* layout = new QVBoxLayout(this);
  auto* top = new QHBoxLayout;
  runList_ = new QListWidget(this);
  runList_->setObjectName("imageRuns");
  runList_->setMaximumHeight(84);
  runList_->setToolTip("Image runs: checked runs are shown as rows from the same noise");
  top->addWidget(runList_, 1);
  auto* settings = new QVBoxLayout;
  noise_ = new ImageNoiseControls(8, this);
  settings->addWidget(noise_);
  auto* row = new QHBoxLayout;
  solver_ = new QComboBox(this);
  solver_->setObjectName("imageSolver");
  solver_->addItems(solverNames());
  layout_ = new QComboBox(this);
  layout_->setObjectName("imageLayout");
  layout_->addItem("along t", static_cast<int>(ImagePathScene::Layout::AlongT));
  layout_->addItem("at t", static_cast<int>(ImagePathScene::Layout::AtT));
  columns_ = new QSpinBox(this);
  columns_->setRange(static_cast<int>(session::kImageColumns.lo), static_cast<int>(session::kImageColumns.hi));
  columns_->setValue(scene_.columns());
  columns_->setToolTip("Times along the path (columns)");
  rows_ = new QSpinBox(this);
  rows_->setRange(static_cast<int>(session::kImageRows.lo), static_cast<int>(session::kImageRows.hi));
  rows_->setValue(scene_.sampleRows());
  rows_->setToolTip("Samples shown along t (rows per run)");
  prediction_ = new QCheckBox("x1 prediction", this);
  prediction_->setObjectName("imagePrediction");
  prediction_->setToolTip("The model's prediction of the data point x1 from x_t (OT: x + (1 - t) v)");
  difference_ = new QCheckBox("difference", this);
  difference_->setObjectName("imageDifference");
  difference_->setToolTip("Per-pixel |a - b| between the first two checked runs");
  for (QWidget* w : std::initializer_list<QWidget*>{new QLabel("Solver", this), solver_, new QLabel("Layout", this), layout_,
                                                    new QLabel("Times", this), columns_, new QLabel("Rows", this), rows_,
                                                    prediction_, difference_})
    row->addWidget(w);
  row->addStretch(1);
  settings->addLayout(row);
  status_ = new QLabel(this);
  status_->setObjectName("imageStatus");
  settings->addWidget(status_);
  top->addLayout(settings, 3);
  layout->addLayout(top);
  canvas_ = new TileGridCanvas(this);
  layout->addWidget(canvas_, 1);

  connect(viewTime_, &ViewTime::timeChanged, this, [this](double t) {
    scene_.setTime(t);
    redraw();
    if (inspector_) inspector_->setTime(t);
  });
  connect(canvas_, &TileGridCanvas::tileClicked, this, [this](int row, int column) { inspectTile(row, column); });
  scene_.setTime(viewTime_->t());
  connect(runList_, &QListWidget::itemChanged, this, [this] { rebuildRows(); });
  connect(noise_, &ImageNoiseControls::changed, this, [this] { requestAll(); });
  connect(solver_, &QComboBox::currentIndexChanged, this, [this] { requestAll(); });
  connect(prediction_, &QCheckBox::toggled, this, [this](bool on) {
    scene_.setShowPrediction(on);
    requestAll();  // predictions are computed with the path
    redraw();
  });
  connect(difference_, &QCheckBox::toggled, this, [this](bool on) {
    scene_.setShowDifference(on);
    redraw();
  });
  connect(layout_, &QComboBox::currentIndexChanged, this, [this] {
    scene_.setLayout(static_cast<ImagePathScene::Layout>(layout_->currentData().toInt()));
    redraw();
  });
  connect(columns_, &QSpinBox::valueChanged, this, [this](int v) {
    scene_.setColumns(v);
    redraw();
  });
  connect(rows_, &QSpinBox::valueChanged, this, [this](int v) {
    scene_.setSampleRows(v);
    redraw();
  });
  connect(runs_, &RunManager::runAdded, this, &ImagePathView::addRun);
  connect(runs_, &RunManager::runRemoved, this, &ImagePathView::removeRun);
  connect(runs_, &RunManager::weightsUpdated, this, &ImagePathView::onWeightsUpdated);
  for (int id : runs_->runIds(RunKind::Images)) addRun(id);
  redraw();
}

void ImagePathView::addRun(int id) {
  if (!runs_->isKind(id, RunKind::Images)) return;
  const RunRecord* r = runs_->run(id);
  const QSignalBlocker block(runList_);
  auto* item = new QListWidgetItem(r->name, runList_);
  item->setData(kRunIdRole, id);
  item->setForeground(r->color);
  item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
  // The first two image runs are shown at once (one run alone, or a pair to compare).
  item->setCheckState(runList_->count() <= 2 ? Qt::Checked : Qt::Unchecked);
  rebuildRows();
}

void ImagePathView::removeRun(int id) {
  const QSignalBlocker block(runList_);
  for (int i = runList_->count() - 1; i >= 0; --i)
    if (runList_->item(i)->data(kRunIdRole).toInt() == id) delete runList_->takeItem(i);
  paths_.erase(id);
  requested_.erase(id);
  inFlight_.erase(id);
  queries_->cancel(QString("imagepath:%1").arg(id));
  rebuildRows();
}

void ImagePathView::setShownRuns(const QList<int>& ids) {
  {
    const QSignalBlocker block(runList_);
    for (int i = 0; i < runList_->count(); ++i) {
      QListWidgetItem* item = runList_->item(i);
      item->setCheckState(ids.contains(item->data(kRunIdRole).toInt()) ? Qt::Checked : Qt::Unchecked);
    }
    // The list order is the row order: move the shown runs to the top in the order given.
    for (int k = static_cast<int>(ids.size()) - 1; k >= 0; --k)
      for (int i = 0; i < runList_->count(); ++i)
        if (runList_->item(i)->data(kRunIdRole).toInt() == ids[k]) {
          runList_->insertItem(0, runList_->takeItem(i));
          break;
        }
  }
  rebuildRows();
}

QList<int> ImagePathView::shownRuns() const {
  QList<int> ids;
  for (int i = 0; i < runList_->count(); ++i)
    if (runList_->item(i)->checkState() == Qt::Checked) ids << runList_->item(i)->data(kRunIdRole).toInt();
  return ids;
}

void ImagePathView::setLayoutMode(ImagePathScene::Layout layout) {
  layout_->setCurrentIndex(layout_->findData(static_cast<int>(layout)));
}
void ImagePathView::setShowPrediction(bool on) { prediction_->setChecked(on); }
void ImagePathView::setShowDifference(bool on) { difference_->setChecked(on); }
void ImagePathView::setSolver(const QString& name) {
  const int i = solver_->findText(name);
  if (i >= 0) solver_->setCurrentIndex(i);
}

void ImagePathView::rebuildRows() {
  std::vector<PathRun> rows;
  QStringList classNames;
  for (int id : shownRuns()) {
    const RunRecord* r = runs_->run(id);
    if (!r) continue;
    auto it = paths_.find(id);
    rows.push_back({r->name, r->color, it == paths_.end() ? nullptr : it->second});
    if (classNames.isEmpty() && r->weights && modelClasses(*r->weights) > 0)
      for (const std::string& n : imageClassNames(r->config.data)) classNames << QString::fromStdString(n);
  }
  noise_->setClassNames(classNames);
  scene_.setRuns(std::move(rows));
  requestAll();
  redraw();
}

void ImagePathView::onWeightsUpdated(int id) {
  if (!shownRuns().contains(id)) return;
  if (!isVisible()) {
    stale_ = true;  // hidden views do not take cores from training
    return;
  }
  request(id);
}

void ImagePathView::requestAll() {
  if (!isVisible()) {
    stale_ = true;
    return;
  }
  for (int id : shownRuns()) request(id);
}

void ImagePathView::request(int id) {
  const RunRecord* r = runs_->run(id);
  if (!r || !r->weights) return;
  const FlowModelPtr model = r->weights;
  const ImageNoise noise = noise_->noise(modelClasses(*model));
  const QString solverName = solver_->currentText();
  const bool prediction = prediction_->isChecked();
  const QString key = requestKey(*model, noise, solverName, prediction);
  auto cached = paths_.find(id);
  if (requested_.count(id) && requested_[id] == key && (cached != paths_.end() || inFlight_.count(id)))
    return;  // asked for already
  requested_[id] = key;
  const SolverSpec solver = solverSpec(solverName);
  const int times = storedTimes(noise.count, imageShapeOf(model->config().data).size(), prediction);
  inFlight_.insert(id);  // a superseded request never calls back; the newest one does
  status_->setText(QString("sampling %1 at step %2...").arg(r->name).arg(model->step()));
  queries_->submit<std::shared_ptr<const ImagePath>>(
      QString("imagepath:%1").arg(id),
      [model, noise, times, solver, prediction](const std::atomic<bool>& cancel) {
        return std::make_shared<const ImagePath>(computeImagePath(*model, noise, times, solver, prediction, &cancel));
      },
      [this, id](std::shared_ptr<const ImagePath> path) {
        inFlight_.erase(id);
        if (!path || !path->complete) return;
        failure_.clear();
        paths_[id] = path;
        const QList<int> shown = shownRuns();
        const auto index = shown.indexOf(id);
        if (index >= 0) scene_.setPath(static_cast<size_t>(index), path);
        status_->setText(QString("%1 images, %2 stored times, NFE %3 (step %4)")
                             .arg(path->count).arg(path->times.size()).arg(path->nfe).arg(path->step));
        redraw();
      },
      [this, id](QString error) {
        inFlight_.erase(id);
        requested_.erase(id);
        failure_ = "Image path failed: " + error;
        status_->setText(failure_);
      });
}

bool ImagePathView::inspectTile(int row, int column) {
  const auto source = scene_.sourceOf(row, column);
  if (!source || source->run >= scene_.runs().size() || !scene_.runs()[source->run].path) return false;
  if (!inspector_) inspector_ = new ImageInspector(this);
  const PathRun& run = scene_.runs()[source->run];
  // Opened at the clicked tile's time; the scrubber moves it from there.
  inspector_->show(run.path, run.name, source->sample, source->kind, source->t);
  return true;
}

void ImagePathView::redraw() { canvas_->setGrid(scene_.grid()); }

void ImagePathView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (stale_) {
    stale_ = false;
    requestAll();
  }
}

std::vector<double> ImagePathView::benchmarkScrub(int frames) {
  std::vector<double> ms;
  for (int k = 0; k < frames; ++k) {
    QElapsedTimer timer;
    timer.start();
    scene_.setTime(frames > 1 ? static_cast<double>(k) / (frames - 1) : 1.0);
    canvas_->setGrid(scene_.grid());
    canvas_->repaint();
    ms.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
  }
  scene_.setTime(viewTime_->t());
  redraw();
  return ms;
}

void ImagePathView::refreshForExport() {
  if (stale_) {
    stale_ = false;
    for (int id : shownRuns()) request(id);
  }
}

TileGrid ImagePathView::figureGrid() const { return scene_.grid(); }

QString ImagePathView::exportCsv() const {
  // What each row of the arrays is: run, its step, NFE and the time of each column.
  QString csv = "run,step,nfe,stored_times,column,t\n";
  const std::vector<double> times =
      scene_.layout() == ImagePathScene::Layout::AlongT ? scene_.columnTimes() : std::vector<double>{scene_.time()};
  for (const PathRun& r : scene_.runs()) {
    if (!r.path || !r.path->complete) continue;
    for (size_t k = 0; k < times.size(); ++k)
      csv += QString("%1,%2,%3,%4,%5,%6\n").arg(r.name).arg(r.path->step).arg(r.path->nfe)
                 .arg(r.path->times.size()).arg(k).arg(times[k], 0, 'g', 9);
  }
  return csv;
}

std::vector<ExportArray> ImagePathView::exportArrays() const {
  std::vector<ExportArray> out;
  ExportArray states{"-states", {}, {}};
  states.values = scene_.exportStates(ImageKind::State, states.shape);
  if (!states.values.empty()) out.push_back(std::move(states));
  if (scene_.showPrediction()) {
    ExportArray pred{"-x1-prediction", {}, {}};
    pred.values = scene_.exportStates(ImageKind::Predicted, pred.shape);
    if (!pred.values.empty()) out.push_back(std::move(pred));
  }
  return out;
}

QJsonObject ImagePathView::saveState() const {
  QJsonArray shown;
  for (int id : shownRuns())
    if (const RunRecord* r = runs_->run(id)) shown.append(r->runDir);
  return {{"noise", noise_->saveState()},
          {"solver", solver_->currentText()},
          {"layout", layout_->currentIndex() == 0 ? "along_t" : "at_t"},
          {"columns", columns_->value()},
          {"rows", rows_->value()},
          {"prediction", prediction_->isChecked()},
          {"difference", difference_->isChecked()},
          {"runs", shown},
          {"linked", viewTime_->linked()},
          {"t", viewTime_->t()}};
}

void ImagePathView::restoreState(const QJsonObject& s) {
  noise_->restoreState(s.value("noise").toObject());
  setSolver(s.value("solver").toString("midpoint 50"));
  setLayoutMode(s.value("layout").toString() == "at_t" ? ImagePathScene::Layout::AtT : ImagePathScene::Layout::AlongT);
  columns_->setValue(static_cast<int>(sessionInteger(s, "columns", session::kImageColumns, 9)));
  rows_->setValue(static_cast<int>(sessionInteger(s, "rows", session::kImageRows, 4)));
  prediction_->setChecked(s.value("prediction").toBool());
  difference_->setChecked(s.value("difference").toBool());
  QList<int> ids;
  for (const QJsonValue& v : s.value("runs").toArray())
    for (int id : runs_->runIds(RunKind::Images))
      if (runs_->run(id)->runDir == v.toString()) ids << id;
  if (!ids.isEmpty()) setShownRuns(ids);
  viewTime_->setLinked(s.value("linked").toBool(true));
  if (!viewTime_->linked()) viewTime_->setT(sessionNumber(s, "t", session::kTime, 1.0));
}

}  // namespace flowscope::gui
