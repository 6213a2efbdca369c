#include "gui/views/nfe/NfePanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "gui/services/AsyncQuery.h"
#include "gui/plot/AxisTicks.h"
#include "gui/services/RunManager.h"
#include "gui/app/Theme.h"

namespace flowscope::gui {
namespace {

const QString kSweepKey = "nfe-sweep";
const QString kStripKey = "nfe-strip";
constexpr double kStripGap = 8, kStripHeader = 44, kMaxStripCell = 190;

/// A widget that delegates painting and tooltips to the panel: the same drawing code then serves
/// the screen and the exported figure.
class PaintBox : public QWidget {
 public:
  explicit PaintBox(QWidget* parent) : QWidget(parent) { setAttribute(Qt::WA_OpaquePaintEvent, false); }
  std::function<void(QPainter&, const QRectF&)> paint;
  std::function<QString(const QPointF&, const QRectF&)> tip;
  std::function<void()> resized;

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    if (paint) paint(p, QRectF(rect()));
  }
  void resizeEvent(QResizeEvent* e) override {
    QWidget::resizeEvent(e);
    if (resized) resized();
  }
  bool event(QEvent* e) override {
    if (e->type() == QEvent::ToolTip && tip) {
      auto* help = static_cast<QHelpEvent*>(e);
      const QString text = tip(help->pos(), QRectF(rect()));
      if (text.isEmpty()) QToolTip::hideText();
      else QToolTip::showText(help->globalPos(), text, this);
      return true;
    }
    return QWidget::event(e);
  }
};


/// Line and marker per solver: the run gives the color, the solver the dash and the marker, so
/// (run, solver) pairs stay apart in print as well.
enum class Marker { Circle, Square, Triangle, Diamond, Cross };
struct SolverStyle {
  Qt::PenStyle line;
  Marker marker;
};
SolverStyle styleFor(const QString& solver) {
  if (solver == "euler") return {Qt::SolidLine, Marker::Circle};
  if (solver == "midpoint") return {Qt::DashLine, Marker::Square};
  if (solver == "heun") return {Qt::DotLine, Marker::Triangle};
  if (solver == "rk4") return {Qt::DashDotLine, Marker::Diamond};
  return {Qt::DashDotDotLine, Marker::Cross};  // dopri5
}

void drawMarker(QPainter& p, const QPointF& c, Marker m, double size, const QColor& fill, const QColor& outline) {
  const double h = size / 2;
  p.setPen(QPen(outline, 0.8));
  p.setBrush(fill);
  switch (m) {
    case Marker::Circle: p.drawEllipse(c, h, h); break;
    case Marker::Square: p.drawRect(QRectF(c.x() - h * 0.9, c.y() - h * 0.9, size * 0.9, size * 0.9)); break;
    case Marker::Triangle:
      p.drawPolygon(QPolygonF({c + QPointF(0, -h * 1.15), c + QPointF(h * 1.05, h * 0.8), c + QPointF(-h * 1.05, h * 0.8)}));
      break;
    case Marker::Diamond:
      p.drawPolygon(QPolygonF({c + QPointF(0, -h * 1.2), c + QPointF(h, 0), c + QPointF(0, h * 1.2), c + QPointF(-h, 0)}));
      break;
    case Marker::Cross:
      p.setPen(QPen(fill, 1.8));
      p.drawLine(c + QPointF(-h, -h), c + QPointF(h, h));
      p.drawLine(c + QPointF(-h, h), c + QPointF(h, -h));
      break;
  }
}


/// Tick labels: plain numbers in a readable range, "2e-5" outside it.
QString tickLabel(double v) {
  if (v == 0) return "0";
  const double a = std::abs(v);
  if (a >= 0.01 && a < 1e4) return QString::number(v, 'g', 4);
  const int e = static_cast<int>(std::floor(std::log10(a) + 1e-9));
  const double m = v / std::pow(10.0, e);
  return QString("%1e%2").arg(QString::number(m, 'g', 3)).arg(e);
}

QString metricDescription(const QString& key) {
  if (key == "frac_black") return "frac_black (fraction on black squares, higher is better)";
  if (key.isEmpty()) return "quality";
  return key + " (lower is better)";
}

/// "1, 2,4" -> {1, 2, 4}; the message names the first bad entry.
QString parseSteps(const QString& text, std::vector<int>& out) {
  out.clear();
  for (const QString& token : text.split(QRegularExpression("[,;\\s]+"), Qt::SkipEmptyParts)) {
    bool ok = false;
    const int v = token.toInt(&ok);
    if (!ok || v < 1 || v > 1000000) return QString("'%1' is not a whole number from 1 to 1000000").arg(token);
    out.push_back(v);
  }
  return {};
}

QString parseTolerances(const QString& text, std::vector<double>& out) {
  out.clear();
  for (const QString& token : text.split(QRegularExpression("[,;\\s]+"), Qt::SkipEmptyParts)) {
    bool ok = false;
    const double v = token.toDouble(&ok);
    if (!ok || !(v > 0) || !(v < 1)) return QString("'%1' is not a number between 0 and 1").arg(token);
    out.push_back(v);
  }
  return {};
}

QString checkReference(const QString& text) {
  static const QRegularExpression rk4("^rk4:(\\d+)$"), dopri("^dopri5:(\\S+)$");
  const QString t = text.trimmed();
  if (auto m = rk4.match(t); m.hasMatch()) {
    bool ok = false;
    const int k = m.captured(1).toInt(&ok);
    if (ok && k >= 1) return {};
  } else if (auto m2 = dopri.match(t); m2.hasMatch()) {
    bool ok = false;
    const double tol = m2.captured(1).toDouble(&ok);
    if (ok && tol > 0 && tol < 1) return {};
  }
  return "expected rk4:STEPS or dopri5:TOLERANCE";
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

/// Fonts in pixels, not points: the exporter scales the painter, and point sizes would be scaled
/// a second time by a high-DPI image.
QFont pixelFont(const QFont& base, int px, bool bold = false) {
  QFont f = base;
  f.setPixelSize(px);
  f.setBold(bold);
  return f;
}

QColor errorColor(const QPalette& pal) {
  return pal.color(QPalette::Window).lightness() < 128 ? QColor(255, 120, 110) : QColor(190, 30, 30);
}

}  // namespace

const QStringList& NfePanel::sweepSolvers() {
  static const QStringList solvers{"euler", "midpoint", "heun", "rk4"};
  return solvers;
}

const std::vector<int>& NfePanel::stripNfes() {
  static const std::vector<int> nfes{2, 4, 8, 16, 32};
  return nfes;
}

QPointF NfePanel::Frame::map(const QPointF& d) const {
  const double lx = std::log10(d.x());
  const double vy = logY ? std::log10(d.y()) : d.y();
  return {plot.left() + (lx - x0) / (x1 - x0) * plot.width(), plot.bottom() - (vy - y0) / (y1 - y0) * plot.height()};
}

NfePanel::NfePanel(RunManager* runs, AsyncQuery* queries, QWidget* parent)
    : QWidget(parent), runs_(runs), queries_(queries) {
  setObjectName("nfePanel");
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);

