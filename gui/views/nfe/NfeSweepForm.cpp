#include "gui/views/nfe/NfeSweepForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

#include "core/config/ConfigSchema.h"
#include "core/util/Error.h"
#include "core/util/ValueRange.h"
#include "gui/app/Theme.h"
#include "gui/views/nfe/NfeScene.h"

namespace flowscope::gui {
namespace {

QStringList tokens(const QString& text) { return text.split(QRegularExpression("[,;\\s]+"), Qt::SkipEmptyParts); }

/// "1, 2,4" -> {1, 2, 4} within sampling.steps' range; the message names the first bad entry.
QString parseSteps(const QString& text, std::vector<int>& out) {
  out.clear();
  const ValueRange range = schemaField("sampling.steps")->range;
  for (const QString& token : tokens(text)) {
    bool ok = false;
    const int v = token.toInt(&ok);
    if (!ok || !range.contains(v))
      return QString("'%1' is not a whole number %2").arg(token, QString::fromStdString(expectedInteger<int>(range)));
    out.push_back(v);
  }
  return {};
}

/// dopri5 tolerances (atol = rtol) within sampling.atol's range.
QString parseTolerances(const QString& text, std::vector<double>& out) {
  out.clear();
  const ValueRange range = schemaField("sampling.atol")->range;
  for (const QString& token : tokens(text)) {
    bool ok = false;
    const double v = token.toDouble(&ok);
    if (!ok || !range.contains(v))
      return QString("'%1' is not a number %2").arg(token, QString::fromStdString(expectedNumber(range)));
    out.push_back(v);
  }
  return {};
}

/// core's parser, the CLI's: its message, or empty.
QString checkReference(const QString& text) {
  try {
    parseSweepReference(text.toStdString());
    return {};
  } catch (const InputError& e) {
    return QString::fromStdString(e.what());
  }
}

/// An empty field or a readable file; the file's contents are checked by the engine when it loads
/// it (FileError/InputError in the panel's status).
QString checkClassifier(const QString& text) {
  const QString path = text.trimmed();
  if (path.isEmpty()) return {};
  const QFileInfo info(path);
  if (!info.exists()) return QString("%1: no such file (expected a classifier from flowscope-cli train-classifier)").arg(path);
  if (!info.isFile() || !info.isReadable()) return QString("%1: not a readable file").arg(path);
  return {};
}

QString joinInts(const std::vector<int>& v) {
  QStringList parts;
  for (int x : v) parts << QString::number(x);
  return parts.join(",");
}

QString joinDoubles(const std::vector<double>& v) {
  QStringList parts;
  for (double x : v) parts << QString::number(x, 'g', 6);
  return parts.join(",");
}

}  // namespace

NfeSweepForm::NfeSweepForm(QWidget* parent) : QWidget(parent) {
  auto* v = new QVBoxLayout(this);
  v->setContentsMargins(2, 2, 6, 2);
  v->addWidget(buildSweepBox());

  auto* chartBox = new QGroupBox("Charts", this);
  auto* chartForm = new QFormLayout(chartBox);
  metricCombo_ = new QComboBox(chartBox);
  metricCombo_->setObjectName("metric");
  metricCombo_->setToolTip("Sample-quality metric against the run's data (docs/metrics.md)");
  metricCombo_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  connect(metricCombo_, &QComboBox::textActivated, this, &NfeSweepForm::metricActivated);
  chartForm->addRow("Quality", metricCombo_);
  v->addWidget(chartBox);

  auto* stripBox = new QGroupBox("Sample strip", this);
  auto* stripForm = new QFormLayout(stripBox);
  stripSolverCombo_ = new QComboBox(stripBox);
  stripSolverCombo_->setObjectName("stripSolver");
  stripSolverCombo_->addItems(NfeScene::sweepSolvers());
  stripSolverCombo_->setCurrentText("midpoint");  // the paper's Figure 4 (right) solver
  stripSolverCombo_->setToolTip("Steps = NFE / evaluations per step (euler 1, midpoint 2, ...)");
  stripForm->addRow("Solver", stripSolverCombo_);
  stripPointsSpin_ = new QSpinBox(stripBox);
  stripPointsSpin_->setObjectName("stripPoints");
  stripPointsSpin_->setRange(10, 20000);
  stripPointsSpin_->setSingleStep(250);
  stripPointsSpin_->setValue(1000);
  stripForm->addRow("Points", stripPointsSpin_);
  stripButton_ = new QPushButton("Sample strip", stripBox);
  stripButton_->setObjectName("sampleStripButton");
  stripButton_->setToolTip("Samples at NFE 2, 4, 8, 16, 32 for every checked run (also runs after each sweep)");
  connect(stripButton_, &QPushButton::clicked, this, &NfeSweepForm::stripRequested);
  stripForm->addRow(stripButton_);
  v->addWidget(stripBox);
  v->addStretch(1);
  validate();
  setBusy(false, false);
}

QWidget* NfeSweepForm::buildSweepBox() {
  const auto message = [this](const QString& name) {
    auto* l = new QLabel(this);
    l->setObjectName(name);
    l->setWordWrap(true);
    l->hide();
    return l;
  };
  const auto withMessage = [this](QWidget* field, QLabel* msg) {
    auto* w = new QWidget(this);
    auto* l = new QVBoxLayout(w);
    l->setContentsMargins(0, 0, 0, 0);
    l->setSpacing(1);
    l->addWidget(field);
    l->addWidget(msg);
    return w;
  };
  auto* sweep = new QGroupBox("Sweep", this);
  auto* form = new QFormLayout(sweep);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  runList_ = new QListWidget(sweep);
  runList_->setObjectName("runList");
  runList_->setToolTip("Runs to sweep (their newest weights), all from the same noise");
  runList_->setMaximumHeight(96);
  connect(runList_, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
    const QString name = item->data(Qt::UserRole + 1).toString();
    if (item->checkState() == Qt::Checked) uncheckedRuns_.erase(name);
    else uncheckedRuns_.insert(name);
  });
  form->addRow("Runs", runList_);

