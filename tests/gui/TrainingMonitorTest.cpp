// TrainingMonitor: the curves drawn from a trained run's history (the shared fixture run) and from
// a live run (a copy of it, trained further), the metric choice, log scale, decimation of long
// histories, interaction through ChartView, and exports: vector SVG, PNG whose plot areas show the
// curves, text that stays inside and apart at three sizes.

#include <gtest/gtest.h>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QTextStream>
#include <QWheelEvent>

#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

#include "GuiTestSupport.h"
#include "core/config/ConfigYaml.h"
#include "gui/plot/ChartView.h"
#include "gui/plot/Exporter.h"
#include "gui/services/RunManager.h"
#include "gui/views/monitor/DebiasedEma.h"
#include "gui/views/monitor/MonitorFigure.h"
#include "gui/views/monitor/TrainingMonitor.h"

using namespace flowscope;
using namespace flowscope::gui;
using flowscope::test::SharedRun;
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
/// loss and evaluations (nfe, sliced_w2) every 50 steps, so histories with evaluations,
/// non-positive or very many values need no training.
void writeSyntheticRun(const QString& dir, int rows, const std::function<double(int)>& loss,
                       const QString& name = "synthetic") {
  QDir().mkpath(dir);
  ExperimentConfig config = test::tinyExperiment(rows);
  config.name = name.toStdString();
  saveExperiment(config, QDir(dir).filePath("config.yaml").toStdString());
  QFile f(QDir(dir).filePath("metrics.csv"));
  ASSERT_TRUE(f.open(QIODevice::WriteOnly));
  QTextStream out(&f);
  out << "step,loss,lr,it_per_s,elapsed_s,nfe,sliced_w2\n";
  for (int i = 0; i < rows; ++i) {
    out << (i + 1) << ',' << QString::number(loss(i), 'g', 17) << ",0.001," << (100 + i % 7) << ',' << i * 0.01 << ',';
    if ((i + 1) % 50 == 0) out << 20 + i % 3 << ',' << 1.0 / (1 + i);
    else out << ',';
    out << '\n';
  }
}

std::vector<double> ys(const QVector<QPointF>& points) {
  std::vector<double> out;
  for (const QPointF& p : points) out.push_back(p.y());
  return out;
}

bool overlaps(const QRectF& a, const QRectF& b) {
  const QRectF i = a.intersected(b);
  return i.width() > 0.5 && i.height() > 0.5;
}

/// Pixels of `color`'s hue (antialiased or faint: any clearly saturated shade) inside `rect`; the
/// grey grid, frame and background have none.
int pixelsNear(const QImage& image, const QRectF& rect, const QColor& color) {
  int n = 0;
  const QRect r = rect.toAlignedRect().intersected(image.rect());
  for (int y = r.top(); y <= r.bottom(); ++y)
    for (int x = r.left(); x <= r.right(); ++x) {
      const QColor c = image.pixelColor(x, y);
      const int dh = std::abs(c.hsvHue() - color.hsvHue());
      n += c.hsvSaturation() > 40 && std::min(dh, 360 - dh) < 20;
    }
  return n;
}

}  // namespace

TEST(TrainingMonitorHistory, LossSeriesIsOnePointPerMetricsRow) {
  const QString runDir = test::sharedRun(SharedRun::Tiny);
  RunManager runs;
  const int id = runs.openRun(runDir);
  ASSERT_GE(id, 0);
  TrainingMonitor monitor(&runs);  // built after the run was opened: picks up existing runs

  const Csv csv = readCsv(QDir(runDir).filePath("metrics.csv"));
  ASSERT_EQ(csv.rows.size(), 30u);  // log_every 10 over 300 steps
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
  // The view draws the scene's chart: the same points.
  EXPECT_EQ(monitor.chartView("loss")->chart().series.front().points, drawn);
}

