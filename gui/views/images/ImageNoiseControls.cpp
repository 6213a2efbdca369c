#include "gui/views/images/ImageNoiseControls.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>

#include "gui/views/SessionValue.h"

namespace flowscope::gui {

ImageNoiseControls::ImageNoiseControls(int defaultCount, QWidget* parent) : QWidget(parent) {
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(0, 0, 0, 0);
  seed_ = new QSpinBox(this);
  seed_->setObjectName("imageSeed");
  seed_->setRange(static_cast<int>(session::kImageSeed.lo), static_cast<int>(session::kImageSeed.hi));
  seed_->setToolTip("Noise seed: sample i starts from the same x0 in every run with this image shape");
  count_ = new QSpinBox(this);
  count_->setObjectName("imageCount");
  count_->setRange(static_cast<int>(session::kImageSamples.lo), static_cast<int>(session::kImageSamples.hi));
  count_->setValue(defaultCount);
  class_ = new QComboBox(this);
  class_->setObjectName("imageClass");
  guidance_ = new QDoubleSpinBox(this);
  guidance_->setObjectName("imageGuidance");
  guidance_->setRange(session::kGuidance.lo, session::kGuidance.hi);
  guidance_->setSingleStep(0.5);
  guidance_->setValue(1.0);
  guidance_->setToolTip("Classifier-free guidance w: v = v(x, t, null) + w (v(x, t, c) - v(x, t, null))");
  row->addWidget(new QLabel("Seed", this));
  row->addWidget(seed_);
  row->addWidget(new QLabel("Samples", this));
  row->addWidget(count_);
  row->addWidget(new QLabel("Class", this));
  row->addWidget(class_);
  row->addWidget(new QLabel("Guidance", this));
  row->addWidget(guidance_);
  setClassNames({});
  connect(seed_, &QSpinBox::valueChanged, this, &ImageNoiseControls::changed);
  connect(count_, &QSpinBox::valueChanged, this, &ImageNoiseControls::changed);
  connect(class_, &QComboBox::currentIndexChanged, this, &ImageNoiseControls::changed);
  connect(guidance_, &QDoubleSpinBox::valueChanged, this, &ImageNoiseControls::changed);
}

void ImageNoiseControls::setClassNames(const QStringList& names) {
  const int choice = classChoice();
  const QSignalBlocker block(class_);
  class_->clear();
  class_->addItem("unconditional", kUnconditional);
  if (!names.isEmpty()) class_->addItem("one class per sample", kCycleClasses);
  for (int k = 0; k < names.size(); ++k) class_->addItem(QString("%1: %2").arg(k).arg(names[k]), k);
  const int i = class_->findData(choice);
  class_->setCurrentIndex(i >= 0 ? i : 0);
  class_->setEnabled(!names.isEmpty());
  guidance_->setEnabled(!names.isEmpty());
}

ImageNoise ImageNoiseControls::noise(int64_t classes) const {
  ImageNoise n;
  n.count = count();
  n.seed = seed();
  n.guidance = guidance();
  const int choice = classChoice();
  if (classes > 0 && choice == kCycleClasses)
    for (int64_t i = 0; i < n.count; ++i) n.labels.push_back(i % classes);
  else if (classes > 0 && choice >= 0 && choice < classes)
    n.labels = {choice};
  return n;
}

void ImageNoiseControls::setSeed(uint64_t seed) {
  seed_->setValue(static_cast<int>(session::kImageSeed.clamp(static_cast<double>(seed))));
}
uint64_t ImageNoiseControls::seed() const { return static_cast<uint64_t>(seed_->value()); }
void ImageNoiseControls::setCount(int count) {
  count_->setValue(static_cast<int>(session::kImageSamples.clamp(count)));
}
int ImageNoiseControls::count() const { return count_->value(); }
void ImageNoiseControls::setClassChoice(int choice) {
  const int i = class_->findData(choice);
  if (i >= 0) class_->setCurrentIndex(i);
}
int ImageNoiseControls::classChoice() const {
  return class_->count() ? class_->currentData().toInt() : kUnconditional;
}
void ImageNoiseControls::setGuidance(double w) { guidance_->setValue(session::kGuidance.clamp(w)); }
double ImageNoiseControls::guidance() const { return guidance_->value(); }

QJsonObject ImageNoiseControls::saveState() const {
  return {{"seed", static_cast<double>(seed())}, {"count", count()}, {"class", classChoice()}, {"guidance", guidance()}};
}

void ImageNoiseControls::restoreState(const QJsonObject& s) {
  setSeed(static_cast<uint64_t>(sessionInteger(s, "seed", session::kImageSeed, 0)));
  setCount(static_cast<int>(sessionInteger(s, "count", session::kImageSamples, count())));
  setClassChoice(static_cast<int>(sessionInteger(s, "class", session::kClassChoice, kUnconditional)));
  setGuidance(sessionNumber(s, "guidance", session::kGuidance, 1.0));
}

}  // namespace flowscope::gui