  auto* controlsScroll = new QScrollArea(this);
  controlsScroll->setWidget(buildControls());
  controlsScroll->setWidgetResizable(true);
  controlsScroll->setFrameShape(QFrame::NoFrame);
  controlsScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  controlsScroll->setFixedWidth(290);
  layout->addWidget(controlsScroll);

  auto makeChart = [this](Chart chart, const QString& name) {
    auto* box = new PaintBox(this);
    box->setObjectName(name);
    box->setMinimumSize(260, 220);
    box->paint = [this, box, chart](QPainter& p, const QRectF& r) { paintChart(p, r, chart, box->palette()); };
    box->tip = [this, chart](const QPointF& pos, const QRectF& r) { return chartTip(chart, pos, r); };
    return box;
  };
  errorChart_ = makeChart(Chart::Error, "errorChart");
  qualityChart_ = makeChart(Chart::Quality, "qualityChart");
  auto* legend = new PaintBox(this);
  legend->setObjectName("legend");
  legend->paint = [this, legend](QPainter& p, const QRectF& r) { paintLegend(p, r, legend->palette()); };
  legend->resized = [this, legend] { legend->setFixedHeight(static_cast<int>(std::ceil(legendHeight(legend->width())))); };
  legend_ = legend;

  auto* charts = new QWidget(this);
  auto* chartsLayout = new QVBoxLayout(charts);
  chartsLayout->setContentsMargins(0, 0, 0, 0);
  chartsLayout->setSpacing(2);
  auto* chartRow = new QHBoxLayout;
  chartRow->addWidget(errorChart_, 1);
  chartRow->addWidget(qualityChart_, 1);
  chartsLayout->addLayout(chartRow, 1);
  chartsLayout->addWidget(legend_);

  auto* strip = new PaintBox(this);
  strip->setObjectName("sampleStrip");
  strip->paint = [this, strip](QPainter& p, const QRectF& r) { paintStrip(p, r, strip->palette()); };
  strip->resized = [this, strip] { strip->setMinimumHeight(static_cast<int>(std::ceil(stripHeight(strip->width())))); };
  strip_ = strip;
  auto* stripScroll = new QScrollArea(this);
  stripScroll->setWidget(strip_);
  stripScroll->setWidgetResizable(true);
  stripScroll->setFrameShape(QFrame::NoFrame);
  stripScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(charts);
  splitter->addWidget(stripScroll);
  splitter->setStretchFactor(0, 1);
  splitter->setStretchFactor(1, 1);
  splitter->setChildrenCollapsible(false);
  splitter->setSizes({520, 380});  // room for a row of the strip below the charts
  layout->addWidget(splitter, 1);

  if (runs_) {
    for (int id : runs_->runIds()) addRunItem(id);
    connect(runs_, &RunManager::runAdded, this, &NfePanel::addRunItem);
    connect(runs_, &RunManager::weightsUpdated, this, &NfePanel::addRunItem);  // no-op when listed
    connect(runs_, &RunManager::runRemoved, this, [this](int id) { delete itemFor(id); });
  }
  validate();
  updateButtons();
  repaintAll();
}

NfePanel::~NfePanel() {
  // Posted results capture a QPointer to this panel; cancelling also frees the pool sooner.
  if (queries_) {
    if (sweepRunning_) queries_->cancel(kSweepKey);
    if (stripRunning_) queries_->cancel(kStripKey);
  }
}

QWidget* NfePanel::buildControls() {
  auto* root = new QWidget;
  auto* v = new QVBoxLayout(root);
  v->setContentsMargins(2, 2, 6, 2);

  auto message = [root](const QString& name) {
    auto* l = new QLabel(root);
    l->setObjectName(name);
    l->setWordWrap(true);
    l->hide();
    return l;
  };
  auto withMessage = [root](QWidget* field, QLabel* msg) {
    auto* w = new QWidget(root);
    auto* l = new QVBoxLayout(w);
    l->setContentsMargins(0, 0, 0, 0);
    l->setSpacing(1);
    l->addWidget(field);
    l->addWidget(msg);
    return w;
  };

  // Sweep settings.
  auto* sweep = new QGroupBox("Sweep", root);
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

  auto* solverGrid = new QGridLayout;
  solverGrid->setContentsMargins(0, 0, 0, 0);
  int i = 0;
  for (const QString& s : sweepSolvers()) {
    auto* box = new QCheckBox(s, sweep);
    box->setObjectName("solver_" + s);
    box->setChecked(s == "euler" || s == "midpoint");
    connect(box, &QCheckBox::toggled, this, &NfePanel::validate);
    solverBoxes_[s] = box;
    solverGrid->addWidget(box, i / 2, i % 2);
    ++i;
  }
  auto* solverWidget = new QWidget(sweep);
  solverWidget->setLayout(solverGrid);
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
  referenceEdit_->setToolTip("High-accuracy solve the numerical error is measured against");
  referenceMessage_ = message("referenceMessage");
  form->addRow("Reference", withMessage(referenceEdit_, referenceMessage_));

  for (QLineEdit* e : {stepsEdit_, tolerancesEdit_, referenceEdit_}) {
    connect(e, &QLineEdit::textChanged, this, &NfePanel::validate);
    connect(e, &QLineEdit::returnPressed, this, &NfePanel::runSweep);
  }

  runButton_ = new QPushButton("Run sweep", sweep);
  runButton_->setObjectName("runSweep");
  runButton_->setDefault(true);
  cancelButton_ = new QPushButton("Cancel", sweep);
  cancelButton_->setObjectName("cancel");
  connect(runButton_, &QPushButton::clicked, this, &NfePanel::runSweep);
  connect(cancelButton_, &QPushButton::clicked, this, &NfePanel::cancel);
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
  v->addWidget(sweep);

  // Chart settings.
  auto* chartBox = new QGroupBox("Charts", root);
  auto* chartForm = new QFormLayout(chartBox);
  metricCombo_ = new QComboBox(chartBox);
  metricCombo_->setObjectName("metric");
  metricCombo_->setToolTip("Sample-quality metric against the run's data (docs/metrics.md)");
  metricCombo_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  connect(metricCombo_, &QComboBox::textActivated, this, &NfePanel::setQualityMetric);
  chartForm->addRow("Quality", metricCombo_);
  v->addWidget(chartBox);

  // Strip settings.
  auto* stripBox = new QGroupBox("Sample strip", root);
  auto* stripForm = new QFormLayout(stripBox);
  stripSolverCombo_ = new QComboBox(stripBox);
  stripSolverCombo_->setObjectName("stripSolver");
  stripSolverCombo_->addItems({"euler", "midpoint"});
  stripSolverCombo_->setCurrentText("midpoint");  // the paper's Figure 4 (right) solver
  stripSolverCombo_->setToolTip("euler: steps = NFE; midpoint: steps = NFE / 2");
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
  connect(stripButton_, &QPushButton::clicked, this, &NfePanel::runStrip);
  stripForm->addRow(stripButton_);
  v->addWidget(stripBox);
  v->addStretch(1);
  return root;
}

