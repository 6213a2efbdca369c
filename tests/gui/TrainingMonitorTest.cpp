// TrainingMonitor: the smoothing formula, the curves drawn from a trained run's history and from a
// live run, the metric choice, log scale, decimation of long histories, interaction, and exports.

#include <gtest/gtest.h>

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QImage>
#include <QKeyEvent>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QSet>
#include <QTextStream>
#include <QValueAxis>
#include <QWheelEvent>
#include <QXYSeries>

#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

#include "GuiTestSupport.h"
#include "core/config/ConfigYaml.h"
#include "gui/plot/Exporter.h"
#include "gui/services/RunManager.h"
#include "gui/views/monitor/TrainingMonitor.h"

using namespace flowscope;
using namespace flowscope::gui;
using flowscope::test::SvgSummary;
using flowscope::test::summarizeSvg;
using flowscope::test::TempFolder;

namespace {

/// metrics.csv as columns of numbers (empty cells NaN).
struct Csv {
  QStringList header;
  std::vector<std::vector<double>> rows;
  int column(const QString& name) const { return static_cast<int>(header.indexOf(name)); }
};

Csv readCsv(const QString& path) {
  Csv csv;
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return csv;
  QTextStream in(&f);
  csv.header = in.readLine().split(',');
  while (!in.atEnd()) {
    const QString line = in.readLine();
    if (line.isEmpty()) continue;
    std::vector<double> row;
    for (const QString& cell : line.split(',')) row.push_back(cell.isEmpty() ? NAN : cell.toDouble());
    csv.rows.push_back(row);
  }
  return csv;
}

/// A run folder written by hand: config.yaml plus a metrics.csv of `rows` rows with the given
/// loss, so histories with non-positive or very many values need no training.
void writeSyntheticRun(const QString& dir, int rows, const std::function<double(int)>& loss) {
  QDir().mkpath(dir);
  ExperimentConfig config = test::tinyExperiment(rows);
  config.name = "synthetic";
  saveExperiment(config, QDir(dir).filePath("config.yaml").toStdString());
  QFile f(QDir(dir).filePath("metrics.csv"));
  ASSERT_TRUE(f.open(QIODevice::WriteOnly));
  QTextStream out(&f);
  out << "step,loss,lr,it_per_s,elapsed_s,nfe\n";
  for (int i = 0; i < rows; ++i) {
    out << (i + 1) << ',' << QString::number(loss(i), 'g', 17) << ",0.001," << (100 + i % 7) << ',' << i * 0.01 << ',';
    if ((i + 1) % 50 == 0) out << 20 + i % 3;
    out << '\n';
  }
}

std::vector<double> ys(const QVector<QPointF>& points) {
  std::vector<double> out;
  for (const QPointF& p : points) out.push_back(p.y());
  return out;
}

QChartView* viewTitled(TrainingMonitor& monitor, const QString& title) {
  for (QChartView* v : monitor.findChildren<QChartView*>())
    if (v->chart()->title().startsWith(title)) return v;
  return nullptr;
}

/// The y axis the curves are drawn against (the other one is hidden).
QAbstractAxis* shownYAxis(QChartView* view) {
  for (QAbstractAxis* a : view->chart()->axes(Qt::Vertical))
    if (a->isVisible()) return a;
  return nullptr;
}

QValueAxis* xAxis(QChartView* view) { return qobject_cast<QValueAxis*>(view->chart()->axes(Qt::Horizontal).value(0)); }

/// A 200-step run with evaluations at 100 and 200, trained once for the whole suite.
class TrainingMonitorRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = std::make_unique<TempFolder>();
    ExperimentConfig config = test::tinyExperiment(200);
    config.evaluation.every = 100;
    config.evaluation.n_samples = 200;
    test::trainRun(config, runDir());
  }
  static void TearDownTestSuite() { folder_.reset(); }
  static QString runDir() { return folder_->file("run"); }

  static std::unique_ptr<TempFolder> folder_;
};
std::unique_ptr<TempFolder> TrainingMonitorRun::folder_;

}  // namespace

