#include "gui/views/density/DensityControls.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QVBoxLayout>

#include <cmath>

#include "gui/plot/Colormap.h"
#include "gui/views/SessionValue.h"

namespace flowscope::gui {
namespace {

const char* kRangeKeys[4] = {"xmin", "xmax", "ymin", "ymax"};

double rangeValue(const ViewBounds& b, int i) { return i == 0 ? b.xmin : i == 1 ? b.xmax : i == 2 ? b.ymin : b.ymax; }

QString particlesLabel(int64_t n) {
  if (n >= 1000000 && n % 1000000 == 0) return QString("%1M").arg(n / 1000000);
  if (n >= 1000 && n % 1000 == 0) return QString("%1k").arg(n / 1000);
  return QString::number(n);
}

/// Selects the item with `data`, adding one labelled `label` when there is none.
void selectData(QComboBox* combo, const QVariant& data, const QString& label) {
  const QSignalBlocker block(combo);
  int i = combo->findData(data);
  if (i < 0) {
    combo->addItem(label, data);
    i = combo->count() - 1;
  }
  combo->setCurrentIndex(i);
}

}  // namespace

DensityControls::DensityControls(const QStringList& solvers, int storedTimes, QWidget* parent) : QWidget(parent) {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  outer->setSpacing(4);
  auto* row1 = new QHBoxLayout;
  auto* row2 = new QHBoxLayout;
  outer->addLayout(row1);
  outer->addLayout(row2);
  auto label = [this](QHBoxLayout* row, const QString& text, QWidget* w, const QString& tip) {
    auto* l = new QLabel(text, this);
    l->setBuddy(w);
    row->addWidget(l);
    row->addWidget(w);
    w->setToolTip(tip);
  };
  auto combo = [this](const char* name) {
    auto* c = new QComboBox(this);
    c->setObjectName(name);
    return c;
  };

  runCombo_ = combo("runCombo");
  runCombo_->setMinimumContentsLength(12);
  label(row1, tr("&Run"), runCombo_, tr("The run whose newest weights are shown"));
  connect(runCombo_, qOverload<int>(&QComboBox::activated), this,
          [this](int i) { Q_EMIT runChosen(runCombo_->itemData(i).toInt()); });

  particlesCombo_ = combo("particlesCombo");
  for (int64_t n : {10000, 100000, 1000000})
    particlesCombo_->addItem(particlesLabel(n), QVariant::fromValue<qlonglong>(n));
  label(row1, tr("Particles"), particlesCombo_, tr("Samples from the noise, solved once per weight snapshot"));
  connect(particlesCombo_, qOverload<int>(&QComboBox::activated), this,
          [this](int i) { Q_EMIT particlesChosen(particlesCombo_->itemData(i).toLongLong()); });

  solverCombo_ = combo("solverCombo");
  solverCombo_->addItems(solvers);
  label(row1, tr("Solver"), solverCombo_,
        tr("ODE solver for the trajectories; states are stored at %1 times").arg(storedTimes));
  connect(solverCombo_, qOverload<int>(&QComboBox::activated), this,
          [this](int i) { Q_EMIT solverChosen(solverCombo_->itemText(i)); });

  binsCombo_ = combo("binsCombo");
  for (int b : {64, 128, 256, 512}) binsCombo_->addItem(QString::number(b), b);
  label(row1, tr("Bins"), binsCombo_, tr("Histogram cells per axis"));
  connect(binsCombo_, qOverload<int>(&QComboBox::activated), this,
          [this](int i) { Q_EMIT binsChosen(binsCombo_->itemData(i).toInt()); });

  colormapCombo_ = combo("colormapCombo");
  colormapCombo_->addItems(Colormap::names());
  label(row1, tr("Colormap"), colormapCombo_, tr("Perceptually uniform colormaps (matplotlib's)"));
  connect(colormapCombo_, qOverload<int>(&QComboBox::activated), this,
          [this](int i) { Q_EMIT colormapChosen(colormapCombo_->itemText(i)); });

  logCheck_ = new QCheckBox(tr("Log density"), this);
  logCheck_->setObjectName("logCheck");
  logCheck_->setToolTip(tr("Color by log density over %1 decades").arg(DensityScene::kLogDecades));
  row1->addWidget(logCheck_);
  connect(logCheck_, &QCheckBox::toggled, this, &DensityControls::logToggled);

  exactCheck_ = new QCheckBox(tr("Exact log p_t"), this);
  exactCheck_->setObjectName("exactCheck");
  exactCheck_->setToolTip(
      tr("Show the model's exact density at t (exact divergence, dopri5), refined 16x16 to 128x128"));
  row1->addWidget(exactCheck_);
  connect(exactCheck_, &QCheckBox::toggled, this, &DensityControls::exactToggled);
  row1->addStretch(1);

  rangeCombo_ = combo("rangeCombo");
  rangeCombo_->addItems({tr("auto"), tr("custom")});
  label(row2, tr("Range"), rangeCombo_, tr("auto: the dataset's bounds padded by 10%"));
  connect(rangeCombo_, qOverload<int>(&QComboBox::activated), this, [this](int i) {
    if (i == 0) Q_EMIT autoRangeChosen();
    else Q_EMIT customRangeChosen(fieldsRange());
  });
  for (int i = 0; i < 4; ++i) {
    auto* f = new QDoubleSpinBox(this);
    f->setObjectName(QString(kRangeKeys[i]) + "Field");
    f->setRange(session::kRangeBound.lo, session::kRangeBound.hi);
    f->setDecimals(2);
    f->setSingleStep(0.5);
    f->setKeyboardTracking(false);
    f->setToolTip(kRangeKeys[i]);
    row2->addWidget(f);
    rangeFields_[i] = f;
    connect(f, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
            [this] { Q_EMIT customRangeChosen(fieldsRange()); });
  }

  overlayCombo_ = combo("overlayCombo");
  for (int c : {0, 50, 200, 1000}) overlayCombo_->addItem(QString::number(c), c);
  label(row2, tr("Trajectories"), overlayCombo_, tr("Particle paths drawn over the density"));
  connect(overlayCombo_, qOverload<int>(&QComboBox::activated), this,
          [this](int i) { Q_EMIT overlaysChosen(overlayCombo_->itemData(i).toInt()); });

  colorByCombo_ = combo("colorByCombo");
  colorByCombo_->addItems({tr("start point"), tr("speed")});
  label(row2, tr("Color by"), colorByCombo_, tr("start point: hue from the angle of x0; speed: |dx/dt| along the path"));
  connect(colorByCombo_, qOverload<int>(&QComboBox::activated), this, [this](int i) {
    Q_EMIT coloringChosen(i == 1 ? OverlayColoring::Speed : OverlayColoring::StartPoint);
  });

  linkedCheck_ = new QCheckBox(tr("Linked t"), this);
  linkedCheck_->setObjectName("linkedCheck");
  linkedCheck_->setChecked(true);
  linkedCheck_->setToolTip(tr("Follow the global time; unlinked, this view keeps its own t"));
  row2->addWidget(linkedCheck_);
  connect(linkedCheck_, &QCheckBox::toggled, this, &DensityControls::linkedToggled);

  timeSlider_ = new QSlider(Qt::Horizontal, this);
  timeSlider_->setObjectName("timeSlider");
  timeSlider_->setRange(0, 1000);
  timeSlider_->setMinimumWidth(80);
  timeSlider_->setToolTip(tr("This view's t (moves the global t while linked)"));
  row2->addWidget(timeSlider_, 1);
  connect(timeSlider_, &QSlider::valueChanged, this, [this](int v) { Q_EMIT timeMoved(v / 1000.0); });
}

void DensityControls::setCompact(bool compact) {
  for (QWidget* w : findChildren<QWidget*>(QString(), Qt::FindDirectChildrenOnly)) {
    if (w == runCombo_ || w == linkedCheck_ || w == timeSlider_) continue;
    if (auto* l = qobject_cast<QLabel*>(w); l && l->buddy() == runCombo_) continue;
    w->setVisible(!compact);
  }
}

ViewBounds DensityControls::fieldsRange() const {
  return {rangeFields_[0]->value(), rangeFields_[1]->value(), rangeFields_[2]->value(), rangeFields_[3]->value()};
}

void DensityControls::addRun(int id, const QString& name) {
  if (runCombo_->findData(id) >= 0) return;
  const QSignalBlocker block(runCombo_);
  runCombo_->addItem(name, id);
}

void DensityControls::removeRun(int id) {
  const QSignalBlocker block(runCombo_);
  if (const int i = runCombo_->findData(id); i >= 0) runCombo_->removeItem(i);
}

void DensityControls::showRun(int id) {
  const QSignalBlocker block(runCombo_);
  runCombo_->setCurrentIndex(runCombo_->findData(id));
}

void DensityControls::showParticles(int64_t n) {
  selectData(particlesCombo_, QVariant::fromValue<qlonglong>(n), particlesLabel(n));
}

void DensityControls::showSolver(int index) {
  const QSignalBlocker block(solverCombo_);
  solverCombo_->setCurrentIndex(index);
}

void DensityControls::showBins(int bins) { selectData(binsCombo_, bins, QString::number(bins)); }

void DensityControls::showColormap(int kind) {
  const QSignalBlocker block(colormapCombo_);
  colormapCombo_->setCurrentIndex(kind);
}

void DensityControls::showLog(bool on) {
  const QSignalBlocker block(logCheck_);
  logCheck_->setChecked(on);
}

void DensityControls::showExact(bool on) {
  const QSignalBlocker block(exactCheck_);
  exactCheck_->setChecked(on);
}

void DensityControls::showRange(const ViewBounds& range, bool automatic) {
  for (int i = 0; i < 4; ++i) {
    const QSignalBlocker block(rangeFields_[i]);
    rangeFields_[i]->setValue(rangeValue(range, i));
    rangeFields_[i]->setEnabled(!automatic);
  }
  const QSignalBlocker block(rangeCombo_);
  rangeCombo_->setCurrentIndex(automatic ? 0 : 1);
}

void DensityControls::showOverlays(int count) { selectData(overlayCombo_, count, QString::number(count)); }

void DensityControls::showColoring(OverlayColoring coloring) {
  const QSignalBlocker block(colorByCombo_);
  colorByCombo_->setCurrentIndex(coloring == OverlayColoring::Speed ? 1 : 0);
}

void DensityControls::showLinked(bool on) {
  const QSignalBlocker block(linkedCheck_);
  linkedCheck_->setChecked(on);
}

void DensityControls::showTime(double t) {
  const QSignalBlocker block(timeSlider_);
  timeSlider_->setValue(static_cast<int>(std::lround(t * 1000)));
}

}  // namespace flowscope::gui