  auto* solverWidget = new QWidget(sweep);
  auto* solverGrid = new QGridLayout(solverWidget);
  solverGrid->setContentsMargins(0, 0, 0, 0);
  int i = 0;
  for (const QString& s : NfeScene::sweepSolvers()) {
    auto* box = new QCheckBox(s, sweep);
    box->setObjectName("solver_" + s);
    box->setChecked(s == "euler" || s == "midpoint");
    connect(box, &QCheckBox::toggled, this, &NfeSweepForm::validate);
    solverBoxes_[s] = box;
    solverGrid->addWidget(box, i / 2, i % 2);
    ++i;
  }
  solversMessage_ = message("solversMessage");
  form->addRow("Solvers", withMessage(solverWidget, solversMessage_));

  stepsEdit_ = new QLineEdit("1,2,4,8,16,32,64", sweep);
  stepsEdit_->setObjectName("steps");
  stepsEdit_->setToolTip("Step counts for every fixed-step solver (NFE = steps x stages)");
  stepsMessage_ = message("stepsMessage");
  form->addRow("Steps", withMessage(stepsEdit_, stepsMessage_));
  tolerancesEdit_ = new QLineEdit("1e-2,1e-3,1e-4,1e-5", sweep);
  tolerancesEdit_->setObjectName("tolerances");
  tolerancesEdit_->setToolTip("dopri5 tolerances (atol = rtol); leave empty to skip dopri5");
  tolerancesMessage_ = message("tolerancesMessage");
  form->addRow("dopri5 tol.", withMessage(tolerancesEdit_, tolerancesMessage_));

  samplesSpin_ = new QSpinBox(sweep);
  samplesSpin_->setObjectName("samples");
  samplesSpin_->setRange(10, 1000000);
  samplesSpin_->setSingleStep(500);
  samplesSpin_->setValue(2000);
  samplesSpin_->setToolTip("Samples per solve (the same noise for every solver and run)");
  form->addRow("Samples n", samplesSpin_);
  seedSpin_ = new QSpinBox(sweep);
  seedSpin_->setObjectName("seed");
  seedSpin_->setRange(0, std::numeric_limits<int>::max());
  seedSpin_->setToolTip("Noise seed, shared by the sweep and the strip");
  form->addRow("Seed", seedSpin_);
  referenceEdit_ = new QLineEdit("rk4:1000", sweep);
  referenceEdit_->setObjectName("reference");
  referenceEdit_->setToolTip("High-accuracy solve the numerical error is measured against: rk4:STEPS or dopri5:TOL");
  referenceMessage_ = message("referenceMessage");
  form->addRow("Reference", withMessage(referenceEdit_, referenceMessage_));

