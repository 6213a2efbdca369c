// NfePanel: the sweep of the shared tiny run has one row per (solver, steps) and per tolerance,
// NFE = steps x stages, error falling with steps; what is drawn equals the results; the same run
// opened twice gets the same noise; the strip has five point sets that approach the reference;
// cancel, bad input (the reference through core's one parser), export (vector SVG, PNG whose plot
// areas show the curves, text inside and apart at three sizes) and session state.

#include <gtest/gtest.h>

#include <QCheckBox>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include "gui/services/AsyncQuery.h"
#include "gui/plot/Exporter.h"
#include "GuiTestSupport.h"
#include "gui/plot/ChartView.h"
#include "gui/views/nfe/NfeFigure.h"
#include "gui/views/nfe/NfePanel.h"
#include "gui/views/nfe/NfeSweepForm.h"
#include "gui/views/nfe/NfeStrip.h"
#include "gui/services/RunManager.h"
#include "core/api/Classifiers.h"
#include "core/api/Queries.h"

using namespace flowscope;
using namespace flowscope::gui;
using flowscope::test::SvgSummary;
using flowscope::test::summarizeSvg;
using flowscope::test::TempFolder;
using flowscope::test::waitUntil;

namespace {

class NfePanelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    AsyncQuery::setThreadsPerTask(1);  // tiny solves: one thread each is fastest on a busy machine
  }
  static void TearDownTestSuite() { AsyncQuery::setThreadsPerTask(0); }
  static QString runDir() { return test::sharedRun(test::SharedRun::Tiny); }

  /// Small enough for a few seconds on a shared core.
  static SweepSpec smallSpec() {
    SweepSpec s;
    s.solvers = {"euler", "midpoint", "heun", "rk4"};
    s.steps = {1, 2, 4, 8, 16};
    s.tolerances = {1e-2, 1e-4};
    s.n = 300;
    s.seed = 7;
    s.reference = "rk4:100";
    s.referenceCount = 500;
    return s;
  }
};

int stages(const std::string& solver) {
  static const std::map<std::string, int> s{{"euler", 1}, {"midpoint", 2}, {"heun", 2}, {"rk4", 4}};
  return s.at(solver);
}

double meanSquaredDistance(const std::vector<float>& a, const std::vector<float>& b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * static_cast<double>(a[i] - b[i]);
  return sum / static_cast<double>(a.size() / 2);
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

QImage render(NfePanel& panel, QSize size) {
  QImage image(size, QImage::Format_ARGB32);
  image.fill(Qt::white);
  QPainter p(&image);
  panel.renderExport(p, QRectF(QPointF(0, 0), QSizeF(size)));
  return image;
}

}  // namespace

TEST_F(NfePanelTest, SolverBoxesAreTheRegistrysFixedStepSolversAndTheReferenceIsCoresParser) {
  RunManager runs;
  AsyncQuery queries;
  NfePanel panel(&runs, &queries);
  for (const QString& s : NfeScene::sweepSolvers()) EXPECT_NE(panel.findChild<QCheckBox*>("solver_" + s), nullptr) << s.toStdString();
  EXPECT_EQ(panel.findChild<QCheckBox*>("solver_dopri5"), nullptr);  // adaptive: the tolerance field
  auto* reference = panel.findChild<QLineEdit*>("reference");
  ASSERT_TRUE(reference);
  for (const char* bad : {"rk4:10abc", "rk4", "euler:10", "dopri5:2", "rk4:0"}) {
    reference->setText(bad);
    EXPECT_FALSE(panel.fieldMessage("reference").isEmpty()) << bad;
    // The message is core's (parseSweepReference), the one the CLI prints.
    EXPECT_TRUE(panel.fieldMessage("reference").contains("expected rk4:STEPS")) << panel.fieldMessage("reference").toStdString();
  }
  for (const char* good : {"rk4:1000", " dopri5:1e-7 "}) {
    reference->setText(good);
    EXPECT_TRUE(panel.fieldMessage("reference").isEmpty()) << good;
  }
}