TEST(TrainingMonitorHistory, SmoothingChangeRecomputesSmoothedSeries) {
  RunManager runs;
  TrainingMonitor monitor(&runs);
  const int id = runs.openRun(test::sharedRun(SharedRun::Tiny));
  EXPECT_DOUBLE_EQ(monitor.smoothing(), 0.9);
  const std::vector<double> raw = ys(monitor.seriesPoints(id, "loss"));
  ASSERT_EQ(raw.size(), 30u);
  EXPECT_EQ(ys(monitor.seriesPoints(id, "loss_smoothed")), DebiasedEma::apply(raw, 0.9));

  monitor.setSmoothing(0.5);
  EXPECT_DOUBLE_EQ(monitor.smoothing(), 0.5);
  EXPECT_EQ(ys(monitor.seriesPoints(id, "loss_smoothed")), DebiasedEma::apply(raw, 0.5));
  EXPECT_DOUBLE_EQ(monitor.findChild<QDoubleSpinBox*>()->value(), 0.5);
  monitor.setSmoothing(0);
  EXPECT_EQ(ys(monitor.seriesPoints(id, "loss_smoothed")), raw);
  // The spin box drives the same path; out-of-range requests are clamped.
  monitor.findChild<QDoubleSpinBox*>()->setValue(0.25);
  EXPECT_DOUBLE_EQ(monitor.smoothing(), 0.25);
  EXPECT_EQ(ys(monitor.seriesPoints(id, "loss_smoothed")), DebiasedEma::apply(raw, 0.25));
  monitor.setSmoothing(5);
  EXPECT_DOUBLE_EQ(monitor.smoothing(), 0.999);
}

TEST(TrainingMonitorSynthetic, MetricComboListsEvalKeysAndDefaultsToNfe) {
  TempFolder folder;
  writeSyntheticRun(folder.file("run"), 200, [](int i) { return 1.0 / (1 + i); });
  RunManager runs;
  TrainingMonitor monitor(&runs);
  const int id = runs.openRun(folder.file("run"));
  ASSERT_GE(id, 0);
  EXPECT_EQ(monitor.metricKeys(), QStringList({"nfe", "sliced_w2"}));
  EXPECT_EQ(monitor.metric(), "nfe");
  auto* combo = monitor.findChild<QComboBox*>();
  ASSERT_NE(combo, nullptr);
  EXPECT_EQ(combo->currentText(), "nfe");
  const QVector<QPointF> metric = monitor.seriesPoints(id, "metric");
  ASSERT_EQ(metric.size(), 4);
  EXPECT_EQ(metric[0], QPointF(50, 20 + 49 % 3));
  EXPECT_EQ(metric[3], QPointF(200, 20 + 199 % 3));

  combo->setCurrentText("sliced_w2");
  EXPECT_EQ(monitor.metric(), "sliced_w2");
  const QVector<QPointF> w2 = monitor.seriesPoints(id, "metric");
  ASSERT_EQ(w2.size(), 4);
  EXPECT_DOUBLE_EQ(w2[1].y(), 1.0 / 100);
  EXPECT_EQ(monitor.chartView("metric")->chart().title, "Evaluation: sliced_w2");
  monitor.setMetric("nfe");
  EXPECT_EQ(combo->currentText(), "nfe");

  // Sparse evaluations sit on the training steps' axis, lined up with the loss chart.
  const DataRange loss = monitor.chartView("loss")->chart().shownRange();
  const DataRange evals = monitor.chartView("metric")->chart().shownRange();
  EXPECT_DOUBLE_EQ(evals.x0, loss.x0);
  EXPECT_DOUBLE_EQ(evals.x1, loss.x1);
  EXPECT_LT(evals.x0, 50) << "more than the evaluated steps";
}

TEST(TrainingMonitorSynthetic, LogScaleDropsNonPositiveValues) {
  TempFolder folder;
  writeSyntheticRun(folder.file("run"), 60, [](int i) { return i % 3 == 0 ? -0.5 * (i % 2) : 0.1 * (i + 1); });
  RunManager runs;
  TrainingMonitor monitor(&runs);
  const int id = runs.openRun(folder.file("run"));
  ASSERT_GE(id, 0);
  ASSERT_EQ(monitor.seriesPoints(id, "loss").size(), 60);
  ChartView* view = monitor.chartView("loss");
  auto* toggle = view->findChild<QCheckBox*>();
  ASSERT_NE(toggle, nullptr);
  toggle->setChecked(true);  // the chart's own "log y" box
  EXPECT_TRUE(monitor.logScale("loss"));
  EXPECT_FALSE(monitor.logScale("lr"));
  EXPECT_EQ(monitor.seriesPoints(id, "loss").size(), 40);
  for (const QPointF& p : monitor.seriesPoints(id, "loss")) EXPECT_GT(p.y(), 0);
  EXPECT_EQ(view->chart().yScale, AxisScale::Log);
  const DataRange r = view->chart().shownRange();
  EXPECT_GT(r.y0, 0);
  EXPECT_LE(r.y0, 0.2);
  EXPECT_GE(r.y1, 6.0);

  monitor.setLogScale("loss", false);
  EXPECT_FALSE(toggle->isChecked());
  EXPECT_EQ(monitor.seriesPoints(id, "loss").size(), 60);
  EXPECT_EQ(view->chart().yScale, AxisScale::Linear);
  EXPECT_LT(view->chart().shownRange().y0, -0.5 + 1e-9);  // the negative values are back in view
}

