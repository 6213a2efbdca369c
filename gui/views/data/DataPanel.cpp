#include "gui/views/data/DataPanel.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "core/api/Queries.h"
#include "gui/plot/PlotStyle.h"
#include "gui/views/SessionValue.h"
#include "gui/views/data/DataCanvas.h"
#include "gui/views/data/DataPlot.h"

namespace flowscope::gui {

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
  noise_->setRange(session::kNoise.lo, session::kNoise.hi);
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

QString DataPanel::plotTitle() const {
  const QLocale c = QLocale::c();
  if (drawing()) return QString("drawn points — %1").arg(c.toString(static_cast<qulonglong>(drawn_.size())));
  return QString("%1 — %2 preview samples").arg(dataset_->currentText(), c.toString(static_cast<qulonglong>(preview_.size())));
}

void DataPanel::renderExport(QPainter& painter, const QRectF& target) {
  DataPlot(target, shownPoints(), drawing(), plotTitle(), PlotStyle::forExport(font())).paintAll(painter);
}

std::vector<QRectF> DataPanel::exportTextRects(const QRectF& target) {
  return DataPlot(target, shownPoints(), drawing(), plotTitle(), PlotStyle::forExport(font())).frame().textRects();
}

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
  // Bounded: at most kDrawnPoints points, coordinates within the session range, finite.
  drawn_.clear();
  const QJsonArray pts = s.value("drawn").toArray();
  const auto keep = static_cast<qsizetype>(session::kDrawnPoints.hi);
  for (qsizetype i = 0; i < pts.size() && static_cast<qsizetype>(drawn_.size()) < keep; ++i) {
    const QJsonArray a = pts[i].toArray();
    if (a.size() != 2 || !a[0].isDouble() || !a[1].isDouble()) continue;
    const QJsonObject xy{{"x", a[0]}, {"y", a[1]}};
    const double nan = std::nan("");
    const double x = sessionNumber(xy, "x", session::kPoint, nan), y = sessionNumber(xy, "y", session::kPoint, nan);
    if (std::isfinite(x) && std::isfinite(y)) drawn_.emplace_back(x, y);
  }
  setDataset(s.value("dataset").toString("checkerboard"), sessionNumber(s, "noise", session::kNoise, -1));
}

}  // namespace flowscope::gui