TEST_F(NfePanelTest, SweepRowsNfeErrorsAndPlottedPoints) {
  RunManager runs;
  AsyncQuery queries;
  ASSERT_GE(runs.openRun(runDir()), 0);
  NfePanel panel(&runs, &queries);
  panel.setStripPoints(200);
  const SweepSpec spec = smallSpec();
  panel.setSpec(spec);
  EXPECT_EQ(panel.spec().steps, spec.steps);
  EXPECT_EQ(panel.spec().solvers, spec.solvers);
  int finished = 0;
  QObject::connect(&panel, &NfePanel::sweepFinished, [&] { ++finished; });
  panel.runSweep();
  EXPECT_TRUE(panel.isBusy());
  ASSERT_TRUE(waitUntil([&] { return finished == 1; }, 60000));

  ASSERT_EQ(panel.results().size(), 1u);
  const QString name = panel.results()[0].first;
  const SweepResult& r = panel.results()[0].second;
  EXPECT_TRUE(r.completed);
  ASSERT_EQ(r.rows.size(), spec.solvers.size() * spec.steps.size() + spec.tolerances.size());
  std::map<std::string, std::vector<const SweepRow*>> bySolver;
  for (const SweepRow& row : r.rows) bySolver[row.solver].push_back(&row);
  for (const std::string& solver : spec.solvers) {
    const auto& rows = bySolver[solver];
    ASSERT_EQ(rows.size(), spec.steps.size()) << solver;
    for (size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(rows[i]->steps, spec.steps[i]);
      EXPECT_EQ(rows[i]->nfe, static_cast<int64_t>(spec.steps[i]) * stages(solver)) << solver;
      // Strictly falling once the step is small enough to be in the asymptotic regime (a 2-step
      // solve can be luckier than a 4-step one on a barely trained field).
      if (i > 0 && spec.steps[i - 1] >= 4) {
        EXPECT_LT(rows[i]->numericalError, rows[i - 1]->numericalError) << solver << " at " << spec.steps[i];
      }
    }
    EXPECT_LT(rows.back()->numericalError, rows.front()->numericalError / 100) << solver;
    // The drawn points are the results.
    for (const QString chart : {"error", "quality"}) {
      const QVector<QPointF> pts = panel.plottedPoints(name, QString::fromStdString(solver), chart);
      ASSERT_EQ(pts.size(), static_cast<qsizetype>(rows.size())) << solver << " " << chart.toStdString();
      for (size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(pts[static_cast<qsizetype>(i)].x(), static_cast<double>(rows[i]->nfe));
        const double y = chart == "error" ? rows[i]->numericalError
                                          : rows[i]->metrics.at(panel.qualityMetric().toStdString());
        EXPECT_EQ(pts[static_cast<qsizetype>(i)].y(), y);
      }
    }
  }
  ASSERT_EQ(bySolver["dopri5"].size(), spec.tolerances.size());
  EXPECT_EQ(panel.plottedPoints(name, "dopri5", "error").size(), static_cast<qsizetype>(spec.tolerances.size()));
  EXPECT_EQ(panel.qualityMetric(), "sliced_w2");  // the default, defined for every dataset
  panel.setQualityMetric("frac_black");
  EXPECT_EQ(panel.plottedPoints(name, "euler", "quality").front().y(), bySolver["euler"].front()->metrics.at("frac_black"));
  ASSERT_TRUE(waitUntil([&] { return !panel.isBusy(); }, 60000));  // the strip follows
}

TEST_F(NfePanelTest, SameRunOpenedTwiceGetsTheSameNoise) {
  RunManager runs;
  AsyncQuery queries;
  ASSERT_GE(runs.openRun(runDir()), 0);
  ASSERT_GE(runs.openRun(runDir()), 0);
  NfePanel panel(&runs, &queries);
  ASSERT_EQ(panel.runNames().size(), 2);
  SweepSpec spec = smallSpec();
  spec.solvers = {"euler", "rk4"};
  spec.tolerances = {1e-3};
  panel.setSpec(spec);
  panel.setStripPoints(100);
  int finished = 0;
  QObject::connect(&panel, &NfePanel::sweepFinished, [&] { ++finished; });
  panel.runSweep();
  ASSERT_TRUE(waitUntil([&] { return finished == 1; }, 60000));
  ASSERT_EQ(panel.results().size(), 2u);
  EXPECT_NE(panel.results()[0].first, panel.results()[1].first);
  const auto& a = panel.results()[0].second.rows;
  const auto& b = panel.results()[1].second.rows;
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].nfe, b[i].nfe);
    EXPECT_EQ(a[i].numericalError, b[i].numericalError) << a[i].solver << " " << a[i].steps;
  }
  ASSERT_TRUE(waitUntil([&] { return !panel.isBusy(); }, 60000));
}