TEST(TrainingMonitorSynthetic, LongHistoriesAreDecimatedKeepingSpikesAndTheNewestPoint) {
  TempFolder folder;
  const int rows = 12345;
  writeSyntheticRun(folder.file("run"), rows, [](int i) { return i == 7777 ? 40.0 : 1.0 + 1.0 / (1 + i); });
  RunManager runs;
  TrainingMonitor monitor(&runs);
  const int id = runs.openRun(folder.file("run"));
  ASSERT_GE(id, 0);
  ASSERT_EQ(runs.run(id)->progress.size(), static_cast<size_t>(rows));
  const QVector<QPointF> loss = monitor.seriesPoints(id, "loss");
  EXPECT_LE(loss.size(), TrainingMonitor::kMaxPointsPerSeries + 2);
  EXPECT_GE(loss.size(), TrainingMonitor::kMaxPointsPerSeries / 2);
  EXPECT_EQ(loss.front().x(), 1);
  EXPECT_EQ(loss.back().x(), rows);  // the newest record is always drawn
  for (qsizetype i = 1; i < loss.size(); ++i) ASSERT_LT(loss[i - 1].x(), loss[i].x());
  // The one-step spike survives decimation; every drawn point is a record with its own value.
  EXPECT_TRUE(loss.contains(QPointF(7778, 40.0)));
  for (const QPointF& p : loss) {
    if (p.x() != 7778) {
      ASSERT_DOUBLE_EQ(p.y(), 1.0 + 1.0 / p.x());
    }
  }
  // The smoothed curve averages every record, not only the drawn ones.
  std::vector<double> all;
  for (const ProgressSnapshot& p : runs.run(id)->progress) all.push_back(p.loss);
  EXPECT_DOUBLE_EQ(monitor.seriesPoints(id, "loss_smoothed").back().y(), DebiasedEma::apply(all, 0.9).back());
}

TEST(TrainingMonitorSynthetic, CsvHasOneRowPerRecordAndEvalColumns) {
  TempFolder folder;
  writeSyntheticRun(folder.file("run"), 120, [](int i) { return 2.0 / (1 + i); }, "needs, \"quoting\"");
  RunManager runs;
  TrainingMonitor monitor(&runs);
  const int id = runs.openRun(folder.file("run"));
  const RunRecord* record = runs.run(id);
  ASSERT_NE(record, nullptr);
  const QStringList lines = monitor.exportCsv().split('\n', Qt::SkipEmptyParts);
  ASSERT_EQ(lines.size(), static_cast<qsizetype>(record->progress.size() + 1));
  EXPECT_EQ(lines[0], "run,step,loss,loss_smoothed,lr,it_per_s,nfe,sliced_w2");
  const QString quoted = "\"needs, \"\"quoting\"\"\",";  // core's CSV escaping
  const std::vector<double> smoothed = DebiasedEma::apply(ys(monitor.seriesPoints(id, "loss")), monitor.smoothing());
  for (qsizetype i = 1; i < lines.size(); ++i) {
    ASSERT_TRUE(lines[i].startsWith(quoted)) << lines[i].toStdString();
    const QStringList cells = lines[i].mid(quoted.size()).split(',');
    ASSERT_EQ(cells.size(), 7);
    const ProgressSnapshot& p = record->progress[static_cast<size_t>(i - 1)];
    EXPECT_EQ(cells[0].toLongLong(), p.step);
    EXPECT_NEAR(cells[1].toDouble(), p.loss, 1e-9 * std::abs(p.loss));
    EXPECT_NEAR(cells[2].toDouble(), smoothed[static_cast<size_t>(i - 1)], 1e-9);
    EXPECT_EQ(cells[5].isEmpty(), p.step % 50 != 0) << lines[i].toStdString();
  }
}