// ---- runs -------------------------------------------------------------------------------------

QListWidgetItem* NfePanel::itemFor(int id) const {
  for (int i = 0; i < runList_->count(); ++i)
    if (runList_->item(i)->data(Qt::UserRole).toInt() == id) return runList_->item(i);
  return nullptr;
}

void NfePanel::addRunItem(int id) {
  const RunRecord* r = runs_ ? runs_->run(id) : nullptr;
  if (!r || !r->weights || itemFor(id)) return;  // only runs that can be sampled
  const QSignalBlocker block(runList_);
  auto* item = new QListWidgetItem(colorSwatch(r->color), r->name, runList_);
  item->setData(Qt::UserRole, id);
  item->setData(Qt::UserRole + 1, r->name);
  item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
  item->setCheckState(uncheckedRuns_.count(r->name) ? Qt::Unchecked : Qt::Checked);
}

QStringList NfePanel::runNames() const {
  QStringList names;
  for (int i = 0; i < runList_->count(); ++i) names << runList_->item(i)->data(Qt::UserRole + 1).toString();
  return names;
}

void NfePanel::setRunChecked(const QString& name, bool checked) {
  if (checked) uncheckedRuns_.erase(name);
  else uncheckedRuns_.insert(name);
  const QSignalBlocker block(runList_);
  for (int i = 0; i < runList_->count(); ++i)
    if (runList_->item(i)->data(Qt::UserRole + 1).toString() == name)
      runList_->item(i)->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
}

bool NfePanel::isRunChecked(const QString& name) const { return !uncheckedRuns_.count(name); }

// ---- spec and validation ----------------------------------------------------------------------

void NfePanel::validate() {
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
  const QColor red = errorColor(palette());
  auto show = [&red](QLabel* label, const QString& text) {
    label->setText(text);
    label->setStyleSheet(QString("color: %1").arg(red.name()));
    label->setVisible(!text.isEmpty());
  };
  show(stepsMessage_, stepsMsg);
  show(tolerancesMessage_, tolError);
  show(referenceMessage_, checkReference(referenceEdit_->text()));
  show(solversMessage_, solversError);
}

QString NfePanel::fieldMessage(const QString& field) const {
  const QLabel* label = field == "steps"        ? stepsMessage_
                        : field == "tolerances" ? tolerancesMessage_
                        : field == "reference"  ? referenceMessage_
                        : field == "solvers"    ? solversMessage_
                                                : nullptr;
  return label ? label->text() : QString();
}

bool NfePanel::readSpec(SweepSpec& out, QString* firstError) const {
  out = SweepSpec{};
  QString error;
  auto note = [&error](const QString& e) {
    if (error.isEmpty()) error = e;
  };
  out.solvers.clear();
  for (const QString& s : sweepSolvers())
    if (solverBoxes_.at(s)->isChecked()) out.solvers.push_back(s.toStdString());
  std::vector<int> steps;
  if (const QString e = parseSteps(stepsEdit_->text(), steps); e.isEmpty()) out.steps = steps;
  else note("Steps: " + e);
  std::vector<double> tols;
  if (const QString e = parseTolerances(tolerancesEdit_->text(), tols); e.isEmpty()) out.tolerances = tols;
  else note("dopri5 tolerances: " + e);
  if (const QString e = checkReference(referenceEdit_->text()); e.isEmpty()) out.reference = referenceEdit_->text().trimmed().toStdString();
  else note("Reference: " + e);
  if (error.isEmpty() && !out.solvers.empty() && out.steps.empty()) note("Steps: enter at least one step count");
  if (error.isEmpty() && out.solvers.empty() && out.tolerances.empty()) note("Choose a solver or enter a dopri5 tolerance");
  out.n = samplesSpin_->value();
  out.seed = static_cast<uint64_t>(seedSpin_->value());
  out.metrics = metrics_;
  out.referenceCount = referenceCount_;
  if (firstError) *firstError = error;
  return error.isEmpty();
}

SweepSpec NfePanel::spec() const {
  SweepSpec s;
  readSpec(s, nullptr);
  return s;
}

void NfePanel::setSpec(const SweepSpec& s) {
  for (auto& [name, box] : solverBoxes_)
    box->setChecked(std::find(s.solvers.begin(), s.solvers.end(), name.toStdString()) != s.solvers.end());
  stepsEdit_->setText(joinInts(s.steps));
  tolerancesEdit_->setText(joinDoubles(s.tolerances));
  samplesSpin_->setValue(static_cast<int>(std::clamp<int64_t>(s.n, samplesSpin_->minimum(), samplesSpin_->maximum())));
  seedSpin_->setValue(static_cast<int>(std::min<uint64_t>(s.seed, static_cast<uint64_t>(seedSpin_->maximum()))));
  referenceEdit_->setText(QString::fromStdString(s.reference));
  metrics_ = s.metrics;
  referenceCount_ = s.referenceCount;
  validate();
}