TEST(TrainingMonitorEma, MatchesHandComputedSequence) {
  // a = 0.5: s = 0.5, 1.25, 2.125; debiased by 1 - 0.5^k = 0.5, 0.75, 0.875.
  const std::vector<double> out = TrainingMonitor::debiasedEma({1, 2, 3}, 0.5);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0], 1.0);
  EXPECT_NEAR(out[1], 1.25 / 0.75, 1e-15);
  EXPECT_NEAR(out[2], 2.125 / 0.875, 1e-15);

  // The first value is x_0 exactly, whatever a is.
  for (double a : {0.1, 0.9, 0.99, 0.999}) EXPECT_EQ(TrainingMonitor::debiasedEma({0.7310000001, 5}, a)[0], 0.7310000001);

  // a = 0 is no smoothing.
  const std::vector<double> x{3.5, -1, 0, 1e-9, 42};
  EXPECT_EQ(TrainingMonitor::debiasedEma(x, 0), x);

  // Non-finite inputs come back as NaN and do not disturb the average.
  const std::vector<double> gap = TrainingMonitor::debiasedEma({1, NAN, 3}, 0.5);
  EXPECT_EQ(gap[0], 1.0);
  EXPECT_TRUE(std::isnan(gap[1]));
  EXPECT_NEAR(gap[2], 1.75 / 0.75, 1e-15);

  // a is clamped to 0.999: a = 1 would divide by zero.
  EXPECT_NEAR(TrainingMonitor::debiasedEma({1, 2}, 1.0)[1], (0.999 * 0.001 + 0.001 * 2) / (1 - 0.999 * 0.999), 1e-12);
}

TEST_F(TrainingMonitorRun, LossSeriesIsOnePointPerMetricsRow) {
  RunManager runs;
  const int id = runs.openRun(runDir());
  ASSERT_GE(id, 0);
  TrainingMonitor monitor(&runs);  // built after the run was opened: picks up existing runs

  const Csv csv = readCsv(QDir(runDir()).filePath("metrics.csv"));
  ASSERT_EQ(csv.rows.size(), 20u);  // log_every 10 over 200 steps
  const int step = csv.column("step"), loss = csv.column("loss"), lr = csv.column("lr");
  const QVector<QPointF> drawn = monitor.seriesPoints(id, "loss");
  ASSERT_EQ(drawn.size(), static_cast<qsizetype>(csv.rows.size()));
  for (size_t i = 0; i < csv.rows.size(); ++i) {
    EXPECT_EQ(drawn[i].x(), csv.rows[i][step]);
    EXPECT_DOUBLE_EQ(drawn[i].y(), csv.rows[i][loss]);
  }
  const QVector<QPointF> lrDrawn = monitor.seriesPoints(id, "lr");
  ASSERT_EQ(lrDrawn.size(), drawn.size());
  EXPECT_DOUBLE_EQ(lrDrawn.back().y(), csv.rows.back()[lr]);
  EXPECT_EQ(monitor.seriesPoints(id, "it_per_s").size(), drawn.size());
  EXPECT_TRUE(monitor.seriesPoints(id + 1, "loss").isEmpty());
  EXPECT_TRUE(monitor.seriesPoints(id, "nonsense").isEmpty());
}

