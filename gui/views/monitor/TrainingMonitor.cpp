#include "gui/views/monitor/TrainingMonitor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QVBoxLayout>

#include <cmath>
#include <limits>
#include <map>

#include "core/io/Csv.h"
#include "gui/plot/ChartView.h"
#include "gui/plot/LegendView.h"
#include "gui/plot/TickFormat.h"
#include "gui/services/RunManager.h"
#include "gui/views/monitor/MonitorFigure.h"
#include "gui/views/images/LiveSamples.h"

namespace flowscope::gui {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string csvNumber(double v) { return std::isfinite(v) ? QString::number(v, 'g', 10).toStdString() : std::string(); }

MonitorChart chartAt(size_t i) { return static_cast<MonitorChart>(i); }

}  // namespace

TrainingMonitor::TrainingMonitor(RunManager* runs, QWidget* parent) : QWidget(parent), runs_(runs) {
  static const char* toggles[] = {"Loss", "LR", "it/s", "Metric"};
  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(4, 2, 4, 2);
  for (size_t c = 0; c < panes_.size(); ++c) {
    Pane& p = panes_[c];
    const QString name = MonitorScene::chartName(chartAt(c));
    p.view = new ChartView(this);
    p.view->setObjectName(name + "Chart");
    p.view->readout = [](const LineSeries& s, const QPointF& v) {
      return QString("%1\n%2 = %3\nstep %4").arg(s.name, s.quantity, formatValue(v.y())).arg(static_cast<qint64>(v.x()));
    };
    p.view->installEventFilter(this);
    p.log = new QCheckBox("log y", p.view);
    p.log->setToolTip("Logarithmic y axis (values <= 0 are not drawn)");
    p.log->setFocusPolicy(Qt::NoFocus);
    p.log->setAutoFillBackground(true);
    connect(p.log, &QCheckBox::toggled, this, [this, name](bool on) { setLogScale(name, on); });
    p.shown = new QCheckBox(toggles[c], this);
    p.shown->setChecked(true);
    p.shown->setToolTip(QString("Show the %1 chart").arg(QString(toggles[c])));
    connect(p.shown, &QCheckBox::toggled, this, [this, name](bool on) { setChartVisible(name, on); });
    bar->addWidget(p.shown);
  }

  bar->addSpacing(16);
  auto* smoothingLabel = new QLabel("Smoothing", this);
  smoothingLabel->setToolTip("Debiased exponential moving average of the loss (0: none)");
  bar->addWidget(smoothingLabel);
  smoothingSlider_ = new QSlider(Qt::Horizontal, this);
  smoothingSlider_->setRange(0, 999);
  smoothingSlider_->setMaximumWidth(140);
  smoothingSlider_->setToolTip(smoothingLabel->toolTip());
  bar->addWidget(smoothingSlider_);
  smoothingSpin_ = new QDoubleSpinBox(this);
  smoothingSpin_->setRange(0, DebiasedEma::kMaxSmoothing);
  smoothingSpin_->setDecimals(3);
  smoothingSpin_->setSingleStep(0.01);
  bar->addWidget(smoothingSpin_);
  connect(smoothingSlider_, &QSlider::valueChanged, this, [this](int v) { setSmoothing(v / 1000.0); });
  connect(smoothingSpin_, &QDoubleSpinBox::valueChanged, this, [this](double v) { setSmoothing(v); });

  bar->addSpacing(16);
  bar->addWidget(new QLabel("Metric", this));
  metricCombo_ = new QComboBox(this);
  metricCombo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  metricCombo_->setMinimumContentsLength(10);
  metricCombo_->setToolTip("Evaluation value plotted against step");
  bar->addWidget(metricCombo_);
  connect(metricCombo_, &QComboBox::currentTextChanged, this, [this](const QString& key) {
    if (!key.isEmpty()) setMetric(key);
  });

  bar->addStretch(1);
  auto* reset = new QPushButton("Reset zoom", this);
  reset->setToolTip("Fit every chart to its data (double-click a chart to fit only that one)");
  connect(reset, &QPushButton::clicked, this, &TrainingMonitor::resetZoom);
  bar->addWidget(reset);

  grid_ = new QGridLayout;
  grid_->setContentsMargins(0, 0, 0, 0);
  grid_->setSpacing(4);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addLayout(bar);
  layout->addLayout(grid_, 1);
  legend_ = new LegendView(this);
  legend_->setObjectName("legend");
  layout->addWidget(legend_);
  relayoutGrid();

  flushTimer_.setSingleShot(true);
  flushTimer_.setInterval(250);  // redraws coalesced to 4 Hz: the 50 ms drains would be wasted
  connect(&flushTimer_, &QTimer::timeout, this, &TrainingMonitor::flushPending);
  if (runs_) {
    connect(runs_, &RunManager::runAdded, this, &TrainingMonitor::refresh);
    connect(runs_, &RunManager::runRemoved, this, &TrainingMonitor::refresh);
    connect(runs_, &RunManager::progressUpdated, this, &TrainingMonitor::onProgress);
    connect(runs_, &RunManager::evaluationAdded, this, &TrainingMonitor::refresh);
  }
  refresh();
}