TEST(TrainingMonitorExport, VectorSvgAndPngWhosePlotAreasShowTheCurves) {
  RunManager runs;
  TrainingMonitor monitor(&runs);
  const int id = runs.openRun(test::sharedRun(SharedRun::Tiny));
  ASSERT_GE(id, 0);
  TempFolder out;
  ExportOptions options;
  options.size = QSize(900, 600);
  options.dpi = 96;  // one pixel per unit: the figure's frames are the PNG's pixels
  const QStringList files = Exporter::exportAll(monitor, out.path(), options);
  ASSERT_EQ(files.size(), 4);
  const SvgSummary svg = summarizeSvg(out.file("training-monitor.svg"));
  EXPECT_TRUE(svg.error.isEmpty()) << svg.error.toStdString();
  EXPECT_GE(svg.vectors(), 5);   // the run's curves, as vectors
  EXPECT_EQ(svg.images, 0);      // nothing rasterized
  EXPECT_GT(svg.texts, 10);      // titles, tick labels and legends stay text
  EXPECT_TRUE(svg.allText.contains("Loss"));
  EXPECT_TRUE(svg.allText.contains("tiny"));
  QFile pdf(out.file("training-monitor.pdf"));
  ASSERT_TRUE(pdf.open(QIODevice::ReadOnly));
  EXPECT_TRUE(pdf.read(5).startsWith("%PDF"));
  QFile csv(out.file("training-monitor.csv"));
  ASSERT_TRUE(csv.open(QIODevice::ReadOnly));
  EXPECT_EQ(QString::fromUtf8(csv.readAll()), monitor.exportCsv());

  // Inside each of the loss, lr and it/s plot rectangles, the run's color is drawn; a monitor
  // without runs draws none of it (the check fails on a blank plot).
  const QImage png(out.file("training-monitor.png"));
  ASSERT_EQ(png.size(), QSize(900, 600));
  const QRectF target(0, 0, 900, 600);
  const std::vector<PlotFrame> frames = monitor.figure().frames(target, PlotStyle::forExport(monitor.font()));
  ASSERT_EQ(frames.size(), 4u);
  const QColor color = runs.run(id)->color;
  for (size_t c = 0; c < 3; ++c)
    EXPECT_GT(pixelsNear(png, frames[c].plot().adjusted(2, 2, -2, -2), color), 40) << "chart " << c;
  RunManager none;
  TrainingMonitor empty(&none);
  QImage blank(900, 600, QImage::Format_ARGB32);
  blank.fill(Qt::white);
  {
    QPainter p(&blank);
    empty.renderExport(p, target);
  }
  for (const PlotFrame& f : empty.figure().frames(target, PlotStyle::forExport(empty.font())))
    EXPECT_EQ(pixelsNear(blank, f.plot().adjusted(2, 2, -2, -2), color), 0);
}

TEST(TrainingMonitorExport, TextStaysInsideAndApartAtThreeSizes) {
  TempFolder folder;
  writeSyntheticRun(folder.file("run"), 400, [](int i) { return 1e-3 + 1.0 / (1 + i); }, "fm-vp-checkerboard");
  RunManager runs;
  TrainingMonitor monitor(&runs);
  ASSERT_GE(runs.openRun(test::sharedRun(SharedRun::Tiny)), 0);
  ASSERT_GE(runs.openRun(folder.file("run")), 0);
  monitor.setLogScale("loss", true);
  for (const QSizeF size : {QSizeF(480, 320), QSizeF(1200, 800), QSizeF(2400, 1600)}) {
    const QRectF target(QPointF(0, 0), size);
    const MonitorFigure figure = monitor.figure();
    const std::vector<QRectF> rects = figure.textRects(target, PlotStyle::forExport(monitor.font()));
    std::string frames;
    for (const PlotFrame& f : figure.frames(target, PlotStyle::forExport(monitor.font())))
      frames += QString(" [y %1..%2 over %3 px: %4 ticks]")
                    .arg(f.decor().y.lo).arg(f.decor().y.hi).arg(f.plot().height()).arg(f.yTicks().size())
                    .toStdString();
    SCOPED_TRACE(frames);
    ASSERT_GE(rects.size(), 4u * 6u);  // titles, ticks, axis titles, two legend entries per chart
    for (size_t i = 0; i < rects.size(); ++i) {
      EXPECT_TRUE(target.adjusted(-0.5, -0.5, 0.5, 0.5).contains(rects[i]))
          << "text " << i << " clipped at " << size.width() << "x" << size.height();
      for (size_t j = i + 1; j < rects.size(); ++j)
        EXPECT_FALSE(overlaps(rects[i], rects[j]))
            << "texts " << i << " and " << j << " overlap at " << size.width() << ": " << rects[i].x() << "," << rects[i].y()
            << " " << rects[i].width() << "x" << rects[i].height() << " and " << rects[j].x() << "," << rects[j].y() << " "
            << rects[j].width() << "x" << rects[j].height();
    }
    for (const PlotFrame& f : figure.frames(target, PlotStyle::forExport(monitor.font())))
      for (const QRectF& r : rects) EXPECT_FALSE(overlaps(r, f.plot())) << "text over a plot at " << size.width();
  }
}