TEST_F(TrainingMonitorRun, MetricComboListsEvalKeysAndDefaultsToNfe) {
  RunManager runs;
  TrainingMonitor monitor(&runs);
  const int id = runs.openRun(runDir());
  ASSERT_GE(id, 0);

  const QStringList keys = monitor.metricKeys();
  EXPECT_TRUE(keys.contains("nfe"));
  EXPECT_TRUE(keys.contains("sliced_w2"));
  EXPECT_EQ(monitor.metric(), "nfe");
  auto* combo = monitor.findChild<QComboBox*>();
  ASSERT_NE(combo, nullptr);
  EXPECT_NE(combo->findText("nfe"), -1);
  EXPECT_EQ(combo->currentText(), "nfe");

  const Csv csv = readCsv(QDir(runDir()).filePath("metrics.csv"));
  const int nfe = csv.column("nfe"), w2 = csv.column("sliced_w2"), step = csv.column("step");
  ASSERT_GE(nfe, 0);
  std::vector<QPointF> expected;
  for (const auto& row : csv.rows)
    if (!std::isnan(row[nfe])) expected.emplace_back(row[step], row[nfe]);
  const QVector<QPointF> metric = monitor.seriesPoints(id, "metric");
  ASSERT_EQ(metric.size(), 2);
  EXPECT_EQ(metric[0], expected[0]);
  EXPECT_EQ(metric[1], expected[1]);
  EXPECT_EQ(metric[0].x(), 100);
  EXPECT_EQ(metric[1].x(), 200);

  // Choosing another key in the combobox redraws the metric chart with it.
  combo->setCurrentText("sliced_w2");
  EXPECT_EQ(monitor.metric(), "sliced_w2");
  const QVector<QPointF> w2Drawn = monitor.seriesPoints(id, "metric");
  ASSERT_EQ(w2Drawn.size(), 2);
  EXPECT_DOUBLE_EQ(w2Drawn[1].y(), csv.rows.back()[w2]);
  monitor.setMetric("nfe");
  EXPECT_EQ(combo->currentText(), "nfe");

  // Sparse evaluations sit on the training steps' axis, lined up with the loss chart.
  QChartView* loss = viewTitled(monitor, "Loss");
  QChartView* evaluation = viewTitled(monitor, "Evaluation");
  ASSERT_TRUE(loss && evaluation);
  EXPECT_DOUBLE_EQ(xAxis(evaluation)->min(), xAxis(loss)->min());
  EXPECT_DOUBLE_EQ(xAxis(evaluation)->max(), xAxis(loss)->max());
  EXPECT_LT(xAxis(evaluation)->min(), 100) << "more than the evaluated steps";
}

TEST_F(TrainingMonitorRun, SmoothingChangeRecomputesSmoothedSeries) {
  RunManager runs;
  TrainingMonitor monitor(&runs);
  const int id = runs.openRun(runDir());
  EXPECT_DOUBLE_EQ(monitor.smoothing(), 0.9);
  const std::vector<double> raw = ys(monitor.seriesPoints(id, "loss"));
  ASSERT_EQ(raw.size(), 20u);
  EXPECT_EQ(ys(monitor.seriesPoints(id, "loss_smoothed")), TrainingMonitor::debiasedEma(raw, 0.9));

  monitor.setSmoothing(0.5);
  EXPECT_DOUBLE_EQ(monitor.smoothing(), 0.5);
  EXPECT_EQ(ys(monitor.seriesPoints(id, "loss_smoothed")), TrainingMonitor::debiasedEma(raw, 0.5));
  EXPECT_DOUBLE_EQ(monitor.findChild<QDoubleSpinBox*>()->value(), 0.5);

  monitor.setSmoothing(0);
  EXPECT_EQ(ys(monitor.seriesPoints(id, "loss_smoothed")), raw);

  // The spin box drives the same path; out-of-range requests are clamped.
  monitor.findChild<QDoubleSpinBox*>()->setValue(0.25);
  EXPECT_DOUBLE_EQ(monitor.smoothing(), 0.25);
  EXPECT_EQ(ys(monitor.seriesPoints(id, "loss_smoothed")), TrainingMonitor::debiasedEma(raw, 0.25));
  monitor.setSmoothing(5);
  EXPECT_DOUBLE_EQ(monitor.smoothing(), 0.999);
}