TrainingMonitor::~TrainingMonitor() = default;

void TrainingMonitor::attachLiveSamples(AsyncQuery* queries) {
  if (live_ || !runs_ || !queries) return;
  live_ = new LiveSamples(runs_, queries, this);
  auto* box = static_cast<QVBoxLayout*>(layout());
  box->insertWidget(box->count() - 1, live_);  // above the legend
}

std::vector<RunHistory> TrainingMonitor::histories() const {
  std::vector<RunHistory> out;
  if (!runs_) return out;
  for (int id : runs_->runIds())
    if (const RunRecord* r = runs_->run(id)) out.push_back({id, r->name, r->color, &r->progress, &r->evals});
  return out;
}

void TrainingMonitor::onProgress(int id) {
  pendingRuns_.insert(id);
  if (!flushTimer_.isActive()) flushTimer_.start();
}

void TrainingMonitor::flushPending() {
  flushTimer_.stop();
  if (pendingRuns_.empty()) return;
  pendingRuns_.clear();
  refresh();
}

void TrainingMonitor::refresh() {
  pendingRuns_.clear();  // the scene takes in everything that arrived
  scene_.update(histories());
  redraw();
}

void TrainingMonitor::redraw() {
  for (size_t c = 0; c < panes_.size(); ++c) panes_[c].view->setChart(scene_.chart(chartAt(c)));
  legend_->setEntries(scene_.legend());
  syncControls();
}

void TrainingMonitor::syncControls() {
  const QStringList keys = scene_.metricKeys();
  {
    const QSignalBlocker b(metricCombo_);
    QStringList shown;
    for (int i = 0; i < metricCombo_->count(); ++i) shown << metricCombo_->itemText(i);
    if (shown != keys) {
      metricCombo_->clear();
      metricCombo_->addItems(keys);
    }
    metricCombo_->setCurrentIndex(metricCombo_->findText(metric()));
  }
  {
    const QSignalBlocker b1(smoothingSlider_), b2(smoothingSpin_);
    smoothingSlider_->setValue(qRound(smoothing() * 1000));
    smoothingSpin_->setValue(smoothing());
  }
  for (size_t c = 0; c < panes_.size(); ++c) {
    const QSignalBlocker b(panes_[c].log);
    panes_[c].log->setChecked(scene_.settings().log[c]);
  }
  if (metric() != lastMetric_) {
    lastMetric_ = metric();
    Q_EMIT metricChanged(lastMetric_);
  }
}

// ---- settings ---------------------------------------------------------------------------------

void TrainingMonitor::setSmoothing(double a) {
  if (!std::isfinite(a)) return;
  flushPending();
  const double before = smoothing();
  scene_.setSmoothing(a, histories());
  if (smoothing() != before) {
    redraw();
    Q_EMIT smoothingChanged(smoothing());
  } else {
    syncControls();
  }
}

void TrainingMonitor::setLogScale(const QString& chart, bool on) {
  const auto c = MonitorScene::chartByName(chart);
  if (!c) return;
  flushPending();
  if (scene_.settings().log[static_cast<size_t>(*c)] == on) return syncControls();
  scene_.setLogScale(*c, on, histories());
  panes_[static_cast<size_t>(*c)].view->resetZoom();  // the old range means nothing on the new axis
  redraw();
}

bool TrainingMonitor::logScale(const QString& chart) const {
  const auto c = MonitorScene::chartByName(chart);
  return c && scene_.settings().log[static_cast<size_t>(*c)];
}

void TrainingMonitor::setChartVisible(const QString& chart, bool visible) {
  const auto c = MonitorScene::chartByName(chart);
  if (!c) return;
  const QSignalBlocker b(panes_[static_cast<size_t>(*c)].shown);
  panes_[static_cast<size_t>(*c)].shown->setChecked(visible);
  relayoutGrid();
}

bool TrainingMonitor::chartVisible(const QString& chart) const {
  const auto c = MonitorScene::chartByName(chart);
  return c && panes_[static_cast<size_t>(*c)].shown->isChecked();
}

void TrainingMonitor::setMetric(const QString& key) {
  flushPending();
  const QString before = metric();
  scene_.setMetric(key, histories());
  if (metric() != before) panes_[static_cast<size_t>(MonitorChart::Metric)].view->resetZoom();
  redraw();
}

ChartView* TrainingMonitor::chartView(const QString& chart) const {
  const auto c = MonitorScene::chartByName(chart);
  return c ? panes_[static_cast<size_t>(*c)].view : nullptr;
}

// ---- view -------------------------------------------------------------------------------------

void TrainingMonitor::resetZoom() {
  for (Pane& p : panes_) p.view->resetZoom();
}