TEST(TrainingMonitorView, ZoomPanHoverAndReset) {
  RunManager runs;
  TrainingMonitor monitor(&runs);
  const int id = runs.openRun(test::sharedRun(SharedRun::Tiny));
  monitor.resize(1000, 700);
  monitor.show();
  ASSERT_TRUE(test::waitUntil([&] { return monitor.isVisible(); }));
  ChartView* view = monitor.chartView("loss");
  ASSERT_NE(view, nullptr);
  const auto x0 = [&] { return view->chart().shownRange().x0; };
  const auto x1 = [&] { return view->chart().shownRange().x1; };
  // Fitted to steps 10..300 with a little air on both sides.
  const auto fitted = [&] { return x0() < 10 && x0() > 0 && x1() > 300 && x1() < 310; };
  EXPECT_TRUE(fitted()) << x0() << " " << x1();

  // Hover over the raw loss at step 100: the read-out names the run, the step and the value.
  const QVector<QPointF> loss = monitor.seriesPoints(id, "loss");
  const QPointF at = view->frame().map(loss[9]);
  const auto mouse = [&](QEvent::Type type, QPointF pos, Qt::MouseButton button, Qt::MouseButtons buttons,
                         Qt::KeyboardModifiers mods = Qt::NoModifier) {
    QMouseEvent e(type, pos, view->mapToGlobal(pos), button, buttons, mods);
    QApplication::sendEvent(view, &e);
  };
  mouse(QEvent::MouseMove, at, Qt::NoButton, Qt::NoButton);
  EXPECT_TRUE(view->hoverText().contains("tiny")) << view->hoverText().toStdString();
  EXPECT_TRUE(view->hoverText().contains("step 100")) << view->hoverText().toStdString();

  // Wheel zoom about the cursor narrows the range; the arrow keys pan.
  QWheelEvent wheel(at, view->mapToGlobal(at), QPoint(), QPoint(0, 240), Qt::NoButton, Qt::NoModifier,
                    Qt::NoScrollPhase, false);
  QApplication::sendEvent(view, &wheel);
  EXPECT_LT(x1() - x0(), 300 * 0.8);
  EXPECT_LT(x0(), 100);  // about the cursor: step 100 is still in view
  EXPECT_GT(x1(), 100);
  const double zoomedWidth = x1() - x0();
  QWheelEvent wheelOut(at, view->mapToGlobal(at), QPoint(), QPoint(0, -240), Qt::NoButton, Qt::NoModifier,
                       Qt::NoScrollPhase, false);
  QApplication::sendEvent(view, &wheelOut);
  EXPECT_NEAR(x1() - x0(), zoomedWidth / (0.85 * 0.85), 0.02 * zoomedWidth);
  const double before = x0();
  QKeyEvent right(QEvent::KeyPress, Qt::Key_Right, Qt::NoModifier);
  QApplication::sendEvent(view, &right);
  EXPECT_GT(x0(), before);

  // A zoomed chart keeps its range when its curves are redrawn, until reset.
  const double zoomedMin = x0(), zoomedMax = x1();
  monitor.setSmoothing(0.5);
  EXPECT_DOUBLE_EQ(x0(), zoomedMin);
  EXPECT_DOUBLE_EQ(x1(), zoomedMax);
  // Export draws the zoomed range too: what is on screen.
  EXPECT_EQ(monitor.figure().charts().front().shownRange(), view->chart().shownRange());
  monitor.resetZoom();
  EXPECT_TRUE(fitted()) << x0() << " " << x1();

  // A flat rubber-band drag from step 50 to step 150 zooms x only.
  const DataRange full = view->chart().shownRange();
  const double ym = (full.y0 + full.y1) / 2;
  const QPointF from = view->frame().map(50, ym), to = view->frame().map(150, ym) + QPointF(0, 2);
  mouse(QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton);
  mouse(QEvent::MouseMove, to, Qt::NoButton, Qt::LeftButton);
  mouse(QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton);
  EXPECT_NEAR(x0(), 50, 1.0);
  EXPECT_NEAR(x1(), 150, 1.0);
  EXPECT_NEAR(view->chart().shownRange().y0, full.y0, 1e-9 * std::abs(full.y1 - full.y0));
  EXPECT_NEAR(view->chart().shownRange().y1, full.y1, 1e-9 * std::abs(full.y1 - full.y0));

  // Shift+drag pans: dragging left brings later steps into view.
  const QPointF grab = view->frame().map(100, ym);
  mouse(QEvent::MouseButtonPress, grab, Qt::LeftButton, Qt::LeftButton, Qt::ShiftModifier);
  mouse(QEvent::MouseMove, grab - QPointF(60, 0), Qt::NoButton, Qt::LeftButton, Qt::ShiftModifier);
  mouse(QEvent::MouseButtonRelease, grab - QPointF(60, 0), Qt::LeftButton, Qt::NoButton, Qt::ShiftModifier);
  EXPECT_GT(x0(), 51);
  EXPECT_NEAR(x1() - x0(), 100, 1.0);

  // Double-click fits again.
  mouse(QEvent::MouseButtonDblClick, grab, Qt::LeftButton, Qt::LeftButton);
  EXPECT_TRUE(fitted()) << x0() << " " << x1();
}