TEST(TrainingMonitorSynthetic, LogScaleDropsNonPositiveValues) {
  TempFolder folder;
  // Every third loss is <= 0 (as some objectives can produce).
  writeSyntheticRun(folder.file("run"), 60, [](int i) { return i % 3 == 0 ? -0.5 * (i % 2) : 0.1 * (i + 1); });
  RunManager runs;
  TrainingMonitor monitor(&runs);
  const int id = runs.openRun(folder.file("run"));
  ASSERT_GE(id, 0);
  ASSERT_EQ(monitor.seriesPoints(id, "loss").size(), 60);

  monitor.setLogScale("loss", true);
  EXPECT_TRUE(monitor.logScale("loss"));
  EXPECT_FALSE(monitor.logScale("lr"));
  const QVector<QPointF> logLoss = monitor.seriesPoints(id, "loss");
  EXPECT_EQ(logLoss.size(), 40);
  for (const QPointF& p : logLoss) EXPECT_GT(p.y(), 0);
  for (const QPointF& p : monitor.seriesPoints(id, "loss_smoothed")) EXPECT_GT(p.y(), 0);
  QChartView* view = viewTitled(monitor, "Loss");
  ASSERT_NE(view, nullptr);
  auto* logAxis = qobject_cast<QLogValueAxis*>(shownYAxis(view));
  ASSERT_NE(logAxis, nullptr);
  for (QAbstractSeries* s : view->chart()->series()) EXPECT_TRUE(s->attachedAxes().contains(logAxis));
  EXPECT_GT(logAxis->min(), 0);
  EXPECT_LE(logAxis->min(), 0.2);
  EXPECT_GE(logAxis->max(), 6.0);

  monitor.setLogScale("loss", false);
  EXPECT_EQ(monitor.seriesPoints(id, "loss").size(), 60);
  auto* linearAxis = qobject_cast<QValueAxis*>(shownYAxis(view));
  ASSERT_NE(linearAxis, nullptr);
  for (QAbstractSeries* s : view->chart()->series()) EXPECT_FALSE(s->attachedAxes().contains(logAxis));
  EXPECT_LT(linearAxis->min(), -0.5 + 1e-9);  // the negative values are back in view
}

TEST(TrainingMonitorSynthetic, LongHistoriesAreDecimatedKeepingTheNewestPoint) {
  TempFolder folder;
  const int rows = 12345;
  writeSyntheticRun(folder.file("run"), rows, [](int i) { return 1.0 + 1.0 / (1 + i); });
  RunManager runs;
  TrainingMonitor monitor(&runs);
  const int id = runs.openRun(folder.file("run"));
  ASSERT_GE(id, 0);
  ASSERT_EQ(runs.run(id)->progress.size(), static_cast<size_t>(rows));

  const QVector<QPointF> loss = monitor.seriesPoints(id, "loss");
  EXPECT_LE(loss.size(), TrainingMonitor::kMaxPointsPerSeries + 1);
  EXPECT_GE(loss.size(), TrainingMonitor::kMaxPointsPerSeries / 2);
  EXPECT_EQ(loss.front().x(), 1);
  EXPECT_EQ(loss.back().x(), rows);  // the newest record is always drawn
  for (qsizetype i = 1; i < loss.size(); ++i) ASSERT_LT(loss[i - 1].x(), loss[i].x());
  // Kept points are every k-th record, with their own values.
  const qint64 k = static_cast<qint64>(loss[1].x() - loss[0].x());
  EXPECT_GE(k, 2);
  for (qsizetype i = 0; i + 1 < loss.size(); ++i) {
    ASSERT_EQ(static_cast<qint64>(loss[i].x()) - 1, i * k);
    ASSERT_DOUBLE_EQ(loss[i].y(), 1.0 + 1.0 / loss[i].x());
  }
  // The smoothed curve averages every record, not only the drawn ones.
  std::vector<double> all;
  for (const ProgressSnapshot& p : runs.run(id)->progress) all.push_back(p.loss);
  EXPECT_DOUBLE_EQ(monitor.seriesPoints(id, "loss_smoothed").back().y(), TrainingMonitor::debiasedEma(all, 0.9).back());
}