void TrainingMonitor::relayoutGrid() {
  while (QLayoutItem* item = grid_->takeAt(0)) delete item;
  std::vector<ChartView*> shown;
  for (Pane& p : panes_) {
    p.view->setVisible(p.shown->isChecked());
    if (p.shown->isChecked()) shown.push_back(p.view);
  }
  const int n = static_cast<int>(shown.size());
  for (int i = 0; i < n; ++i) {
    const MonitorFigure::Place at = MonitorFigure::place(i, n);
    grid_->addWidget(shown[static_cast<size_t>(i)], at.row, at.column, 1, at.span);
  }
  const int cols = n <= 1 ? 1 : 2;
  for (int k = 0; k < 2; ++k) {
    grid_->setRowStretch(k, k < (n + cols - 1) / cols ? 1 : 0);
    grid_->setColumnStretch(k, k < cols ? 1 : 0);
  }
}

bool TrainingMonitor::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::Resize)
    for (Pane& p : panes_)
      if (watched == p.view) {  // the log toggle sits in the chart's top-right corner
        const QSize s = p.log->sizeHint();
        p.log->setGeometry(p.view->width() - s.width() - 4, 2, s.width(), s.height());
      }
  return QWidget::eventFilter(watched, event);
}

// ---- export -----------------------------------------------------------------------------------

MonitorFigure TrainingMonitor::figure() const {
  std::vector<LineChart> charts;
  for (const Pane& p : panes_)
    if (p.shown->isChecked()) charts.push_back(p.view->chart());  // with the view's zoom
  return MonitorFigure(std::move(charts), scene_.legend());
}

void TrainingMonitor::renderExport(QPainter& painter, const QRectF& target) {
  flushPending();
  figure().paint(painter, target, PlotStyle::forExport(font()));
}

QString TrainingMonitor::exportCsv() const {
  const QStringList keys = metricKeys();
  std::vector<std::string> header{"run", "step", "loss", "loss_smoothed", "lr", "it_per_s"};
  for (const QString& k : keys) header.push_back(k.toStdString());
  std::string out = csvRow(header);
  struct Row {
    double loss = kNaN, smoothed = kNaN, lr = kNaN, itPerSec = kNaN;
    const std::map<std::string, double>* eval = nullptr;
  };
  for (const RunHistory& h : histories()) {
    if (!scene_.hasRun(h.id)) continue;
    // The full history, not the decimated drawing; smoothed as the chart smooths.
    std::map<int64_t, Row> rows;
    DebiasedEma ema(smoothing());
    for (const ProgressSnapshot& p : *h.progress) {
      Row& row = rows[p.step];
      row.loss = lossOf(p);
      row.smoothed = ema.push(row.loss);
      row.lr = p.lr;
      row.itPerSec = p.itPerSec;
    }
    for (const EvalSnapshot& e : *h.evals) rows[e.step].eval = &e.values;
    for (const auto& [step, row] : rows) {
      std::vector<std::string> cells{h.name.toStdString(), std::to_string(step), csvNumber(row.loss),
                                     csvNumber(row.smoothed), csvNumber(row.lr), csvNumber(row.itPerSec)};
      for (const QString& k : keys) {
        std::string cell;
        if (row.eval)
          if (const auto v = row.eval->find(k.toStdString()); v != row.eval->end()) cell = csvNumber(v->second);
        cells.push_back(cell);
      }
      out += csvRow(cells);
    }
  }
  return QString::fromStdString(out);
}

QVector<QPointF> TrainingMonitor::seriesPoints(int runId, const QString& series) const {
  const_cast<TrainingMonitor*>(this)->flushPending();  // what is drawn includes pending points
  static const std::map<QString, MonitorCurve> curves{{"loss", MonitorCurve::Loss},
                                                      {"loss_smoothed", MonitorCurve::LossSmoothed},
                                                      {"lr", MonitorCurve::Lr},
                                                      {"it_per_s", MonitorCurve::ItPerSec},
                                                      {"metric", MonitorCurve::Metric}};
  const auto it = curves.find(series);
  return it == curves.end() ? QVector<QPointF>{} : scene_.points(runId, it->second);
}

QJsonObject TrainingMonitor::saveState() const {
  QJsonObject s;
  s["smoothing"] = smoothing();
  s["metric"] = metric();
  QJsonObject log, visible;
  for (size_t c = 0; c < panes_.size(); ++c) {
    const QString name = MonitorScene::chartName(chartAt(c));
    log[name] = logScale(name);
    visible[name] = chartVisible(name);
  }
  s["log"] = log;
  s["visible"] = visible;
  return s;
}

void TrainingMonitor::restoreState(const QJsonObject& s) {
  setSmoothing(s.value("smoothing").toDouble(smoothing()));
  if (s.contains("metric") && !s.value("metric").toString().isEmpty()) setMetric(s.value("metric").toString());
  const QJsonObject log = s.value("log").toObject(), visible = s.value("visible").toObject();
  for (auto it = log.begin(); it != log.end(); ++it) setLogScale(it.key(), it.value().toBool());
  for (auto it = visible.begin(); it != visible.end(); ++it) setChartVisible(it.key(), it.value().toBool(true));
}

}  // namespace flowscope::gui