void NfePanel::setStripSolver(const QString& solver) {
  const int i = stripSolverCombo_->findText(solver);
  if (i >= 0) stripSolverCombo_->setCurrentIndex(i);
}

QString NfePanel::stripSolver() const { return stripSolverCombo_->currentText(); }
void NfePanel::setStripPoints(int n) { stripPointsSpin_->setValue(n); }
int NfePanel::stripPoints() const { return stripPointsSpin_->value(); }

void NfePanel::updateButtons() {
  cancelButton_->setEnabled(isBusy());
  stripButton_->setEnabled(!stripRunning_);
}

void NfePanel::setStatus(const QString& text, bool error) {
  status_->setText(text);
  status_->setStyleSheet(error ? QString("color: %1").arg(errorColor(palette()).name()) : QString());
}

// ---- jobs -------------------------------------------------------------------------------------

namespace {
struct RunJob {
  QString name;
  QColor color;
  FlowModelPtr model;
};

/// The runs checked in the panel's list that have weights to solve with.
std::vector<RunJob> checkedRuns(const QListWidget* list, const RunManager* runs) {
  std::vector<RunJob> jobs;
  for (int i = 0; i < list->count(); ++i) {
    const QListWidgetItem* item = list->item(i);
    const RunRecord* r = runs ? runs->run(item->data(Qt::UserRole).toInt()) : nullptr;
    if (item->checkState() == Qt::Checked && r && r->weights) jobs.push_back({r->name, r->color, r->weights});
  }
  return jobs;
}
}  // namespace

void NfePanel::runSweep() {
  validate();
  SweepSpec s;
  QString error;
  if (!readSpec(s, &error)) {
    setStatus(error, true);
    return;
  }
  const std::vector<RunJob> jobs = checkedRuns(runList_, runs_);
  if (jobs.empty() || !queries_) {
    setStatus("Check at least one run with weights to sweep.", true);
    return;
  }
  queries_->cancel(kStripKey);  // its rows would mix with the new sweep's
  stripRunning_ = false;
  results_.clear();
  resultColors_.clear();
  stripRows_.clear();
  stripSamples_.clear();
  sweptReference_ = QString::fromStdString(s.reference);
  const int perRun = static_cast<int>(s.solvers.size() * s.steps.size() + s.tolerances.size());
  progressTotal_ = perRun * static_cast<int>(jobs.size());
  progress_->setRange(0, std::max(1, progressTotal_));
  progress_->setValue(0);
  sweepRunning_ = true;
  setStatus(QString("Sweeping %1 run(s): %2 solves each...").arg(jobs.size()).arg(perRun));
  updateButtons();
  refreshMetricCombo();
  repaintAll();

  QPointer<NfePanel> self(this);
  queries_->submitWithPosts(
      kSweepKey,
      [jobs, s, perRun, self](const std::atomic<bool>& cancel, const AsyncQuery::Poster& post) {
        for (size_t i = 0; i < jobs.size() && !cancel.load(); ++i) {
          const int base = static_cast<int>(i) * perRun;
          SweepResult r = sweepModel(
              *jobs[i].model, s,
              [&post, self, base](int done, int) {
                post([self, v = base + done] {
                  if (self) self->progress_->setValue(v);
                });
              },
              &cancel);
          if (cancel.load()) return;  // a cancelled run's partial rows are not shown
          post([self, name = jobs[i].name, color = jobs[i].color, r] {
            if (self) self->addResult(name, color, r);
          });
        }
      },
      [self] {
        if (self) self->sweepDone();
      },
      [self](const QString& e) {
        if (self) self->jobFailed("sweep", e);
      });
}

void NfePanel::addResult(const QString& run, const QColor& color, SweepResult result) {
  results_.emplace_back(run, std::move(result));
  resultColors_[run] = color;
  refreshMetricCombo();
  repaintAll();
}

void NfePanel::sweepDone() {
  sweepRunning_ = false;
  progress_->setValue(progress_->maximum());
  int64_t refNfe = results_.empty() ? 0 : results_.front().second.referenceNfe;
  setStatus(QString("Swept %1 run(s); reference %2 (%3 NFE).").arg(results_.size()).arg(sweptReference_).arg(refNfe));
  runStrip();  // before the signal, so isBusy() stays true until the strip is in
  updateButtons();
  Q_EMIT sweepFinished();
}

void NfePanel::jobFailed(const QString& what, const QString& error) {
  if (what == "sweep") sweepRunning_ = false;
  else stripRunning_ = false;
  setStatus(QString("The %1 failed: %2").arg(what, error), true);
  updateButtons();
}

void NfePanel::runStrip() {
  const std::vector<RunJob> jobs = checkedRuns(runList_, runs_);
  if (jobs.empty() || !queries_) {
    setStatus("Check at least one run with weights for the strip.", true);
    return;
  }
  stripRows_.clear();
  stripSamples_.clear();
  stripSolverUsed_ = stripSolver();
  stripRunning_ = true;
  updateButtons();
  repaintAll();

  const std::string solver = stripSolverUsed_.toStdString();
  const int64_t n = stripPoints();
  const auto seed = static_cast<uint64_t>(seedSpin_->value());
  QPointer<NfePanel> self(this);
  queries_->submitWithPosts(
      kStripKey,
      [jobs, solver, n, seed, self](const std::atomic<bool>& cancel, const AsyncQuery::Poster& post) {
        for (const RunJob& job : jobs) {
          StripRow row{job.name, job.color, dataBounds(job.model->config().data), {}};
          for (int nfe : stripNfes()) {
            if (cancel.load()) return;
            SolverSpec s;
            s.solver = solver;
            s.steps = solver == "midpoint" ? std::max(1, nfe / 2) : nfe;  // two evaluations per step
            row.sets.push_back(samplePoints(*job.model, n, seed, s));
          }
          post([self, row] {
            if (!self) return;
            self->stripSamples_[row.run] = row.sets;
            self->stripRows_.push_back(row);
            self->repaintAll();
          });
        }
      },
      [self] {
        if (!self) return;
        self->stripRunning_ = false;
        self->updateButtons();
        Q_EMIT self->stripFinished();
      },
      [self](const QString& e) {
        if (self) self->jobFailed("strip", e);
      });
}