TEST(TrainingMonitorLive, LossSeriesGrowsWhileTraining) {
  // A copy of the shared run, trained 120 steps further with live evaluations.
  TempFolder folder;
  test::copyRun(test::sharedRun(SharedRun::Tiny), folder.file("live"));
  ExperimentConfig config = test::sharedRunConfig(SharedRun::Tiny);
  config.training.steps = 420;
  config.evaluation.every = 60;
  config.evaluation.n_samples = 300;
  RunManager runs;
  TrainingMonitor monitor(&runs);
  const int id = runs.createRun(config, folder.file("live"));
  ASSERT_GE(id, 0);
  const size_t history = runs.run(id)->progress.size();
  std::vector<qsizetype> sizes;
  // Connected after the monitor: runs once the monitor has taken in the new records.
  QObject::connect(&runs, &RunManager::progressUpdated, &monitor, [&](int run) {
    if (run == id) sizes.push_back(monitor.seriesPoints(id, "loss").size());
  });
  // Two batches whatever the machine's speed: 60 steps then a pause (which publishes its
  // progress), then the rest. Timing alone coalesced all 120 steps into one update on a fast CPU.
  runs.step(id, 60);
  ASSERT_TRUE(test::waitUntil([&] { return !sizes.empty() && runs.run(id)->status.state == JobState::Paused; },
                              60000));
  runs.start(id);
  ASSERT_TRUE(test::waitUntil([&] { return runs.run(id)->status.state == JobState::Finished; }, 60000));

  ASSERT_GE(sizes.size(), 2u);
  EXPECT_LT(sizes.front(), sizes.back());
  for (size_t i = 1; i < sizes.size(); ++i) EXPECT_GE(sizes[i], sizes[i - 1]);
  std::printf("[ live     ] %zu updates, loss series sizes %lld .. %lld (history %zu)\n", sizes.size(),
              static_cast<long long>(sizes.front()), static_cast<long long>(sizes.back()), history);
  // Every record, from the history and live, was appended once, in order, with its value.
  const RunRecord* record = runs.run(id);
  const QVector<QPointF> loss = monitor.seriesPoints(id, "loss");
  ASSERT_GT(record->progress.size(), history);
  ASSERT_EQ(loss.size(), static_cast<qsizetype>(record->progress.size()));
  for (qsizetype i = 0; i < loss.size(); ++i) {
    EXPECT_EQ(loss[i].x(), record->progress[static_cast<size_t>(i)].step);
    EXPECT_DOUBLE_EQ(loss[i].y(), lossOf(record->progress[static_cast<size_t>(i)]));
  }
  EXPECT_EQ(loss.back().x(), 420);
  EXPECT_EQ(ys(monitor.seriesPoints(id, "loss_smoothed")), DebiasedEma::apply(ys(loss), 0.9));
  // Live evaluations reach the metric chart (nfe, the default) at their steps.
  const QVector<QPointF> metric = monitor.seriesPoints(id, "metric");
  ASSERT_EQ(metric.size(), 2);
  EXPECT_EQ(metric[0].x(), 360);
  EXPECT_EQ(metric[1].x(), 420);
  EXPECT_EQ(monitor.metric(), "nfe");
  runs.removeRun(id);
  EXPECT_TRUE(monitor.seriesPoints(id, "loss").isEmpty());
}