TEST_F(TrainingMonitorRun, CsvHasOneRowPerRecordAndEvalColumns) {
  RunManager runs;
  TrainingMonitor monitor(&runs);
  const int id = runs.openRun(runDir());
  const RunRecord* record = runs.run(id);
  ASSERT_NE(record, nullptr);

  const QStringList lines = monitor.exportCsv().split('\n', Qt::SkipEmptyParts);
  ASSERT_EQ(lines.size(), static_cast<qsizetype>(record->progress.size() + 1));
  const QStringList header = lines[0].split(',');
  const QStringList fixed{"run", "step", "loss", "loss_smoothed", "lr", "it_per_s"};
  EXPECT_EQ(header.mid(0, 6), fixed);
  EXPECT_EQ(header.mid(6), monitor.metricKeys());
  const qsizetype nfe = header.indexOf("nfe");
  ASSERT_GE(nfe, 6);

  const std::vector<double> smoothed =
      TrainingMonitor::debiasedEma(ys(monitor.seriesPoints(id, "loss")), monitor.smoothing());
  for (qsizetype i = 1; i < lines.size(); ++i) {
    const QStringList cells = lines[i].split(',');
    ASSERT_EQ(cells.size(), header.size());
    const ProgressSnapshot& p = record->progress[i - 1];
    EXPECT_EQ(cells[0], "tiny");
    EXPECT_EQ(cells[1].toLongLong(), p.step);
    EXPECT_NEAR(cells[2].toDouble(), p.loss, 1e-9 * std::abs(p.loss));
    EXPECT_NEAR(cells[3].toDouble(), smoothed[i - 1], 1e-9 * std::abs(smoothed[i - 1]));
    EXPECT_EQ(cells[nfe].isEmpty(), p.step != 100 && p.step != 200) << lines[i].toStdString();
  }
}

TEST_F(TrainingMonitorRun, ExportWritesVectorSvgPdfPngAndCsv) {
  RunManager runs;
  TrainingMonitor monitor(&runs);
  runs.openRun(runDir());
  TempFolder out;
  ExportOptions options;
  options.size = QSize(900, 600);
  options.dpi = 144;
  const QStringList files = Exporter::exportAll(monitor, out.path(), options);
  ASSERT_EQ(files.size(), 4);
  for (const QString& ext : QStringList{"png", "svg", "pdf", "csv"})
    EXPECT_TRUE(QFile::exists(out.file("training-monitor." + ext))) << ext.toStdString();

  const SvgSummary svg = summarizeSvg(out.file("training-monitor.svg"));
  EXPECT_TRUE(svg.error.isEmpty()) << svg.error.toStdString();
  // Qt Charts strokes curves with drawPolyline, which SVG writes as <polyline>.
  EXPECT_GE(svg.vectors(), 4 * 2 + 3);  // at least every curve of the run, as vectors
  EXPECT_EQ(svg.images, 0);              // nothing rasterized
  EXPECT_GT(svg.texts, 10);  // titles, tick labels and legends stay text
  EXPECT_TRUE(svg.allText.contains("Loss"));
  EXPECT_TRUE(svg.allText.contains("tiny"));

  const QImage png(out.file("training-monitor.png"));
  ASSERT_FALSE(png.isNull());
  EXPECT_EQ(png.size(), QSize(1350, 900));
  QSet<QRgb> colors;
  for (int y = 0; y < png.height(); y += 7)
    for (int x = 0; x < png.width(); x += 7) colors.insert(png.pixel(x, y));
  EXPECT_GT(colors.size(), 1);

  QFile pdf(out.file("training-monitor.pdf"));
  ASSERT_TRUE(pdf.open(QIODevice::ReadOnly));
  EXPECT_TRUE(pdf.read(5).startsWith("%PDF"));

  QFile csv(out.file("training-monitor.csv"));
  ASSERT_TRUE(csv.open(QIODevice::ReadOnly));
  EXPECT_EQ(QString::fromUtf8(csv.readAll()), monitor.exportCsv());
}