void NfePanel::cancel() {
  if (queries_) {
    queries_->cancel(kSweepKey);
    queries_->cancel(kStripKey);
  }
  if (isBusy()) setStatus(QString("Cancelled; %1 run(s) finished before.").arg(results_.size()));
  sweepRunning_ = stripRunning_ = false;
  updateButtons();
}

// ---- metric choice ----------------------------------------------------------------------------

void NfePanel::refreshMetricCombo() {
  std::set<QString> keys;
  for (const auto& [name, r] : results_)
    for (const auto& row : r.rows)
      for (const auto& [k, v] : row.metrics) keys.insert(QString::fromStdString(k));
  const QSignalBlocker block(metricCombo_);
  metricCombo_->clear();
  for (const QString& k : keys) metricCombo_->addItem(k);
  metricCombo_->setCurrentText(effectiveMetric());
  metricCombo_->setEnabled(!keys.empty());
}

QString NfePanel::effectiveMetric() const {
  std::set<QString> keys;
  for (int i = 0; i < metricCombo_->count(); ++i) keys.insert(metricCombo_->itemText(i));
  if (metricChosen_ && !metricKey_.isEmpty() && (keys.empty() || keys.count(metricKey_))) return metricKey_;
  // Sliced W2 by default: defined for every dataset and it penalizes both spread and
  // over-concentration; frac_black rewards the latter at low NFE (docs/report).
  if (keys.empty() || keys.count("sliced_w2")) return "sliced_w2";
  return *keys.begin();
}

void NfePanel::setQualityMetric(const QString& key) {
  metricKey_ = key;
  metricChosen_ = !key.isEmpty();
  const QSignalBlocker block(metricCombo_);
  metricCombo_->setCurrentText(effectiveMetric());
  repaintAll();
}

QString NfePanel::qualityMetric() const { return effectiveMetric(); }

// ---- series -----------------------------------------------------------------------------------

std::vector<NfePanel::Series> NfePanel::buildSeries(Chart chart) const {
  const std::string metric = effectiveMetric().toStdString();
  QStringList solvers = sweepSolvers();
  solvers << "dopri5";
  std::vector<Series> out;
  for (const auto& [run, result] : results_) {
    for (const QString& solver : solvers) {
      Series s{run, resultColors_.count(run) ? resultColors_.at(run) : QColor(Qt::gray), solver, {}};
      for (const SweepRow& row : result.rows) {
        if (QString::fromStdString(row.solver) != solver || row.nfe <= 0) continue;
        double y = row.numericalError;
        if (chart == Chart::Quality) {
          auto it = row.metrics.find(metric);
          y = it == row.metrics.end() ? std::numeric_limits<double>::quiet_NaN() : it->second;
        }
        if (!std::isfinite(y) || (chart == Chart::Error && y <= 0)) continue;  // log axis
        s.points.append(QPointF(static_cast<double>(row.nfe), y));
      }
      std::stable_sort(s.points.begin(), s.points.end(), [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); });
      if (!s.points.isEmpty()) out.push_back(std::move(s));
    }
  }
  return out;
}

QVector<QPointF> NfePanel::plottedPoints(const QString& run, const QString& solver, const QString& chart) const {
  for (const Series& s : buildSeries(chart == "quality" ? Chart::Quality : Chart::Error))
    if (s.run == run && s.solver == solver) return s.points;
  return {};
}

// ---- charts -----------------------------------------------------------------------------------

NfePanel::Frame NfePanel::chartFrame(Chart chart, const QRectF& rect, const std::vector<Series>& series) const {
  Frame f;
  f.plot = rect.adjusted(64, 30, -14, -42);
  f.logY = chart == Chart::Error;
  double xlo = std::numeric_limits<double>::infinity(), xhi = -xlo, ylo = xlo, yhi = -xlo;
  for (const Series& s : series)
    for (const QPointF& p : s.points) {
      const double y = f.logY ? std::log10(p.y()) : p.y();
      xlo = std::min(xlo, std::log10(p.x())), xhi = std::max(xhi, std::log10(p.x()));
      ylo = std::min(ylo, y), yhi = std::max(yhi, y);
    }
  if (!std::isfinite(xlo)) {  // nothing yet: a plausible empty frame
    xlo = 0, xhi = std::log10(64.0);
    ylo = f.logY ? -4 : 0, yhi = f.logY ? 0 : 1;
  }
  if (xhi - xlo < 1e-9) xlo -= 0.3, xhi += 0.3;
  if (yhi - ylo < 1e-12) {
    const double d = f.logY ? 0.5 : std::max(std::abs(ylo) * 0.1, 0.05);
    ylo -= d, yhi += d;
  }
  const double px = (xhi - xlo) * 0.05, py = (yhi - ylo) * 0.07;
  f.x0 = xlo - px, f.x1 = xhi + px, f.y0 = ylo - py, f.y1 = yhi + py;
  return f;
}

