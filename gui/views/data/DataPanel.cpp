#include "gui/views/data/DataPanel.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "core/api/Queries.h"

namespace flowscope::gui {

/// The drawing surface: a fixed square window onto [-4.5, 4.5]^2 (the datasets' range).
class DataCanvas : public QWidget {
 public:
  explicit DataCanvas(DataPanel* panel) : QWidget(panel), panel_(panel) {
    setObjectName("dataCanvas");
    setMinimumSize(360, 360);
    setMouseTracking(true);
  }
  static constexpr double kRange = 4.5;

  QRectF plotRect(const QRectF& area) const {
    const double side = std::min(area.width(), area.height()) - 50;
    return QRectF(area.left() + (area.width() - side) / 2 + 15, area.top() + (area.height() - side) / 2,
                  side, side);
  }
  QPointF toData(const QPointF& p, const QRectF& plot) const {
    return {(p.x() - plot.left()) / plot.width() * 2 * kRange - kRange,
            kRange - (p.y() - plot.top()) / plot.height() * 2 * kRange};
  }
  QPointF toScreen(const QPointF& d, const QRectF& plot) const {
    return {plot.left() + (d.x() + kRange) / (2 * kRange) * plot.width(),
            plot.top() + (kRange - d.y()) / (2 * kRange) * plot.height()};
  }
  void paintScene(QPainter& p, const QRectF& area) {
    const QRectF plot = plotRect(area);
    p.fillRect(area, palette().base());
    p.setPen(QPen(palette().text().color(), 1));
    p.drawRect(plot);
    for (int k = -4; k <= 4; k += 2) {
      const QPointF x = toScreen({static_cast<double>(k), -kRange}, plot);
      const QPointF y = toScreen({-kRange, static_cast<double>(k)}, plot);
      p.drawLine(x, x + QPointF(0, 4));
      p.drawText(QRectF(x.x() - 15, x.y() + 5, 30, 14), Qt::AlignCenter, QString::number(k));
      p.drawLine(y, y - QPointF(4, 0));
      p.drawText(QRectF(y.x() - 34, y.y() - 7, 28, 14), Qt::AlignRight | Qt::AlignVCenter, QString::number(k));
    }
    const auto& pts = panel_->drawing() ? panel_->drawnPoints() : panel_->previewPoints();
    p.setPen(Qt::NoPen);
    p.setBrush(panel_->drawing() ? QColor(213, 94, 0, 170) : QColor(0, 114, 178, 120));
    p.setRenderHint(QPainter::Antialiasing);
    for (const QPointF& d : pts) p.drawEllipse(toScreen(d, plot), 1.6, 1.6);
    if (underMouse() && panel_->currentTool_ != DataPanel::Tool::Point) {
      p.setBrush(Qt::NoBrush);
      p.setPen(QPen(palette().highlight().color(), 1, Qt::DashLine));
      const double r = panel_->brushRadius_ / (2 * kRange) * plot.width();
      p.drawEllipse(QPointF(mapFromGlobal(QCursor::pos())), r, r);
    }
  }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    paintScene(p, rect());
  }
  void mousePressEvent(QMouseEvent* e) override { stroke(e->position()); }
  void mouseMoveEvent(QMouseEvent* e) override {
    if (e->buttons() & Qt::LeftButton && panel_->currentTool_ != DataPanel::Tool::Point) stroke(e->position());
    update();
  }

 private:
  void stroke(const QPointF& screen) {
    const QRectF plot = plotRect(rect());
    if (!plot.contains(screen)) return;
    panel_->strokeAt(toData(screen, plot));
  }
  DataPanel* panel_;
};