  // Image runs: FD against NFE (Figure 7, right) needs the classifier of the offline FD.
  auto* classifierRow = new QWidget(sweep);
  auto* classifierLayout = new QHBoxLayout(classifierRow);
  classifierLayout->setContentsMargins(0, 0, 0, 0);
  classifierEdit_ = new QLineEdit(classifierRow);
  classifierEdit_->setObjectName("classifier");
  classifierEdit_->setPlaceholderText("image runs: classifier.pt (optional)");
  classifierEdit_->setToolTip("Image runs: score every solve with this classifier (flowscope-cli "
                              "train-classifier): classifier_fd and confidence against NFE");
  auto* browse = new QPushButton("...", classifierRow);
  browse->setObjectName("browseClassifier");
  browse->setMaximumWidth(32);
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, "Classifier", classifierEdit_->text(), "Classifiers (*.pt)");
    if (!path.isEmpty()) classifierEdit_->setText(path);
  });
  classifierLayout->addWidget(classifierEdit_, 1);
  classifierLayout->addWidget(browse);
  classifierMessage_ = message("classifierMessage");
  form->addRow("Classifier", withMessage(classifierRow, classifierMessage_));
  for (QLineEdit* e : {stepsEdit_, tolerancesEdit_, referenceEdit_, classifierEdit_}) {
    connect(e, &QLineEdit::textChanged, this, &NfeSweepForm::validate);
    connect(e, &QLineEdit::returnPressed, this, &NfeSweepForm::sweepRequested);
  }

  runButton_ = new QPushButton("Run sweep", sweep);
  runButton_->setObjectName("runSweep");
  runButton_->setDefault(true);
  cancelButton_ = new QPushButton("Cancel", sweep);
  cancelButton_->setObjectName("cancel");
  connect(runButton_, &QPushButton::clicked, this, &NfeSweepForm::sweepRequested);
  connect(cancelButton_, &QPushButton::clicked, this, &NfeSweepForm::cancelRequested);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(runButton_);
  buttons->addWidget(cancelButton_);
  form->addRow(buttons);
  progress_ = new QProgressBar(sweep);
  progress_->setObjectName("progress");
  progress_->setRange(0, 1);
  progress_->setValue(0);
  progress_->setFormat("%v / %m solves");
  form->addRow(progress_);
  status_ = new QLabel(sweep);
  status_->setObjectName("status");
  status_->setWordWrap(true);
  form->addRow(status_);
  return sweep;
}

QColor NfeSweepForm::errorColor() const {
  return palette().color(QPalette::Window).lightness() < 128 ? QColor(255, 120, 110) : QColor(190, 30, 30);
}

// ---- spec and validation ----------------------------------------------------------------------

void NfeSweepForm::validate() {
  std::vector<int> steps;
  std::vector<double> tols;
  const QString stepsError = parseSteps(stepsEdit_->text(), steps);
  const QString tolError = parseTolerances(tolerancesEdit_->text(), tols);
  bool anySolver = false;
  for (const auto& [name, box] : solverBoxes_) anySolver |= box->isChecked();
  QString solversError;
  if (!anySolver && tolError.isEmpty() && tols.empty()) solversError = "choose a solver or enter a dopri5 tolerance";
  QString stepsMsg = stepsError;
  if (stepsMsg.isEmpty() && anySolver && steps.empty()) stepsMsg = "enter at least one step count";
  const QString red = QString("color: %1").arg(errorColor().name());
  const auto show = [&red](QLabel* label, const QString& text) {
    label->setText(text);
    label->setStyleSheet(red);
    label->setVisible(!text.isEmpty());
  };
  show(stepsMessage_, stepsMsg);
  show(tolerancesMessage_, tolError);
  show(referenceMessage_, checkReference(referenceEdit_->text()));
  show(solversMessage_, solversError);
  show(classifierMessage_, checkClassifier(classifierEdit_->text()));
}

QString NfeSweepForm::fieldMessage(const QString& field) const {
  const QLabel* label = field == "steps"        ? stepsMessage_
                        : field == "tolerances" ? tolerancesMessage_
                        : field == "reference"  ? referenceMessage_
                        : field == "solvers"    ? solversMessage_
                        : field == "classifier" ? classifierMessage_
                                                : nullptr;
  return label ? label->text() : QString();
}