void NfePanel::paintChart(QPainter& p, const QRectF& rect, Chart chart, const QPalette& pal) const {
  const std::vector<Series> series = buildSeries(chart);
  const Frame f = chartFrame(chart, rect, series);
  p.save();
  p.setRenderHint(QPainter::Antialiasing);
  const QFont font = pixelFont(this->font(), 11);
  const QFont bold = pixelFont(this->font(), 13, true);
  const QColor text = pal.color(QPalette::Text);
  QColor grid = text, minor = text, axis = text;
  grid.setAlphaF(0.14);
  minor.setAlphaF(0.06);
  axis.setAlphaF(0.55);

  const QString metric = effectiveMetric();
  const QString title = chart == Chart::Error
                            ? (sweptReference_.isEmpty() ? QString("Numerical error vs NFE")
                                                         : QString("Numerical error vs NFE (reference %1)").arg(sweptReference_))
                            : QString("Sample quality vs NFE: %1").arg(metric);
  p.setFont(bold);
  p.setPen(text);
  p.drawText(QRectF(rect.left(), rect.top() + 4, rect.width(), 20), Qt::AlignCenter, title);
  p.setFont(font);
  const QFontMetricsF fm(font);

  // Grid and ticks. x: powers of two (NFE doubles along a sweep).
  const double l2 = std::log10(2.0);
  const int k0 = std::max(0, static_cast<int>(std::ceil(f.x0 / l2 - 1e-9)));
  const int k1 = static_cast<int>(std::floor(f.x1 / l2 + 1e-9));
  const int kStride = std::max(1, (k1 - k0 + 10) / 10);
  for (int k = (k0 + kStride - 1) / kStride * kStride; k <= k1; k += kStride) {
    const double x = f.map(QPointF(std::pow(2.0, k), f.logY ? 1.0 : 0.0)).x();
    p.setPen(QPen(grid, 1));
    p.drawLine(QPointF(x, f.plot.top()), QPointF(x, f.plot.bottom()));
    p.setPen(text);
    p.drawText(QRectF(x - 30, f.plot.bottom() + 3, 60, fm.height()), Qt::AlignHCenter | Qt::AlignTop,
               QString::number(std::pow(2.0, k), 'g', 10));
  }
  auto yPixel = [&f](double v) { return f.plot.bottom() - (v - f.y0) / (f.y1 - f.y0) * f.plot.height(); };
  auto yTick = [&](double v, const QString& label) {
    const double y = yPixel(v);
    p.setPen(QPen(grid, 1));
    p.drawLine(QPointF(f.plot.left(), y), QPointF(f.plot.right(), y));
    p.setPen(text);
    p.drawText(QRectF(rect.left(), y - fm.height() / 2, f.plot.left() - rect.left() - 4, fm.height()),
               Qt::AlignRight | Qt::AlignVCenter, label);
  };
  if (f.logY) {
    const int d0 = static_cast<int>(std::floor(f.y0)), d1 = static_cast<int>(std::ceil(f.y1));
    const int decades = d1 - d0;
    if (decades <= 7) {  // minor lines at 2..9 x 10^d
      p.setPen(QPen(minor, 1));
      for (int d = d0; d < d1; ++d)
        for (int m = 2; m <= 9; ++m) {
          const double v = d + std::log10(static_cast<double>(m));
          if (v > f.y0 && v < f.y1) p.drawLine(QPointF(f.plot.left(), yPixel(v)), QPointF(f.plot.right(), yPixel(v)));
        }
    }
    const int stride = std::max(1, (decades + 7) / 8);
    int majors = 0;
    for (int d = d0; d <= d1; ++d)
      if (d % stride == 0 && d >= f.y0 && d <= f.y1) yTick(d, tickLabel(std::pow(10.0, d))), ++majors;
    if (majors < 2)  // less than a decade shown: label 2x and 5x too
      for (int d = d0; d <= d1; ++d)
        for (double m : {2.0, 5.0}) {
          const double v = d + std::log10(m);
          if (v >= f.y0 && v <= f.y1) yTick(v, tickLabel(m * std::pow(10.0, d)));
        }
  } else {
    const double step = niceStep((f.y1 - f.y0) / 5);
    for (double i = std::ceil(f.y0 / step); i * step <= f.y1; i += 1) yTick(i * step, tickLabel(std::abs(i) < 1e-9 ? 0 : i * step));
  }
  p.setPen(QPen(axis, 1));
  p.setBrush(Qt::NoBrush);
  p.drawRect(f.plot);

  // Axis titles.
  p.setPen(text);
  p.drawText(QRectF(f.plot.left(), f.plot.bottom() + fm.height() + 4, f.plot.width(), fm.height() + 2), Qt::AlignCenter,
             "NFE (function evaluations, log scale)");
  const QString yTitle = chart == Chart::Error ? QString::fromUtf8("mean \u2016x \u2212 x_ref\u2016\u00b2 (log scale)") : metricDescription(metric);
  p.save();
  p.translate(rect.left() + fm.height() * 0.5 + 2, f.plot.center().y());
  p.rotate(-90);
  p.drawText(QRectF(-f.plot.height() / 2, -fm.height() / 2, f.plot.height(), fm.height()), Qt::AlignCenter,
             fm.elidedText(yTitle, Qt::ElideRight, f.plot.height()));
  p.restore();

  if (series.empty()) {
    QColor faint = text;
    faint.setAlphaF(0.6);
    p.setPen(faint);
    const QString hint = sweepRunning_ ? QString("Sweeping...")
                         : results_.empty() ? QString("Run a sweep to compare solvers by cost and accuracy")
                                            : QString("No %1 values to show").arg(chart == Chart::Error ? "positive error" : metric);
    p.drawText(f.plot, Qt::AlignCenter | Qt::TextWordWrap, hint);
  }

  // Series: line in the run's color and the solver's dash, then markers on top.
  p.setClipRect(f.plot.adjusted(-6, -6, 6, 6));
  const QColor outline = pal.color(QPalette::Base);
  for (const Series& s : series) {
    const SolverStyle st = styleFor(s.solver);
    QPolygonF line;
    for (const QPointF& pt : s.points) line << f.map(pt);
    QPen pen(s.color, s.solver == "dopri5" ? 1.2 : 1.6, st.line);
    pen.setCapStyle(Qt::FlatCap);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    p.drawPolyline(line);
    for (const QPointF& c : line) drawMarker(p, c, st.marker, 6.5, s.color, outline);
  }
  p.restore();
}

QString NfePanel::chartTip(Chart chart, const QPointF& pos, const QRectF& rect) const {
  const std::vector<Series> series = buildSeries(chart);
  const Frame f = chartFrame(chart, rect, series);
  double best = 10;  // pixels
  QString tip;
  for (const Series& s : series)
    for (const QPointF& pt : s.points) {
      const QPointF c = f.map(pt);
      const double d = std::hypot(c.x() - pos.x(), c.y() - pos.y());
      if (d < best) {
        best = d;
        tip = QString("%1 · %2\nNFE %3\n%4 = %5")
                  .arg(s.run, s.solver)
                  .arg(pt.x())
                  .arg(chart == Chart::Error ? QString("error") : effectiveMetric())
                  .arg(pt.y(), 0, 'g', 5);
      }
    }
  return tip;
}

// ---- legend -----------------------------------------------------------------------------------

namespace {
struct LegendItem {
  QString label;
  QColor color;
  bool isSolver;
  QString solver;
};

/// One entry per run (its color) and one per solver present (its dash and marker).
std::vector<LegendItem> legendItems(const std::vector<std::pair<QString, SweepResult>>& results,
                                           const std::map<QString, QColor>& colors, const QColor& neutral) {
  std::vector<LegendItem> items;
  std::set<QString> solvers;
  for (const auto& [run, r] : results) {
    items.push_back({run, colors.count(run) ? colors.at(run) : QColor(Qt::gray), false, {}});
    for (const SweepRow& row : r.rows) solvers.insert(QString::fromStdString(row.solver));
  }
  QStringList order = NfePanel::sweepSolvers();
  order << "dopri5";
  for (const QString& s : order)
    if (solvers.count(s)) items.push_back({s == "dopri5" ? QString("dopri5 (tolerances)") : s, neutral, true, s});
  return items;
}
}  // namespace