DataPanel::DataPanel(QWidget* parent) : QWidget(parent) {
  setObjectName("dataPanel");
  auto* layout = new QVBoxLayout(this);
  auto* row = new QHBoxLayout;
  dataset_ = new QComboBox(this);
  dataset_->setObjectName("dataset");
  for (const auto& name : allowedValues("data.name"))
    if (name != "points") dataset_->addItem(QString::fromStdString(name));
  noise_ = new QDoubleSpinBox(this);
  noise_->setObjectName("noise");
  noise_->setRange(-0.001, 5.0);
  noise_->setDecimals(3);
  noise_->setSingleStep(0.01);
  noise_->setSpecialValueText("default");
  noise_->setValue(-0.001);
  noise_->setToolTip("data.noise (\"default\": the dataset's own)");
  row->addWidget(new QLabel("Dataset", this));
  row->addWidget(dataset_);
  row->addWidget(new QLabel("noise", this));
  row->addWidget(noise_);
  row->addSpacing(16);
  tool_ = new QComboBox(this);
  tool_->setObjectName("tool");
  tool_->addItems({"Brush", "Point", "Eraser"});
  radius_ = new QDoubleSpinBox(this);
  radius_->setRange(0.05, 3.0);
  radius_->setValue(brushRadius_);
  radius_->setSingleStep(0.05);
  radius_->setToolTip("brush radius in data units");
  density_ = new QSpinBox(this);
  density_->setRange(1, 200);
  density_->setValue(brushPoints_);
  density_->setToolTip("points sprayed per brush event");
  row->addWidget(new QLabel("Draw", this));
  row->addWidget(tool_);
  row->addWidget(new QLabel("radius", this));
  row->addWidget(radius_);
  row->addWidget(new QLabel("points", this));
  row->addWidget(density_);
  row->addStretch();
  layout->addLayout(row);
  canvas_ = new DataCanvas(this);
  layout->addWidget(canvas_, 1);
  auto* buttons = new QHBoxLayout;
  count_ = new QLabel(this);
  auto* clear = new QPushButton("Clear drawing", this);
  auto* save = new QPushButton("Save points...", this);
  auto* use = new QPushButton("Use in experiment", this);
  auto* train = new QPushButton("Train on it", this);
  use->setObjectName("useData");
  train->setObjectName("trainData");
  buttons->addWidget(count_);
  buttons->addStretch();
  for (QPushButton* b : {clear, save, use, train}) buttons->addWidget(b);
  layout->addLayout(buttons);

  connect(dataset_, &QComboBox::currentTextChanged, this, [this] { refreshPreview(); });
  connect(noise_, &QDoubleSpinBox::valueChanged, this, [this] { refreshPreview(); });
  connect(tool_, &QComboBox::currentIndexChanged, this, [this](int i) { setTool(static_cast<Tool>(i)); });
  connect(radius_, &QDoubleSpinBox::valueChanged, this, [this](double r) { brushRadius_ = r; });
  connect(density_, &QSpinBox::valueChanged, this, [this](int n) { brushPoints_ = n; });
  connect(clear, &QPushButton::clicked, this, &DataPanel::clearDrawing);
  connect(save, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, "Save points", "points.npy", "NumPy (*.npy)");
    if (!path.isEmpty()) saveDrawing(path);
  });
  connect(use, &QPushButton::clicked, this, &DataPanel::useRequested);
  connect(train, &QPushButton::clicked, this, &DataPanel::trainRequested);
  refreshPreview();
}

void DataPanel::setDataset(const QString& name, double noise) {
  dataset_->setCurrentText(name);
  noise_->setValue(noise < 0 ? noise_->minimum() : noise);
  refreshPreview();
}

void DataPanel::setTool(Tool tool) {
  currentTool_ = tool;
  tool_->setCurrentIndex(static_cast<int>(tool));
}

void DataPanel::setBrush(double radius, int pointsPerStroke) {
  radius_->setValue(radius);
  density_->setValue(pointsPerStroke);
}