bool NfeSweepForm::readSpec(SweepSpec& out, QString* firstError) const {
  out = SweepSpec{};
  QString error;
  const auto note = [&error](const QString& e) {
    if (error.isEmpty()) error = e;
  };
  out.solvers.clear();
  for (const QString& s : NfeScene::sweepSolvers())
    if (solverBoxes_.at(s)->isChecked()) out.solvers.push_back(s.toStdString());
  std::vector<int> steps;
  if (const QString e = parseSteps(stepsEdit_->text(), steps); e.isEmpty()) out.steps = steps;
  else note("Steps: " + e);
  std::vector<double> tols;
  if (const QString e = parseTolerances(tolerancesEdit_->text(), tols); e.isEmpty()) out.tolerances = tols;
  else note("dopri5 tolerances: " + e);
  if (const QString e = checkReference(referenceEdit_->text()); e.isEmpty())
    out.reference = referenceEdit_->text().trimmed().toStdString();
  else note(e);
  if (const QString e = checkClassifier(classifierEdit_->text()); e.isEmpty())
    out.classifier = classifierEdit_->text().trimmed().toStdString();
  else note("Classifier: " + e);
  if (error.isEmpty() && !out.solvers.empty() && out.steps.empty()) note("Steps: enter at least one step count");
  if (error.isEmpty() && out.solvers.empty() && out.tolerances.empty()) note("Choose a solver or enter a dopri5 tolerance");
  out.n = samplesSpin_->value();
  out.seed = static_cast<uint64_t>(seedSpin_->value());
  out.metrics = metrics_;
  out.referenceCount = referenceCount_;
  if (firstError) *firstError = error;
  return error.isEmpty();
}

void NfeSweepForm::setSpec(const SweepSpec& s) {
  for (auto& [name, box] : solverBoxes_)
    box->setChecked(std::find(s.solvers.begin(), s.solvers.end(), name.toStdString()) != s.solvers.end());
  stepsEdit_->setText(joinInts(s.steps));
  tolerancesEdit_->setText(joinDoubles(s.tolerances));
  samplesSpin_->setValue(static_cast<int>(std::clamp<int64_t>(s.n, samplesSpin_->minimum(), samplesSpin_->maximum())));
  seedSpin_->setValue(static_cast<int>(std::min<uint64_t>(s.seed, static_cast<uint64_t>(seedSpin_->maximum()))));
  referenceEdit_->setText(QString::fromStdString(s.reference));
  classifierEdit_->setText(QString::fromStdString(s.classifier));
  metrics_ = s.metrics;
  referenceCount_ = s.referenceCount;
  validate();
}

// ---- runs -------------------------------------------------------------------------------------

QListWidgetItem* NfeSweepForm::itemFor(int id) const {
  for (int i = 0; i < runList_->count(); ++i)
    if (runList_->item(i)->data(Qt::UserRole).toInt() == id) return runList_->item(i);
  return nullptr;
}

void NfeSweepForm::addRun(int id, const QString& name, const QColor& color) {
  if (itemFor(id)) return;
  const QSignalBlocker block(runList_);
  auto* item = new QListWidgetItem(colorSwatch(color), name, runList_);
  item->setData(Qt::UserRole, id);
  item->setData(Qt::UserRole + 1, name);
  item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
  item->setCheckState(uncheckedRuns_.count(name) ? Qt::Unchecked : Qt::Checked);
}

void NfeSweepForm::removeRun(int id) { delete itemFor(id); }
bool NfeSweepForm::hasRun(int id) const { return itemFor(id) != nullptr; }

QStringList NfeSweepForm::runNames() const {
  QStringList names;
  for (int i = 0; i < runList_->count(); ++i) names << runList_->item(i)->data(Qt::UserRole + 1).toString();
  return names;
}

void NfeSweepForm::setRunChecked(const QString& name, bool checked) {
  if (checked) uncheckedRuns_.erase(name);
  else uncheckedRuns_.insert(name);
  const QSignalBlocker block(runList_);
  for (int i = 0; i < runList_->count(); ++i)
    if (runList_->item(i)->data(Qt::UserRole + 1).toString() == name)
      runList_->item(i)->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
}

bool NfeSweepForm::isRunChecked(const QString& name) const { return !uncheckedRuns_.count(name); }

