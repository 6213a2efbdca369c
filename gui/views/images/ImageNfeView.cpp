#include "gui/views/images/ImageNfeView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

#include "gui/services/AsyncQuery.h"
#include "gui/services/RunManager.h"
#include "gui/views/SessionValue.h"
#include "gui/views/images/ImageNoiseControls.h"
#include "gui/views/images/TileGridCanvas.h"

namespace flowscope::gui {

namespace {
const QString kKey = "imagenfe";
}

ImageNfeView::ImageNfeView(RunManager* runs, AsyncQuery* queries, QWidget* parent)
    : QWidget(parent), runs_(runs), queries_(queries) {
  setObjectName("imageNfeView");
  auto* layout = new QVBoxLayout(this);
  auto* row = new QHBoxLayout;
  run_ = new QComboBox(this);
  run_->setObjectName("imageNfeRun");
  solver_ = new QComboBox(this);
  solver_->addItems({"euler", "midpoint", "heun", "rk4"});
  solver_->setCurrentText("midpoint");
  nfes_ = new QLineEdit("2,4,8,16,32,64", this);
  nfes_->setToolTip("NFE budgets: each column solves in as many steps as fit (at least one)");
  adaptive_ = new QCheckBox("dopri5 1e-5", this);
  adaptive_->setChecked(true);
  reference_ = new QSpinBox(this);
  reference_->setRange(8, 2500);
  reference_->setValue(kReferenceSteps);
  reference_->setToolTip("RK4 steps of the reference solve (4 NFE each; 250: the paper's 1000 NFE)");
  sample_ = new QPushButton("Sample", this);
  sample_->setObjectName("imageNfeSample");
  cancel_ = new QPushButton("Cancel", this);
  cancel_->setEnabled(false);
  for (QWidget* w : std::initializer_list<QWidget*>{new QLabel("Run", this), run_, new QLabel("Solver", this), solver_,
                                                    new QLabel("NFE", this), nfes_, adaptive_, new QLabel("Reference RK4 steps", this),
                                                    reference_, sample_, cancel_})
    row->addWidget(w);
  layout->addLayout(row);
  noise_ = new ImageNoiseControls(4, this);
  layout->addWidget(noise_);
  status_ = new QLabel(this);
  layout->addWidget(status_);
  canvas_ = new TileGridCanvas(this);
  layout->addWidget(canvas_, 1);
  connect(sample_, &QPushButton::clicked, this, &ImageNfeView::sample);
  connect(cancel_, &QPushButton::clicked, this, &ImageNfeView::cancel);
  auto addRun = [this](int id) {
    if (const RunRecord* r = runs_->run(id); r && runs_->isKind(id, RunKind::Images) && run_->findData(id) < 0)
      run_->addItem(r->name, id);
  };
  for (int id : runs_->runIds(RunKind::Images)) addRun(id);
  connect(runs_, &RunManager::runAdded, this, addRun);
  connect(runs_, &RunManager::runRemoved, this, [this](int id) {
    if (const int i = run_->findData(id); i >= 0) run_->removeItem(i);
  });
  connect(run_, &QComboBox::currentIndexChanged, this, [this] {
    const RunRecord* r = runs_->run(run());
    QStringList names;
    if (r && r->weights && modelClasses(*r->weights) > 0)
      for (const std::string& n : imageClassNames(r->config.data)) names << QString::fromStdString(n);
    noise_->setClassNames(names);
  });
  redraw();
}

void ImageNfeView::setRun(int id) {
  if (const int i = run_->findData(id); i >= 0) run_->setCurrentIndex(i);
}
int ImageNfeView::run() const { return run_->count() ? run_->currentData().toInt() : -1; }

std::vector<int> ImageNfeView::nfeList() const {
  std::vector<int> out;
  for (const QString& part : nfes_->text().split(',', Qt::SkipEmptyParts)) {
    bool ok = false;
    const int v = part.trimmed().toInt(&ok);
    if (!ok || v < 1 || v > 4096) return {};
    out.push_back(v);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (out.size() > 12) out.resize(12);
  return out;
}

bool ImageNfeView::setNfeList(const QString& list) {
  const QString old = nfes_->text();
  nfes_->setText(list);
  if (nfeList().empty()) {
    nfes_->setText(old);
    return false;
  }
  return true;
}

void ImageNfeView::setSolver(const QString& name) {
  if (const int i = solver_->findText(name); i >= 0) solver_->setCurrentIndex(i);
}
void ImageNfeView::setAdaptive(bool on) { adaptive_->setChecked(on); }
void ImageNfeView::setReferenceSteps(int steps) { reference_->setValue(steps); }
int ImageNfeView::referenceSteps() const { return reference_->value(); }

void ImageNfeView::sample() {
  const RunRecord* r = runs_->run(run());
  const std::vector<int> nfes = nfeList();
  if (!r || !r->weights) {
    status_->setText("No image run with weights to sample.");
    return;
  }
  if (nfes.empty()) {
    failure_ = "NFE: expected a comma-separated list of whole numbers in [1, 4096], e.g. 1,2,4,8";
    status_->setText(failure_);
    return;
  }
  const FlowModelPtr model = r->weights;
  const ImageNoise noise = noise_->noise(modelClasses(*model));
  const std::string solver = solver_->currentText().toStdString();
  const double tol = adaptive_->isChecked() ? 1e-5 : 0.0;
  const QString name = r->name;
  const int refSteps = reference_->value();
  busy_ = true;
  failure_.clear();
  cancel_->setEnabled(true);
  status_->setText(QString("sampling %1 at step %2: the reference first (RK4, %3 NFE)...")
                       .arg(name).arg(model->step()).arg(4 * refSteps));
  queries_->submitWithPosts(
      kKey,
      [this, model, noise, solver, nfes, tol, name, refSteps](const std::atomic<bool>& cancel, const AsyncQuery::Poster& post) {
        const ImageNfeStrip strip = computeImageNfeStrip(
            *model, noise, solver, nfes, {"rk4", refSteps}, tol,
            [&](const ImageNfeStrip& partial) {
              auto copy = std::make_shared<const ImageNfeStrip>(partial);
              post([this, copy, name] {
                scene_.setStrip(copy, name);
                status_->setText(QString("%1 of the columns...").arg(copy->columns.size()));
                redraw();
              });
            },
            &cancel);
        auto done = std::make_shared<const ImageNfeStrip>(strip);
        post([this, done, name] {
          scene_.setStrip(done, name);
          if (done->complete) {
            QString text = QString("reference %1").arg(QString::fromStdString(done->referenceLabel));
            if (done->adaptive.count > 0) text += QString(" · dopri5 1e-5: %1 NFE").arg(done->adaptive.nfe);
            status_->setText(text);
          }
          redraw();
        });
      },
      [this] {
        busy_ = false;
        cancel_->setEnabled(false);
      },
      [this](QString error) {
        busy_ = false;
        cancel_->setEnabled(false);
        failure_ = "NFE strip failed: " + error;
        status_->setText(failure_);
      });
}

void ImageNfeView::cancel() {
  queries_->cancel(kKey);
  busy_ = false;
  cancel_->setEnabled(false);
  status_->setText("cancelled");
}

void ImageNfeView::redraw() { canvas_->setGrid(scene_.grid()); }

TileGrid ImageNfeView::figureGrid() const { return scene_.grid(); }

std::vector<ExportArray> ImageNfeView::exportArrays() const {
  std::vector<ExportArray> out;
  const ImageNfeStrip* s = scene_.strip();
  if (!s || s->reference.count == 0) return out;
  const ImageShape& sh = s->reference.shape;
  ExportArray columns{"-samples", {}, {}};
  for (const ImageBatch& b : s->columns) columns.values.insert(columns.values.end(), b.pixels.begin(), b.pixels.end());
  columns.shape = {static_cast<int64_t>(s->columns.size()), s->reference.count, sh.channels, sh.height, sh.width};
  if (!s->columns.empty()) out.push_back(std::move(columns));
  out.push_back({"-reference", {s->reference.count, sh.channels, sh.height, sh.width}, s->reference.pixels});
  return out;
}

QJsonObject ImageNfeView::saveState() const {
  const RunRecord* r = runs_->run(run());
  return {{"noise", noise_->saveState()}, {"solver", solver_->currentText()}, {"nfe", nfes_->text()},
          {"adaptive", adaptive_->isChecked()}, {"reference_steps", reference_->value()},
          {"run", r ? r->runDir : QString()}};
}

void ImageNfeView::restoreState(const QJsonObject& s) {
  noise_->restoreState(s.value("noise").toObject());
  setSolver(s.value("solver").toString("midpoint"));
  setNfeList(s.value("nfe").toString("2,4,8,16,32,64"));
  setAdaptive(s.value("adaptive").toBool(true));
  setReferenceSteps(static_cast<int>(sessionInteger(s, "reference_steps", {8, 2500}, kReferenceSteps)));
  for (int id : runs_->runIds(RunKind::Images))
    if (runs_->run(id)->runDir == s.value("run").toString()) setRun(id);
}

}  // namespace flowscope::gui