void DataPanel::strokeAt(const QPointF& d) {
  switch (currentTool_) {
    case Tool::Point:
      drawn_.push_back(d);
      break;
    case Tool::Brush: {
      // Uniform in the disc: radius sqrt(u) r. Seeded per panel so a test can reproduce strokes.
      QRandomGenerator rng(strokeSeed_++);
      for (int i = 0; i < brushPoints_; ++i) {
        const double r = brushRadius_ * std::sqrt(rng.generateDouble());
        const double a = 2 * M_PI * rng.generateDouble();
        drawn_.emplace_back(d.x() + r * std::cos(a), d.y() + r * std::sin(a));
      }
      break;
    }
    case Tool::Eraser:
      drawn_.erase(std::remove_if(drawn_.begin(), drawn_.end(),
                                  [&](const QPointF& p) { return std::hypot(p.x() - d.x(), p.y() - d.y()) <= brushRadius_; }),
                   drawn_.end());
      break;
  }
  updateLabel();
  canvas_->update();
  Q_EMIT changed();
}

void DataPanel::clearDrawing() {
  drawn_.clear();
  updateLabel();
  canvas_->update();
  Q_EMIT changed();
}

void DataPanel::refreshPreview() {
  DataConfig d;
  d.name = dataset_->currentText().toStdString();
  if (noise_->value() >= 0) d.noise = noise_->value();
  try {
    const std::vector<float> xy = sampleData(d, 2000, 0);
    preview_.clear();
    for (size_t i = 0; i + 1 < xy.size(); i += 2) preview_.emplace_back(xy[i], xy[i + 1]);
  } catch (const std::exception& e) {
    preview_.clear();
    count_->setText(QString("cannot preview: %1").arg(e.what()));
  }
  updateLabel();
  canvas_->update();
  Q_EMIT changed();
}

void DataPanel::updateLabel() {
  count_->setText(drawing() ? QString("%1 drawn points (used instead of the dataset)").arg(drawn_.size())
                            : QString("dataset %1 (2,000 preview samples)").arg(dataset_->currentText()));
}

void DataPanel::saveDrawing(const QString& path) const {
  std::vector<float> xy;
  for (const QPointF& p : drawn_) {
    xy.push_back(static_cast<float>(p.x()));
    xy.push_back(static_cast<float>(p.y()));
  }
  if (xy.size() < 4) throw std::runtime_error("draw at least two points first");
  writePoints(path.toStdString(), xy);
}

DataConfig DataPanel::dataConfig(const QString& folder) const {
  DataConfig d;
  if (!drawing()) {
    d.name = dataset_->currentText().toStdString();
    if (noise_->value() >= 0) d.noise = noise_->value();
    return d;
  }
  QDir().mkpath(folder);
  const QString file = QDir(folder).filePath(
      QString("drawn-%1.npy").arg(QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss-zzz")));
  saveDrawing(file);
  d.name = "points";
  d.file = file.toStdString();
  return d;
}

void DataPanel::renderExport(QPainter& painter, const QRectF& target) { canvas_->paintScene(painter, target); }

QString DataPanel::exportCsv() const {
  QString csv = "x,y\n";
  for (const QPointF& p : drawing() ? drawn_ : preview_) csv += QString("%1,%2\n").arg(p.x()).arg(p.y());
  return csv;
}

QJsonObject DataPanel::saveState() const {
  QJsonObject s;
  s["dataset"] = dataset_->currentText();
  s["noise"] = noise_->value();
  QJsonArray pts;
  for (const QPointF& p : drawn_) pts.append(QJsonArray{p.x(), p.y()});
  s["drawn"] = pts;
  return s;
}

void DataPanel::restoreState(const QJsonObject& s) {
  drawn_.clear();
  for (const QJsonValue& v : s.value("drawn").toArray()) {
    const QJsonArray a = v.toArray();
    if (a.size() == 2) drawn_.emplace_back(a[0].toDouble(), a[1].toDouble());
  }
  setDataset(s.value("dataset").toString("checkerboard"), s.value("noise").toDouble(-1));
}

}  // namespace flowscope::gui