TEST_F(TrainingMonitorRun, ZoomPanHoverAndReset) {
  RunManager runs;
  TrainingMonitor monitor(&runs);
  const int id = runs.openRun(runDir());
  monitor.resize(1000, 700);
  monitor.show();
  ASSERT_TRUE(test::waitUntil([&] { return monitor.isVisible(); }));
  QChartView* view = viewTitled(monitor, "Loss");
  ASSERT_NE(view, nullptr);
  QValueAxis* x = xAxis(view);
  ASSERT_NE(x, nullptr);
  // Fitted to steps 10..200 with a little air on both sides.
  const auto fitted = [&] { return x->min() < 10 && x->min() > 0 && x->max() > 200 && x->max() < 210; };
  EXPECT_TRUE(fitted()) << x->min() << " " << x->max();

  // Hover over the raw loss at step 100: the read-out names the run, the step and the value.
  const QVector<QPointF> loss = monitor.seriesPoints(id, "loss");
  auto* series = qobject_cast<QXYSeries*>(view->chart()->series().value(0));
  ASSERT_NE(series, nullptr);
  const QPointF at = view->chart()->mapToPosition(loss[9], series);
  const QPoint viewPos = view->mapFromScene(view->chart()->mapToScene(at));
  QMouseEvent move(QEvent::MouseMove, QPointF(viewPos), view->viewport()->mapToGlobal(QPointF(viewPos)), Qt::NoButton,
                   Qt::NoButton, Qt::NoModifier);
  QApplication::sendEvent(view->viewport(), &move);
  QString readout;
  for (QGraphicsItem* item : view->scene()->items())
    if (auto* text = dynamic_cast<QGraphicsSimpleTextItem*>(item); text && text->isVisible()) readout = text->text();
  EXPECT_TRUE(readout.contains("tiny")) << readout.toStdString();
  EXPECT_TRUE(readout.contains("step 100")) << readout.toStdString();

  // Wheel zoom about the cursor narrows the range; the arrow keys pan.
  QWheelEvent wheel(QPointF(viewPos), view->viewport()->mapToGlobal(QPointF(viewPos)), QPoint(), QPoint(0, 240),
                    Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
  QApplication::sendEvent(view->viewport(), &wheel);
  EXPECT_LT(x->max() - x->min(), 190 * 0.8);
  EXPECT_GT(x->min(), 10);
  EXPECT_LT(x->max(), 200);
  EXPECT_LT(x->min(), 100);  // about the cursor: step 100 is still in view
  EXPECT_GT(x->max(), 100);
  // Wheeling back out restores the width (zoomIn with a rectangle larger than the plot).
  const double zoomedWidth = x->max() - x->min();
  QWheelEvent wheelOut(QPointF(viewPos), view->viewport()->mapToGlobal(QPointF(viewPos)), QPoint(), QPoint(0, -240),
                       Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
  QApplication::sendEvent(view->viewport(), &wheelOut);
  EXPECT_NEAR(x->max() - x->min(), zoomedWidth / (0.85 * 0.85), 1e-6 * zoomedWidth);
  const double before = x->min();
  QKeyEvent right(QEvent::KeyPress, Qt::Key_Right, Qt::NoModifier);
  QApplication::sendEvent(view, &right);
  EXPECT_GT(x->min(), before);

  // A zoomed chart keeps its range when its curves are redrawn, until reset.
  const double zoomedMin = x->min(), zoomedMax = x->max();
  monitor.setSmoothing(0.5);
  EXPECT_DOUBLE_EQ(x->min(), zoomedMin);
  EXPECT_DOUBLE_EQ(x->max(), zoomedMax);
  monitor.resetZoom();
  EXPECT_TRUE(fitted()) << x->min() << " " << x->max();

  // A flat rubber-band drag from step 50 to step 150 zooms x only.
  auto* y = qobject_cast<QValueAxis*>(shownYAxis(view));
  ASSERT_NE(y, nullptr);
  const double yMin = y->min(), yMax = y->max();
  const auto viewPoint = [&](double step) {
    const QPointF pos = view->chart()->mapToPosition(QPointF(step, (yMin + yMax) / 2), series);
    return QPointF(view->mapFromScene(view->chart()->mapToScene(pos)));
  };
  const auto mouse = [&](QEvent::Type type, QPointF pos, Qt::MouseButton button, Qt::MouseButtons buttons,
                         Qt::KeyboardModifiers mods = Qt::NoModifier) {
    QMouseEvent e(type, pos, view->viewport()->mapToGlobal(pos), button, buttons, mods);
    QApplication::sendEvent(view->viewport(), &e);
  };
  const QPointF from = viewPoint(50), to = viewPoint(150) + QPointF(0, 2);
  mouse(QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton);
  mouse(QEvent::MouseMove, to, Qt::NoButton, Qt::LeftButton);
  mouse(QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton);
  EXPECT_NEAR(x->min(), 50, 1.0);
  EXPECT_NEAR(x->max(), 150, 1.0);
  EXPECT_DOUBLE_EQ(y->min(), yMin);
  EXPECT_DOUBLE_EQ(y->max(), yMax);

  // Shift+drag pans: dragging left brings later steps into view.
  const QPointF grab = viewPoint(100);
  mouse(QEvent::MouseButtonPress, grab, Qt::LeftButton, Qt::LeftButton, Qt::ShiftModifier);
  mouse(QEvent::MouseMove, grab - QPointF(60, 0), Qt::NoButton, Qt::LeftButton, Qt::ShiftModifier);
  mouse(QEvent::MouseButtonRelease, grab - QPointF(60, 0), Qt::LeftButton, Qt::NoButton, Qt::ShiftModifier);
  EXPECT_GT(x->min(), 51);
  EXPECT_NEAR(x->max() - x->min(), 100, 1.0);

  // Double-click fits again.
  mouse(QEvent::MouseButtonDblClick, grab, Qt::LeftButton, Qt::LeftButton);
  EXPECT_TRUE(fitted()) << x->min() << " " << x->max();
}

TEST(TrainingMonitorLive, LossSeriesGrowsWhileTraining) {
  TempFolder folder;
  RunManager runs;
  TrainingMonitor monitor(&runs);
  ExperimentConfig config = test::tinyExperiment(300);
  config.evaluation.every = 100;  // live evaluations too; they also keep the run going a while
  config.evaluation.n_samples = 500;
  const int id = runs.createRun(config, folder.file("live"));
  ASSERT_GE(id, 0);
  std::vector<qsizetype> sizes;
  // Connected after the monitor: runs once the monitor has appended the new records.
  QObject::connect(&runs, &RunManager::progressUpdated, &monitor, [&](int run) {
    if (run == id) sizes.push_back(monitor.seriesPoints(id, "loss").size());
  });
  runs.start(id);
  ASSERT_TRUE(test::waitUntil([&] { return runs.run(id)->status.state == JobState::Finished; }, 60000));

  // Several coalesced updates, each appending to what was drawn before.
  ASSERT_GE(sizes.size(), 2u);
  EXPECT_GT(sizes.front(), 0);
  EXPECT_LT(sizes.front(), sizes.back());
  for (size_t i = 1; i < sizes.size(); ++i) EXPECT_GE(sizes[i], sizes[i - 1]);
  std::printf("[ live     ] %zu updates, loss series sizes %lld .. %lld\n", sizes.size(),
              static_cast<long long>(sizes.front()), static_cast<long long>(sizes.back()));
  // Every live record was appended once, in order, with its value.
  const RunRecord* record = runs.run(id);
  const QVector<QPointF> loss = monitor.seriesPoints(id, "loss");
  ASSERT_EQ(loss.size(), static_cast<qsizetype>(record->progress.size()));
  EXPECT_EQ(sizes.back(), loss.size());
  for (qsizetype i = 0; i < loss.size(); ++i) {
    EXPECT_EQ(loss[i].x(), record->progress[i].step);
    EXPECT_DOUBLE_EQ(loss[i].y(), record->progress[i].lossMean);
  }
  EXPECT_EQ(loss.back().x(), 300);
  EXPECT_EQ(ys(monitor.seriesPoints(id, "loss_smoothed")), TrainingMonitor::debiasedEma(ys(loss), 0.9));
  // Live evaluations reach the metric chart (nfe, the default) at their steps.
  const QVector<QPointF> metric = monitor.seriesPoints(id, "metric");
  ASSERT_EQ(metric.size(), 3);
  EXPECT_EQ(metric[0].x(), 100);
  EXPECT_EQ(metric[2].x(), 300);
  EXPECT_EQ(monitor.metric(), "nfe");

  runs.removeRun(id);
  EXPECT_TRUE(monitor.seriesPoints(id, "loss").isEmpty());
}