TEST_F(NfePanelTest, StripHasFiveSetsThatApproachTheReference) {
  RunManager runs;
  AsyncQuery queries;
  const int id = runs.openRun(runDir());
  ASSERT_GE(id, 0);
  NfePanel panel(&runs, &queries);
  SweepSpec spec = smallSpec();
  spec.solvers = {"euler"};
  spec.steps = {1, 4};
  spec.tolerances = {};
  panel.setSpec(spec);
  panel.setStripPoints(400);
  EXPECT_EQ(panel.stripSolver(), "midpoint") << "the paper's Figure 4 solver by default";
  panel.setStripSolver("euler");
  int strip = 0;
  QObject::connect(&panel, &NfePanel::stripFinished, [&] { ++strip; });
  panel.runSweep();
  ASSERT_TRUE(waitUntil([&] { return strip == 1; }, 60000));
  EXPECT_FALSE(panel.isBusy());
  const QString name = runs.run(id)->name;
  ASSERT_EQ(panel.stripSamples().count(name), 1u);
  const auto& sets = panel.stripSamples().at(name);
  ASSERT_EQ(sets.size(), NfePanel::stripNfes().size());
  for (const auto& s : sets) EXPECT_EQ(s.size(), 2u * 400u);
  SolverSpec ref;
  ref.solver = "rk4";
  ref.steps = 200;
  const std::vector<float> reference = samplePoints(*runs.run(id)->weights, 400, spec.seed, ref);
  EXPECT_LT(meanSquaredDistance(sets.back(), reference), meanSquaredDistance(sets.front(), reference));

  // Midpoint strip: its own button, NFE / 2 steps, and still five sets.
  panel.setStripSolver("midpoint");
  panel.runStrip();
  ASSERT_TRUE(waitUntil([&] { return strip == 2; }, 60000));
  const auto& mid = panel.stripSamples().at(name);
  ASSERT_EQ(mid.size(), 5u);
  SolverSpec two;
  two.solver = "midpoint";
  two.steps = 1;
  const std::vector<float> direct = samplePoints(*runs.run(id)->weights, 400, spec.seed, two);
  ASSERT_EQ(mid.front().size(), direct.size());
  EXPECT_LT(meanSquaredDistance(mid.front(), direct), 1e-10);  // same noise, same solve
}

TEST_F(NfePanelTest, CancelStopsEarly) {
  RunManager runs;
  AsyncQuery queries;
  ASSERT_GE(runs.openRun(runDir()), 0);
  NfePanel panel(&runs, &queries);
  SweepSpec spec = smallSpec();
  spec.steps = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};
  spec.n = 2000;
  spec.metrics = false;
  panel.setSpec(spec);
  int finished = 0;
  QObject::connect(&panel, &NfePanel::sweepFinished, [&] { ++finished; });
  panel.runSweep();
  ASSERT_TRUE(panel.isBusy());
  auto* progress = panel.findChild<QProgressBar*>("progress");
  ASSERT_TRUE(progress);
  ASSERT_TRUE(waitUntil([&] { return progress->value() > 0; }, 30000));
  panel.findChild<QPushButton*>("cancel")->click();
  EXPECT_FALSE(panel.isBusy());
  EXPECT_LT(progress->value(), progress->maximum());
  // The worker stops after the solve in progress, long before the whole sweep.
  EXPECT_TRUE(waitUntil([&] { return !queries.busy(); }, 15000));
  EXPECT_EQ(finished, 0);
  EXPECT_TRUE(panel.results().empty());
  // The panel still works afterwards.
  spec = smallSpec();
  spec.solvers = {"euler"};
  spec.tolerances = {};
  panel.setSpec(spec);
  panel.setStripPoints(50);
  panel.runSweep();
  ASSERT_TRUE(waitUntil([&] { return finished == 1 && !panel.isBusy(); }, 60000));
  EXPECT_EQ(panel.results().size(), 1u);
}