std::vector<int> NfeSweepForm::checkedRunIds() const {
  std::vector<int> ids;
  for (int i = 0; i < runList_->count(); ++i)
    if (runList_->item(i)->checkState() == Qt::Checked) ids.push_back(runList_->item(i)->data(Qt::UserRole).toInt());
  return ids;
}

// ---- the rest ---------------------------------------------------------------------------------

void NfeSweepForm::setMetricKeys(const QStringList& keys, const QString& current) {
  const QSignalBlocker block(metricCombo_);
  metricCombo_->clear();
  metricCombo_->addItems(keys);
  metricCombo_->setCurrentText(current);
  metricCombo_->setEnabled(!keys.isEmpty());
}

QString NfeSweepForm::stripSolver() const { return stripSolverCombo_->currentText(); }

void NfeSweepForm::setStripSolver(const QString& solver) {
  const int i = stripSolverCombo_->findText(solver);
  if (i >= 0) stripSolverCombo_->setCurrentIndex(i);
}

int NfeSweepForm::stripPoints() const { return stripPointsSpin_->value(); }
void NfeSweepForm::setStripPoints(int n) { stripPointsSpin_->setValue(n); }
uint64_t NfeSweepForm::seed() const { return static_cast<uint64_t>(seedSpin_->value()); }

void NfeSweepForm::setBusy(bool sweeping, bool sampling) {
  cancelButton_->setEnabled(sweeping || sampling);
  stripButton_->setEnabled(!sampling);
}

void NfeSweepForm::setProgress(int done, int total) {
  progress_->setRange(0, std::max(1, total));
  progress_->setValue(std::min(done, std::max(1, total)));
}

void NfeSweepForm::finishProgress() { progress_->setValue(progress_->maximum()); }

int NfeSweepForm::progressValue() const { return progress_->value(); }

void NfeSweepForm::setStatus(const QString& text, bool error) {
  status_->setText(text);
  status_->setStyleSheet(error ? QString("color: %1").arg(errorColor().name()) : QString());
}

QJsonObject NfeSweepForm::saveState() const {
  QJsonObject o;
  QJsonArray unchecked, solvers;
  for (const QString& name : uncheckedRuns_) unchecked.append(name);
  for (const QString& s : NfeScene::sweepSolvers())
    if (solverBoxes_.at(s)->isChecked()) solvers.append(s);
  o["uncheckedRuns"] = unchecked;
  o["solvers"] = solvers;
  o["steps"] = stepsEdit_->text();
  o["tolerances"] = tolerancesEdit_->text();
  o["samples"] = samplesSpin_->value();
  o["seed"] = seedSpin_->value();
  o["reference"] = referenceEdit_->text();
  o["classifier"] = classifierEdit_->text();
  o["stripSolver"] = stripSolver();
  o["stripPoints"] = stripPoints();
  return o;
}

void NfeSweepForm::restoreState(const QJsonObject& o) {
  if (o.contains("uncheckedRuns")) {
    uncheckedRuns_.clear();
    for (const auto& v : o["uncheckedRuns"].toArray()) uncheckedRuns_.insert(v.toString());
    const QSignalBlocker block(runList_);
    for (int i = 0; i < runList_->count(); ++i)
      runList_->item(i)->setCheckState(
          uncheckedRuns_.count(runList_->item(i)->data(Qt::UserRole + 1).toString()) ? Qt::Unchecked : Qt::Checked);
  }
  if (o.contains("solvers")) {
    std::set<QString> on;
    for (const auto& v : o["solvers"].toArray()) on.insert(v.toString());
    for (auto& [name, box] : solverBoxes_) box->setChecked(on.count(name) > 0);
  }
  if (o.contains("steps")) stepsEdit_->setText(o["steps"].toString());
  if (o.contains("tolerances")) tolerancesEdit_->setText(o["tolerances"].toString());
  if (o.contains("samples")) samplesSpin_->setValue(o["samples"].toInt(samplesSpin_->value()));
  if (o.contains("seed")) seedSpin_->setValue(o["seed"].toInt(seedSpin_->value()));
  if (o.contains("reference")) referenceEdit_->setText(o["reference"].toString());
  if (o.contains("classifier")) classifierEdit_->setText(o["classifier"].toString());
  if (o.contains("stripSolver")) setStripSolver(o["stripSolver"].toString());
  if (o.contains("stripPoints")) setStripPoints(o["stripPoints"].toInt(stripPoints()));
  validate();
}

}  // namespace flowscope::gui
