#include "gui/views/images/LiveSamples.h"

#include <QVBoxLayout>

#include "gui/services/AsyncQuery.h"
#include "gui/services/RunManager.h"
#include "gui/views/images/TileGridCanvas.h"

namespace flowscope::gui {

TileGrid LiveSamplesScene::grid() const {
  TileGrid g;
  g.note = "No image run yet.";
  for (const auto& [id, row] : rows_) {
    if (row.samples.count == 0) continue;
    if (g.rows.empty()) {
      g.channels = static_cast<int>(row.samples.shape.channels);
      g.height = static_cast<int>(row.samples.shape.height);
      g.width = static_cast<int>(row.samples.shape.width);
      g.title = "Live samples from fixed noise (seed 0, midpoint, EMA weights)";
    }
    if (!(row.samples.shape == ImageShape{g.channels, g.height, g.width})) continue;  // one image shape per grid
    TileRow r{QString("%1 · step %2").arg(row.name).arg(row.step), row.color, {}};
    for (int64_t i = 0; i < row.samples.count; ++i) {
      Tile t;
      t.pixels.assign(row.samples.image(i), row.samples.image(i) + row.samples.shape.size());
      r.tiles.push_back(std::move(t));
    }
    g.rows.push_back(std::move(r));
  }
  return g;
}

LiveSamples::LiveSamples(RunManager* runs, AsyncQuery* queries, QWidget* parent)
    : QWidget(parent), runs_(runs), queries_(queries) {
  setObjectName("liveSamples");
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  canvas_ = new TileGridCanvas(this);
  canvas_->setMinimumHeight(120);
  layout->addWidget(canvas_);
  connect(runs_, &RunManager::weightsUpdated, this, [this](int id) {
    if (!runs_->isKind(id, RunKind::Images)) return;
    clocks_[id].start();
    if (isVisible()) request(id);
  });
  connect(runs_, &RunManager::runAdded, this, [this](int id) {
    updateVisibility();
    if (isVisible()) request(id);
  });
  connect(runs_, &RunManager::runRemoved, this, [this](int id) {
    scene_.removeRow(id);
    shownModel_.erase(id);
    inFlight_.erase(id);
    queries_->cancel(QString("live:%1").arg(id));
    canvas_->setGrid(scene_.grid());
    updateVisibility();
  });
  updateVisibility();
}

void LiveSamples::updateVisibility() { setVisible(!runs_->runIds(RunKind::Images).isEmpty()); }

void LiveSamples::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  for (int id : runs_->runIds(RunKind::Images)) request(id);  // catch up on what came while hidden
}

void LiveSamples::request(int id) {
  const RunRecord* r = runs_->run(id);
  if (!r || !r->weights || !runs_->isKind(id, RunKind::Images)) return;
  const FlowModelPtr model = r->weights;
  if (shownModel_.count(id) && shownModel_[id] == model->id()) return;
  shownModel_[id] = model->id();
  inFlight_.insert(id);
  const QString name = r->name;
  const QColor color = r->color;
  queries_->submit<ImageBatch>(
      QString("live:%1").arg(id),
      [model](const std::atomic<bool>& cancel) {
        ImageNoise noise;
        noise.count = kCount;
        return sampleImages(*model, noise, {"midpoint", kSteps}, &cancel);
      },
      [this, id, name, color, step = model->step()](ImageBatch batch) {
        inFlight_.erase(id);
        if (batch.count == 0) return;
        scene_.setRow(id, {name, color, std::move(batch), step});
        canvas_->setGrid(scene_.grid());
        if (clocks_.count(id) && clocks_[id].isValid()) {
          latencies_.push_back(clocks_[id].elapsed());
          clocks_[id].invalidate();
        }
      },
      [this, id](QString) {
        inFlight_.erase(id);
        shownModel_.erase(id);
      });
}

}  // namespace flowscope::gui