TEST_F(NfePanelTest, BadStepListShowsAMessageAndDoesNotRun) {
  RunManager runs;
  AsyncQuery queries;
  ASSERT_GE(runs.openRun(runDir()), 0);
  NfePanel panel(&runs, &queries);
  panel.setSpec(smallSpec());
  auto* steps = panel.findChild<QLineEdit*>("steps");
  ASSERT_TRUE(steps);
  steps->setText("1,a");
  auto* message = panel.findChild<QLabel*>("stepsMessage");
  ASSERT_TRUE(message);
  EXPECT_FALSE(message->isHidden());
  EXPECT_TRUE(message->text().contains("'a'"));
  EXPECT_EQ(panel.fieldMessage("steps"), message->text());
  panel.runSweep();
  EXPECT_FALSE(panel.isBusy());
  EXPECT_FALSE(queries.busy());
  EXPECT_TRUE(panel.results().empty());
  panel.findChild<QLineEdit*>("tolerances")->setText("1e-3,0");
  EXPECT_FALSE(panel.fieldMessage("tolerances").isEmpty());
  panel.findChild<QLineEdit*>("reference")->setText("rk4");
  EXPECT_FALSE(panel.fieldMessage("reference").isEmpty());
  steps->setText("1, 2 4");  // commas or spaces
  EXPECT_TRUE(panel.fieldMessage("steps").isEmpty());
  EXPECT_TRUE(message->isHidden());
}

TEST_F(NfePanelTest, ExportWritesVectorSvgAndSweepCsv) {
  RunManager runs;
  AsyncQuery queries;
  ASSERT_GE(runs.openRun(runDir()), 0);
  NfePanel panel(&runs, &queries);
  SweepSpec spec = smallSpec();
  spec.solvers = {"euler", "midpoint"};
  panel.setSpec(spec);
  panel.setStripPoints(100);
  int strip = 0;
  QObject::connect(&panel, &NfePanel::stripFinished, [&] { ++strip; });
  panel.runSweep();
  ASSERT_TRUE(waitUntil([&] { return strip == 1; }, 60000));
  TempFolder tmp;
  ExportOptions o;
  o.png = o.pdf = false;
  const QStringList files = Exporter::exportAll(panel, tmp.path(), o);
  ASSERT_EQ(files.size(), 2);
  const SvgSummary svg = summarizeSvg(tmp.file("nfe-quality.svg"));
  EXPECT_TRUE(svg.error.isEmpty()) << svg.error.toStdString();
  EXPECT_GT(svg.vectors(), 10);
  EXPECT_GT(svg.texts, 10);
  QFile csv(tmp.file("nfe-quality.csv"));
  ASSERT_TRUE(csv.open(QIODevice::ReadOnly));
  const QString text = QString::fromUtf8(csv.readAll());
  EXPECT_TRUE(text.startsWith("run,solver,steps,tolerance,nfe,numerical_error,wall_ms"));
  EXPECT_EQ(text.count('\n'), static_cast<qsizetype>(1 + 2 * spec.steps.size() + spec.tolerances.size()));

  // Inside both plot rectangles the run's color is drawn, and inside the strip's cells too; an
  // empty panel draws none of it (the check fails on a blank plot).
  const QSize size = panel.exportSize();
  const QImage png = render(panel, size);
  const QRectF target(QPointF(0, 0), QSizeF(size));
  const NfeFigure figure = panel.figure();
  const QColor color = runs.run(runs.runIds().front())->color;
  for (const PlotFrame& f : figure.frames(target)) EXPECT_GT(pixelsNear(png, f.plot().adjusted(2, 2, -2, -2), color), 40);
  const NfeStrip stripPlot(panel.scene(), false, PlotStyle::forExport(panel.font()));
  // The strip's dots are the run's color at partial opacity: count colored (saturated) pixels,
  // which the grey cell backgrounds, axes and frames are not.
  const auto colored = [](const QImage& image, const QRectF& rect) {
    int n = 0;
    const QRect r = rect.toAlignedRect().intersected(image.rect());
    for (int y = r.top(); y <= r.bottom(); ++y)
      for (int x = r.left(); x <= r.right(); ++x) n += image.pixelColor(x, y).hsvSaturation() > 60;
    return n;
  };
  const std::vector<QRectF> cells = stripPlot.cells(figure.layout(target).strip);
  ASSERT_EQ(cells.size(), NfePanel::stripNfes().size());
  for (const QRectF& c : cells) EXPECT_GT(colored(png, c.adjusted(2, 2, -2, -2)), 50);
  RunManager none;
  NfePanel empty(&none, &queries);
  const QImage blank = render(empty, size);
  for (const PlotFrame& f : empty.figure().frames(target))
    EXPECT_EQ(pixelsNear(blank, f.plot().adjusted(2, 2, -2, -2), color), 0);

  // Text stays inside the figure and apart at three export sizes, and off the plots.
  for (const QSizeF s : {QSizeF(480, 320), QSizeF(1200, 800), QSizeF(2400, 1600)}) {
    const QRectF t(QPointF(0, 0), s);
    const std::vector<QRectF> rects = figure.textRects(t);
    ASSERT_GE(rects.size(), 20u);
    for (size_t i = 0; i < rects.size(); ++i) {
      EXPECT_TRUE(t.adjusted(-0.5, -0.5, 0.5, 0.5).contains(rects[i])) << "text " << i << " clipped at " << s.width();
      for (size_t j = i + 1; j < rects.size(); ++j)
        EXPECT_FALSE(overlaps(rects[i], rects[j])) << "texts " << i << " and " << j << " overlap at " << s.width();
      for (const PlotFrame& f : figure.frames(t)) EXPECT_FALSE(overlaps(rects[i], f.plot())) << "text " << i << " on a plot";
    }
  }
}