double NfePanel::legendHeight(double width) const {
  const QFont font = pixelFont(this->font(), 11);
  const QFontMetricsF fm(font);
  const auto items = legendItems(results_, resultColors_, Qt::black);
  if (items.empty()) return 4;
  double x = 8;
  int rows = 1;
  for (const LegendItem& it : items) {
    const double w = 34 + fm.horizontalAdvance(it.label) + 16;
    if (x + w > width && x > 8) ++rows, x = 8;
    x += w;
  }
  return rows * (fm.height() + 6) + 6;
}

void NfePanel::paintLegend(QPainter& p, const QRectF& rect, const QPalette& pal) const {
  QColor neutral = pal.color(QPalette::Text);
  neutral.setAlphaF(0.75);
  const auto items = legendItems(results_, resultColors_, neutral);
  if (items.empty()) return;
  p.save();
  p.setRenderHint(QPainter::Antialiasing);
  const QFont font = pixelFont(this->font(), 11);
  p.setFont(font);
  const QFontMetricsF fm(font);
  const double rowH = fm.height() + 6;
  double x = rect.left() + 8, y = rect.top() + 3;
  const QColor outline = pal.color(QPalette::Base);
  for (const LegendItem& it : items) {
    const double w = 34 + fm.horizontalAdvance(it.label) + 16;
    if (x + w > rect.right() && x > rect.left() + 8) x = rect.left() + 8, y += rowH;
    const double cy = y + rowH / 2;
    const SolverStyle st = styleFor(it.isSolver ? it.solver : "euler");
    QPen pen(it.color, it.isSolver ? 1.4 : 2.4, it.isSolver ? st.line : Qt::SolidLine);
    pen.setCapStyle(Qt::FlatCap);
    p.setPen(pen);
    p.drawLine(QPointF(x, cy), QPointF(x + 28, cy));
    if (it.isSolver) drawMarker(p, QPointF(x + 14, cy), st.marker, 6.5, it.color, outline);
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRectF(x + 34, y, w - 34, rowH), Qt::AlignLeft | Qt::AlignVCenter, it.label);
    x += w;
  }
  p.restore();
}

// ---- sample strip -----------------------------------------------------------------------------

namespace {
double stripLabelWidth(double width) { return std::clamp(width * 0.12, 90.0, 150.0); }
double stripCell(double width) {
  const double cols = static_cast<double>(NfePanel::stripNfes().size());
  return std::clamp((width - stripLabelWidth(width) - 8 - cols * kStripGap) / cols, 24.0, kMaxStripCell);
}
}  // namespace

double NfePanel::stripHeight(double width) const {
  if (stripRows_.empty()) return 70;
  return kStripHeader + static_cast<double>(stripRows_.size()) * (stripCell(width) + kStripGap) + 4;
}

