#include "gui/views/images/ImageInterpolationView.h"

#include <QHBoxLayout>
#include <QRegularExpression>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>


#include "gui/services/AsyncQuery.h"
#include "gui/services/RunManager.h"
#include "gui/views/SessionValue.h"
#include "gui/views/images/TileGridCanvas.h"

namespace flowscope::gui {

namespace {
const SolverSpec kSolver{"midpoint", 50};
}

ImageInterpolationView::ImageInterpolationView(RunManager* runs, AsyncQuery* queries, QWidget* parent)
    : QWidget(parent), runs_(runs), queries_(queries) {
  setObjectName("imageInterpolationView");
  auto* layout = new QVBoxLayout(this);
  auto* row = new QHBoxLayout;
  auto spin = [this, row](const QString& label, int lo, int hi, int value, const QString& tip) {
    auto* s = new QSpinBox(this);
    s->setRange(lo, hi);
    s->setValue(value);
    s->setToolTip(tip);
    row->addWidget(new QLabel(label, this));
    row->addWidget(s);
    connect(s, &QSpinBox::valueChanged, this, [this] { requestAll(); });
    return s;
  };
  seed_ = spin("Seed", 0, static_cast<int>(session::kImageSeed.hi), 0, "Noise seed (the same noise as the other image views)");
  from_ = spin("From #", 0, 63, 0, "Sample whose noise starts the line");
  to_ = spin("to #", 0, 63, 1, "Sample whose noise ends it");
  steps_ = spin("Steps", 2, 17, 9, "Images along the spherical interpolation");
  row->addStretch(1);
  layout->addLayout(row);
  status_ = new QLabel("Spherical interpolation between two noises, solved to t = 1 (midpoint, 50 steps)", this);
  layout->addWidget(status_);
  canvas_ = new TileGridCanvas(this);
  layout->addWidget(canvas_, 1);
  connect(runs_, &RunManager::runAdded, this, [this](int id) {
    if (runs_->isKind(id, RunKind::Images)) requestAll();
  });
  connect(runs_, &RunManager::runRemoved, this, [this](int id) {
    results_.erase(id);
    inFlight_.erase(id);
    redraw();
  });
  connect(runs_, &RunManager::weightsUpdated, this, [this](int id) {
    if (runs_->isKind(id, RunKind::Images)) requestAll();
  });
  redraw();
}

void ImageInterpolationView::setEndpoints(int from, int to) {
  from_->setValue(from);
  to_->setValue(to);
}
void ImageInterpolationView::setSteps(int steps) { steps_->setValue(steps); }
void ImageInterpolationView::setSeed(uint64_t seed) { seed_->setValue(static_cast<int>(seed)); }

void ImageInterpolationView::requestAll() {
  if (!isVisible()) {
    stale_ = true;
    return;
  }
  const uint64_t seed = static_cast<uint64_t>(seed_->value());
  const int from = from_->value(), to = to_->value(), steps = steps_->value();
  for (int id : runs_->runIds(RunKind::Images)) {
    const RunRecord* r = runs_->run(id);
    if (!r->weights) continue;
    const FlowModelPtr model = r->weights;
    inFlight_.insert(id);
    queries_->submit<std::shared_ptr<const ImageBatch>>(
        QString("interp:%1").arg(id),
        [model, seed, from, to, steps](const std::atomic<bool>& cancel) {
          return std::make_shared<const ImageBatch>(interpolateNoise(*model, seed, from, to, steps, kSolver, &cancel));
        },
        [this, id](std::shared_ptr<const ImageBatch> b) {
          inFlight_.erase(id);
          if (b && b->count > 0) results_[id] = b;
          redraw();
        },
        [this, id](QString error) {
          inFlight_.erase(id);
          failure_ = "Interpolation failed: " + error;
          status_->setText(failure_);
        });
  }
}

TileGrid ImageInterpolationView::grid() const {
  TileGrid g;
  g.note = "No image run: open or train one.";
  for (const auto& [id, b] : results_) {
    const RunRecord* r = runs_->run(id);
    if (!r || !b || b->count == 0) continue;
    if (g.rows.empty()) {
      g.channels = static_cast<int>(b->shape.channels);
      g.height = static_cast<int>(b->shape.height);
      g.width = static_cast<int>(b->shape.width);
      g.title = QString("Spherical interpolation from the noise of #%1 to #%2 (seed %3), solved to t = 1")
                    .arg(from_->value()).arg(to_->value()).arg(seed_->value());
      for (int64_t k = 0; k < b->count; ++k)
        g.columnLabels.push_back(QString("s = %1").arg(static_cast<double>(k) / static_cast<double>(b->count - 1), 0, 'f', 2));
    }
    if (!(b->shape == ImageShape{g.channels, g.height, g.width})) continue;
    TileRow row{r->name, r->color, {}};
    for (int64_t k = 0; k < b->count; ++k) {
      Tile t;
      t.pixels.assign(b->image(k), b->image(k) + b->shape.size());
      row.tiles.push_back(std::move(t));
    }
    g.rows.push_back(std::move(row));
  }
  return g;
}

void ImageInterpolationView::redraw() { canvas_->setGrid(grid()); }

void ImageInterpolationView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (stale_) {
    stale_ = false;
    requestAll();
  }
}

void ImageInterpolationView::refreshForExport() {
  if (stale_) {
    stale_ = false;
    requestAll();
  }
}

TileGrid ImageInterpolationView::figureGrid() const { return grid(); }

QString ImageInterpolationView::exportCsv() const {
  QString csv = "run,seed,from,to,steps,nfe\n";
  for (const auto& [id, b] : results_)
    if (const RunRecord* r = runs_->run(id); r && b)
      csv += QString("\"%1\",%2,%3,%4,%5,%6\n").arg(QString(r->name).replace('"', "\"\"")).arg(seed_->value())
                 .arg(from_->value()).arg(to_->value()).arg(b->count).arg(b->nfe);
  return csv;
}

std::vector<ExportArray> ImageInterpolationView::exportArrays() const {
  std::vector<ExportArray> out;
  for (const auto& [id, b] : results_) {
    const RunRecord* r = runs_->run(id);
    if (!r || !b || b->count == 0) continue;
    QString name = r->name;
    name.replace(QRegularExpression("[^A-Za-z0-9_.-]"), "_");
    out.push_back({"-" + name, {b->count, b->shape.channels, b->shape.height, b->shape.width}, b->pixels});
  }
  return out;
}

QJsonObject ImageInterpolationView::saveState() const {
  return {{"seed", seed_->value()}, {"from", from_->value()}, {"to", to_->value()}, {"steps", steps_->value()}};
}

void ImageInterpolationView::restoreState(const QJsonObject& s) {
  setSeed(static_cast<uint64_t>(sessionInteger(s, "seed", session::kImageSeed, 0)));
  setEndpoints(static_cast<int>(sessionInteger(s, "from", {0, 63}, 0)), static_cast<int>(sessionInteger(s, "to", {0, 63}, 1)));
  setSteps(static_cast<int>(sessionInteger(s, "steps", {2, 17}, 9)));
}

}  // namespace flowscope::gui