TEST_F(NfePanelTest, SessionStateRoundTrip) {
  RunManager runs;
  AsyncQuery queries;
  ASSERT_GE(runs.openRun(runDir()), 0);
  NfePanel a(&runs, &queries);
  SweepSpec spec = smallSpec();
  spec.solvers = {"heun", "rk4"};
  spec.steps = {3, 6};
  spec.tolerances = {1e-3};
  spec.n = 1234;
  spec.seed = 42;
  spec.reference = "dopri5:1e-7";
  a.setSpec(spec);
  a.setQualityMetric("energy");
  a.setStripSolver("euler");  // not the default, so the round trip shows
  a.setStripPoints(777);
  a.setRunChecked(a.runNames().front(), false);
  const QJsonObject state = a.saveState();
  EXPECT_EQ(a.stateKey(), "nfe-quality");

  NfePanel b(&runs, &queries);
  EXPECT_TRUE(b.isRunChecked(b.runNames().front()));
  b.restoreState(state);
  EXPECT_EQ(b.saveState(), state);
  const SweepSpec got = b.spec();
  EXPECT_EQ(got.solvers, spec.solvers);
  EXPECT_EQ(got.steps, spec.steps);
  EXPECT_EQ(got.tolerances, spec.tolerances);
  EXPECT_EQ(got.n, spec.n);
  EXPECT_EQ(got.seed, spec.seed);
  EXPECT_EQ(got.reference, spec.reference);
  EXPECT_EQ(b.qualityMetric(), "energy");
  EXPECT_EQ(b.stripSolver(), "euler");
  EXPECT_EQ(b.stripPoints(), 777);
  EXPECT_FALSE(b.isRunChecked(b.runNames().front()));
}