void NfePanel::paintStrip(QPainter& p, const QRectF& rect, const QPalette& pal) const {
  p.save();
  p.setRenderHint(QPainter::Antialiasing);
  const QFont font = pixelFont(this->font(), 11);
  const QFont bold = pixelFont(this->font(), 13, true);
  const QFontMetricsF fm(font);
  const QColor text = pal.color(QPalette::Text);
  QColor frame = text, faint = text, cellBg = text;
  frame.setAlphaF(0.35);
  faint.setAlphaF(0.12);
  cellBg.setAlphaF(0.03);

  const QString solver = stripSolverUsed_.isEmpty() ? stripSolver() : stripSolverUsed_;
  const QString title = QString("Samples at NFE 2 to 32 from the same noise (%1%2)")
                            .arg(solver, stripRows_.empty() || stripRows_.front().sets.empty()
                                             ? QString()
                                             : QString(", %1 points each").arg(stripRows_.front().sets.front().size() / 2));
  p.setFont(bold);
  p.setPen(text);
  p.drawText(QRectF(rect.left() + 6, rect.top() + 2, rect.width() - 12, 20), Qt::AlignLeft | Qt::AlignVCenter, title);
  p.setFont(font);
  if (stripRows_.empty()) {
    QColor hint = text;
    hint.setAlphaF(0.6);
    p.setPen(hint);
    p.drawText(QRectF(rect.left() + 6, rect.top() + 24, rect.width() - 12, rect.height() - 24), Qt::AlignLeft | Qt::AlignTop,
               stripRunning_ ? QString("Sampling...") : QString("The strip appears after a sweep (or press Sample strip)."));
    p.restore();
    return;
  }

  const auto& nfes = stripNfes();
  const double labelW = stripLabelWidth(rect.width());
  const double rows = static_cast<double>(stripRows_.size());
  const double cell = std::max(
      10.0, std::min(stripCell(rect.width()), (rect.height() - kStripHeader - 4) / rows - kStripGap));
  const double left = rect.left() + labelW;
  for (size_t c = 0; c < nfes.size(); ++c) {
    const double x = left + static_cast<double>(c) * (cell + kStripGap);
    p.setPen(text);
    p.drawText(QRectF(x, rect.top() + 24, cell, kStripHeader - 26), Qt::AlignCenter, QString("NFE %1").arg(nfes[c]));
  }
  for (size_t r = 0; r < stripRows_.size(); ++r) {
    const StripRow& row = stripRows_[r];
    const double y = rect.top() + kStripHeader + static_cast<double>(r) * (cell + kStripGap);
    // Run name (and the shared axis range) on the left.
    const double cy = y + cell / 2;
    p.setPen(Qt::NoPen);
    p.setBrush(row.color);
    p.drawEllipse(QPointF(rect.left() + 12, cy - fm.height() / 2), 5, 5);
    p.setPen(text);
    p.drawText(QRectF(rect.left() + 22, cy - fm.height(), labelW - 28, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(row.run, Qt::ElideRight, labelW - 28));
    QColor dim = text;
    dim.setAlphaF(0.6);
    p.setPen(dim);
    p.drawText(QRectF(rect.left() + 6, cy + 2, labelW - 10, fm.height() * 2 + 2), Qt::AlignLeft | Qt::AlignTop,
               QString("x [%1, %2]\ny [%3, %4]")
                   .arg(row.bounds.xmin, 0, 'g', 3).arg(row.bounds.xmax, 0, 'g', 3)
                   .arg(row.bounds.ymin, 0, 'g', 3).arg(row.bounds.ymax, 0, 'g', 3));

    // Equal-aspect map of the run's data bounds into each cell.
    const double bw = row.bounds.xmax - row.bounds.xmin, bh = row.bounds.ymax - row.bounds.ymin;
    const double scale = cell / std::max(bw, bh);
    const double ox = (cell - bw * scale) / 2, oy = (cell - bh * scale) / 2;
    const double radius = std::clamp(cell / 170.0, 0.6, 1.3);
    QColor dot = row.color;
    dot.setAlphaF(pal.color(QPalette::Base).lightness() < 128 ? 0.9 : 0.6);  // dark: keep contrast
    for (size_t c = 0; c < nfes.size() && c < row.sets.size(); ++c) {
      const QRectF cellRect(left + static_cast<double>(c) * (cell + kStripGap), y, cell, cell);
      auto toPx = [&](double dx, double dy) {
        return QPointF(cellRect.left() + ox + (dx - row.bounds.xmin) * scale,
                       cellRect.bottom() - oy - (dy - row.bounds.ymin) * scale);
      };
      p.setPen(Qt::NoPen);
      p.setBrush(cellBg);
      p.drawRect(cellRect);
      p.setPen(QPen(faint, 1));  // the axes through the origin, when inside
      if (row.bounds.xmin < 0 && row.bounds.xmax > 0) p.drawLine(toPx(0, row.bounds.ymin), toPx(0, row.bounds.ymax));
      if (row.bounds.ymin < 0 && row.bounds.ymax > 0) p.drawLine(toPx(row.bounds.xmin, 0), toPx(row.bounds.xmax, 0));
      const std::vector<float>& pts = row.sets[c];
      QPainterPath dots;  // one vector path per cell: small in SVG, crisp in PDF
      dots.setFillRule(Qt::WindingFill);  // overlapping dots stay filled
      for (size_t i = 0; i + 1 < pts.size(); i += 2) {
        if (!std::isfinite(pts[i]) || !std::isfinite(pts[i + 1])) continue;
        const QPointF c2 = toPx(pts[i], pts[i + 1]);
        if (!cellRect.contains(c2)) continue;
        dots.addEllipse(c2, radius, radius);
      }
      p.setPen(Qt::NoPen);
      p.setBrush(dot);
      p.drawPath(dots);
      p.setPen(QPen(frame, 1));
      p.setBrush(Qt::NoBrush);
      p.drawRect(cellRect);
    }
  }
  p.restore();
}

void NfePanel::repaintAll() {
  if (legend_) legend_->setFixedHeight(static_cast<int>(std::ceil(legendHeight(std::max(1, legend_->width())))));
  if (strip_) strip_->setMinimumHeight(static_cast<int>(std::ceil(stripHeight(std::max(1, strip_->width())))));
  for (QWidget* w : {errorChart_, qualityChart_, legend_, strip_})
    if (w) w->update();
}

// ---- export -----------------------------------------------------------------------------------

QSize NfePanel::exportSize() const {
  const double w = 1100;
  return {static_cast<int>(w), static_cast<int>(std::ceil(380 + legendHeight(w) + stripHeight(w) + 8))};
}

void NfePanel::renderExport(QPainter& painter, const QRectF& target) {
  const QPalette pal = palette();
  painter.save();
  painter.fillRect(target, pal.color(QPalette::Base));
  const double w = target.width();
  const double legendH = legendHeight(w);
  const double stripH = stripHeight(w);
  const double chartsH = std::max(200.0, target.height() - legendH - stripH - 8);
  const QRectF left(target.left(), target.top(), w / 2, chartsH);
  const QRectF right(target.left() + w / 2, target.top(), w / 2, chartsH);
  paintChart(painter, left, Chart::Error, pal);
  paintChart(painter, right, Chart::Quality, pal);
  paintLegend(painter, QRectF(target.left(), target.top() + chartsH, w, legendH), pal);
  const double stripTop = target.top() + chartsH + legendH + 8;
  paintStrip(painter, QRectF(target.left(), stripTop, w, std::max(0.0, target.bottom() - stripTop)), pal);
  painter.restore();
}

QString NfePanel::exportCsv() const {
  std::vector<std::pair<std::string, SweepResult>> runs;
  runs.reserve(results_.size());
  for (const auto& [name, r] : results_) runs.emplace_back(name.toStdString(), r);
  return QString::fromStdString(sweepCsv(runs));
}

// ---- session state ----------------------------------------------------------------------------

QJsonObject NfePanel::saveState() const {
  QJsonObject o;
  QJsonArray unchecked, solvers;
  for (const QString& name : uncheckedRuns_) unchecked.append(name);
  for (const QString& s : sweepSolvers())
    if (solverBoxes_.at(s)->isChecked()) solvers.append(s);
  o["uncheckedRuns"] = unchecked;
  o["solvers"] = solvers;
  o["steps"] = stepsEdit_->text();
  o["tolerances"] = tolerancesEdit_->text();
  o["samples"] = samplesSpin_->value();
  o["seed"] = seedSpin_->value();
  o["reference"] = referenceEdit_->text();
  o["metric"] = metricChosen_ ? metricKey_ : QString();
  o["stripSolver"] = stripSolver();
  o["stripPoints"] = stripPoints();
  return o;
}

void NfePanel::restoreState(const QJsonObject& o) {
  if (o.contains("uncheckedRuns")) {
    uncheckedRuns_.clear();
    for (const auto& v : o["uncheckedRuns"].toArray()) uncheckedRuns_.insert(v.toString());
    const QSignalBlocker block(runList_);
    for (int i = 0; i < runList_->count(); ++i)
      runList_->item(i)->setCheckState(uncheckedRuns_.count(runList_->item(i)->data(Qt::UserRole + 1).toString())
                                           ? Qt::Unchecked
                                           : Qt::Checked);
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
  if (o.contains("metric")) setQualityMetric(o["metric"].toString());
  if (o.contains("stripSolver")) setStripSolver(o["stripSolver"].toString());
  if (o.contains("stripPoints")) setStripPoints(o["stripPoints"].toInt(stripPoints()));
  validate();
}

}  // namespace flowscope::gui
