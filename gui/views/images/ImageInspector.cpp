#include "gui/views/images/ImageInspector.h"

#include <QLabel>
#include <QVBoxLayout>

#include <cmath>

#include "gui/views/images/TileGridCanvas.h"

namespace flowscope::gui {

ImageInspector::ImageInspector(QWidget* parent) : QWidget(parent, Qt::Window) {
  setObjectName("imageInspector");
  resize(640, 760);
  auto* layout = new QVBoxLayout(this);
  image_ = new TileGridCanvas(this);
  image_->setMouseTracking(true);
  strip_ = new TileGridCanvas(this);
  strip_->setMinimumHeight(150);
  strip_->setMaximumHeight(200);
  readout_ = new QLabel("Move the mouse over the image for its pixel values.", this);
  readout_->setObjectName("imageReadout");
  layout->addWidget(image_, 1);
  layout->addWidget(readout_);
  layout->addWidget(strip_);
  connect(image_, &TileGridCanvas::tileHovered, this,
          [this](int, int, int x, int y) { readout_->setText(readout(x, y)); });
}

void ImageInspector::show(std::shared_ptr<const ImagePath> path, QString run, int64_t sample, ImageKind kind, double t) {
  path_ = std::move(path);
  run_ = std::move(run);
  sample_ = sample;
  kind_ = kind;
  t_ = t;
  setWindowTitle(QString("%1 #%2").arg(run_).arg(sample_));
  redraw();
  QWidget::show();
  raise();
}

void ImageInspector::setTime(double t) {
  t_ = t;
  if (isVisible()) redraw();
}

TileGrid ImageInspector::imageGrid() const {
  TileGrid g;
  if (!path_ || !path_->complete || sample_ >= path_->count) return g;
  g.channels = static_cast<int>(path_->shape.channels);
  g.height = static_cast<int>(path_->shape.height);
  g.width = static_cast<int>(path_->shape.width);
  g.title = QString("%1 #%2 at t = %3%4 (step %5)").arg(run_).arg(sample_).arg(t_, 0, 'f', 3)
                .arg(kind_ == ImageKind::Predicted ? ", x1 prediction" : "").arg(path_->step);
  std::vector<float> frame;
  path_->framesAt(t_, kind_, frame);
  const int64_t d = path_->shape.size();
  Tile tile;
  tile.pixels.assign(frame.begin() + sample_ * d, frame.begin() + (sample_ + 1) * d);
  g.rows.push_back({QString(), QColor(), {std::move(tile)}});
  return g;
}

TileGrid ImageInspector::pathGrid() const {
  TileGrid g;
  if (!path_ || !path_->complete || sample_ >= path_->count) return g;
  g.channels = static_cast<int>(path_->shape.channels);
  g.height = static_cast<int>(path_->shape.height);
  g.width = static_cast<int>(path_->shape.width);
  const double lo = path_->times.front(), hi = path_->times.back();
  const int64_t d = path_->shape.size();
  TileRow row;
  double best = 1e9;
  std::vector<float> frame;
  for (int k = 0; k < kPathColumns; ++k) {
    const double t = lo + (hi - lo) * k / (kPathColumns - 1);
    g.columnLabels.push_back(QString("t = %1").arg(t, 0, 'f', 2));
    if (std::abs(t - t_) < best) best = std::abs(t - t_), g.highlightedColumn = k;
    path_->framesAt(t, kind_, frame);
    Tile tile;
    tile.pixels.assign(frame.begin() + sample_ * d, frame.begin() + (sample_ + 1) * d);
    row.tiles.push_back(std::move(tile));
  }
  g.rows.push_back(std::move(row));
  return g;
}

QString ImageInspector::readout(int x, int y) const {
  const TileGrid g = imageGrid();
  if (g.empty() || x < 0 || y < 0 || x >= g.width || y >= g.height) return {};
  const std::vector<float>& p = g.rows[0].tiles[0].pixels;
  QStringList parts;
  for (int c = 0; c < g.channels; ++c) {
    const float v = p[static_cast<size_t>((c * g.height + y) * g.width + x)];
    parts << QString("%1 (byte %2)").arg(v, 0, 'f', 3).arg(imageByte(v));
  }
  return QString("x %1, y %2: %3").arg(x).arg(y).arg(parts.join(", "));
}

QString ImageInspector::lastReadout() const { return readout_->text(); }

void ImageInspector::redraw() {
  image_->setGrid(imageGrid());
  strip_->setGrid(pathGrid());
}

}  // namespace flowscope::gui