TEST_F(NfePanelTest, ImageRunsSweepPerPixelMseWithFewerSamplesAndNoScatterStrip) {
  RunManager runs;
  AsyncQuery queries;
  const int images = runs.openRun(test::sharedRun(test::SharedRun::Images));
  ASSERT_GE(images, 0);
  NfePanel panel(&runs, &queries);
  SweepSpec spec = smallSpec();
  spec.solvers = {"euler", "midpoint"};
  spec.steps = {1, 2, 4, 8};
  spec.tolerances = {};
  spec.reference = "rk4:400";  // capped at the paper's 1000-NFE reference for images
  spec.n = 6;                  // (image runs take at most kImageSweepSamples)
  panel.setSpec(spec);
  int finished = 0;
  QObject::connect(&panel, &NfePanel::sweepFinished, [&] { ++finished; });
  panel.runSweep();
  ASSERT_TRUE(waitUntil([&] { return finished == 1; }, 120000));
  ASSERT_EQ(panel.results().size(), 1u);
  const SweepResult& r = panel.results()[0].second;
  EXPECT_EQ(r.referenceNfe, 1000);
  ASSERT_EQ(r.rows.size(), 8u);
  for (size_t i = 0; i < r.rows.size(); ++i) {
    const SweepRow& row = r.rows[i];
    ASSERT_TRUE(row.metrics.count("mse_per_pixel")) << i;
    EXPECT_NEAR(row.metrics.at("mse_per_pixel"), row.numericalError / 784.0, 1e-12 + 1e-9 * row.numericalError);
    if (i % 4 > 0) {
      EXPECT_LT(row.numericalError, r.rows[i - 1].numericalError) << row.solver << " " << row.steps;
    }
  }
  ASSERT_TRUE(waitUntil([&] { return !panel.isBusy(); }, 60000));
  EXPECT_TRUE(panel.scene().strip().empty());  // the 2D scatter strip skips image runs
}

TEST_F(NfePanelTest, AClassifierScoresImageSweepsAndItsFdIsTheDefaultQualityChart) {
  RunManager runs;
  AsyncQuery queries;
  const int images = runs.openRun(test::sharedRun(test::SharedRun::Images));
  ASSERT_GE(images, 0);
  NfePanel panel(&runs, &queries);
  auto* field = panel.findChild<QLineEdit*>("classifier");
  ASSERT_TRUE(field);
  test::TempFolder dir;
  const QString file = dir.file("clf.pt");
  field->setText(file);  // not written yet: the field says so, the sweep does not start
  EXPECT_TRUE(panel.fieldMessage("classifier").contains("no such file")) << panel.fieldMessage("classifier").toStdString();
  ClassifierJob job;
  job.epochs = 1;
  job.batchSize = 8;
  job.loaderThreads = 0;
  ASSERT_TRUE(trainClassifierFile(test::sharedRunConfig(test::SharedRun::Images).data, "", job, file.toStdString()).completed);
  field->setText(file);
  panel.findChild<NfeSweepForm*>()->validate();
  EXPECT_TRUE(panel.fieldMessage("classifier").isEmpty()) << panel.fieldMessage("classifier").toStdString();
  EXPECT_EQ(panel.spec().classifier, file.toStdString());

  SweepSpec spec = panel.spec();
  spec.solvers = {"euler"};
  spec.steps = {1, 2, 4};
  spec.tolerances = {};
  spec.reference = "rk4:8";
  spec.n = 8;
  panel.setSpec(spec);
  int finished = 0;
  QObject::connect(&panel, &NfePanel::sweepFinished, [&] { ++finished; });
  panel.runSweep();
  ASSERT_TRUE(waitUntil([&] { return finished == 1; }, 120000));
  ASSERT_EQ(panel.results().size(), 1u);
  EXPECT_EQ(panel.findChild<NfeSweepForm*>()->progressValue(), 3);  // "3 / 3 solves", not "1 / 1"
  for (const SweepRow& row : panel.results()[0].second.rows) {
    ASSERT_TRUE(row.metrics.count("classifier_fd")) << row.steps;
    EXPECT_GT(row.metrics.at("classifier_fd"), 0) << row.steps;
  }
  EXPECT_EQ(panel.qualityMetric(), "classifier_fd");
  const QString run = panel.results()[0].first;
  const QVector<QPointF> points = panel.plottedPoints(run, "euler", "quality");
  ASSERT_EQ(points.size(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(points[i].x(), 1 << i);  // NFE of Euler = steps
    EXPECT_DOUBLE_EQ(points[i].y(), panel.results()[0].second.rows[static_cast<size_t>(i)].metrics.at("classifier_fd"));
  }
  ASSERT_TRUE(waitUntil([&] { return !panel.isBusy(); }, 60000));
}
