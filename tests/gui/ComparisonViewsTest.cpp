// Side by side and checkpoint x time: what the panels would draw, as numbers; their exports (text
// inside and apart at three sizes, run names quoted in CSV), hostile session values clamped with
// bounded exports, and a worker's error reported.

#include <gtest/gtest.h>

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include "gui/services/AsyncQuery.h"
#include "gui/views/compare/CheckpointScrubView.h"
#include "gui/views/density/DensityScene.h"
#include "gui/views/density/DensityView.h"
#include "ExportChecks.h"
#include "GuiTestSupport.h"
#include "gui/plot/Colormap.h"
#include "gui/plot/Exporter.h"
#include "gui/views/density/DensityPlot.h"
#include "gui/services/RunManager.h"
#include "gui/views/compare/SideBySideView.h"
#include "gui/services/TimeController.h"
#include "core/api/Queries.h"

using namespace flowscope;
using namespace flowscope::gui;
using flowscope::test::TempFolder;
using flowscope::test::tinyExperiment;
using flowscope::test::waitUntil;

namespace {
// The fixture's runs: FM-OT on the checkerboard, and VP on eight_gaussians (another data range:
// the shared axes must still agree).
QString otRun() { return flowscope::test::sharedRun(flowscope::test::SharedRun::Tiny); }
QString vpRun() { return flowscope::test::sharedRun(flowscope::test::SharedRun::TinyVp); }

/// A copy of `run` whose config names it `name` (run names come from the config).
QString renamedCopy(const QString& run, const TempFolder& tmp, const QString& name) {
  const QString to = tmp.file("renamed");
  flowscope::test::copyRun(run, to);
  QFile f(to + "/config.yaml");
  EXPECT_TRUE(f.open(QIODevice::ReadOnly));
  QString yaml = QString::fromUtf8(f.readAll());
  f.close();
  yaml.replace(QRegularExpression("^name: .*$", QRegularExpression::MultilineOption), "name: '" + name + "'");
  EXPECT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
  f.write(yaml.toUtf8());
  return to;
}

bool settled(const Exportable& view, int ms = 60000) { return waitUntil([&] { return !view.isBusy(); }, ms); }
}  // namespace

TEST(SideBySide, SameTimeNoiseAxesAndColorScale) {
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  SideBySideView view(&runs, &time, &queries);
  view.resize(1200, 700);
  view.show();
  const int a = runs.openRun(otRun());
  const int b = runs.openRun(vpRun());
  ASSERT_GE(b, 0);
  view.setRuns({a, b});
  for (int i = 0; i < 2; ++i) view.panel(i)->setParticleCount(10000);
  ASSERT_TRUE(waitUntil([&] {
    return !view.isBusy() && view.panel(0)->scene().hasData() && view.panel(1)->scene().hasData();
  }, 60000));
  view.synchronize();
  EXPECT_EQ(view.panel(0)->run(), a);
  EXPECT_EQ(view.panel(1)->run(), b);
  EXPECT_TRUE(view.panel(0)->range() == view.panel(1)->range());
  time.setT(0.5);
  view.synchronize();
  EXPECT_EQ(view.panel(0)->t(), 0.5);
  EXPECT_EQ(view.panel(1)->t(), 0.5);
  const double shared = view.sharedColorMax();
  EXPECT_NEAR(shared, std::max(view.panel(0)->scene().frameMax(), view.panel(1)->scene().frameMax()), 1e-9);
  EXPECT_EQ(view.panel(0)->scene().scale().vmax, shared);
  EXPECT_EQ(view.panel(1)->scene().scale().vmax, shared);
  // The same noise x0: at t = 0 the particles coincide (up to the VP prior's std 0.99998).
  std::vector<float> p0, p1;
  view.panel(0)->scene().positionsAt(0.0, p0);
  view.panel(1)->scene().positionsAt(0.0, p1);
  ASSERT_EQ(p0.size(), p1.size());
  double worst = 0;
  for (size_t i = 0; i < p0.size(); ++i) worst = std::max(worst, std::abs(static_cast<double>(p0[i] - p1[i])));
  EXPECT_LT(worst, 1e-3);
  // And different places at t = 1 (different models).
  view.panel(0)->scene().positionsAt(1.0, p0);
  view.panel(1)->scene().positionsAt(1.0, p1);
  EXPECT_GT(std::abs(p0[0] - p1[0]) + std::abs(p0[1] - p1[1]), 1e-3);
  // Session state names the runs per panel.
  const QJsonObject state = view.saveState();
  SideBySideView other(&runs, &time, &queries);
  other.restoreState(state);
  EXPECT_EQ(other.panel(0)->run(), a);
  EXPECT_EQ(other.panel(1)->run(), b);
}

TEST(SideBySide, OneSetOfControlsDrivesEveryPanel) {
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  SideBySideView view(&runs, &time, &queries);
  EXPECT_EQ(view.settings().overlays, 0) << "a clean density per run by default";
  EXPECT_EQ(view.settings().particles, view.panel(0)->particleCount());
  // Through the widgets, as a user would.
  auto* particles = view.findChild<QComboBox*>("sharedParticles");
  auto* colormap = view.findChild<QComboBox*>("sharedColormap");
  auto* log = view.findChild<QCheckBox*>("sharedLog");
  ASSERT_TRUE(particles && colormap && log);
  particles->setCurrentIndex(particles->findData(QVariant::fromValue<qlonglong>(10000)));
  Q_EMIT particles->activated(particles->currentIndex());
  colormap->setCurrentText("magma");
  Q_EMIT colormap->activated(colormap->currentIndex());
  log->setChecked(true);
  view.setPanelCount(3);  // a new panel takes the shared settings too
  for (int i = 0; i < view.panelCount(); ++i) {
    EXPECT_EQ(view.panel(i)->particleCount(), 10000) << i;
    EXPECT_EQ(view.panel(i)->colormapName(), "magma") << i;
    EXPECT_TRUE(view.panel(i)->logScale()) << i;
    EXPECT_EQ(view.panel(i)->overlayCount(), 0) << i;
  }
  SideBySideView::PanelSettings s = view.settings();
  s.resolution = 128;
  s.overlays = 50;
  s.solver = "rk4 16";
  view.setSettings(s);
  // A session restores them into a fresh view, panels and controls alike.
  SideBySideView other(&runs, &time, &queries);
  other.restoreState(view.saveState());
  EXPECT_EQ(other.panelCount(), 3);
  for (int i = 0; i < other.panelCount(); ++i) {
    EXPECT_EQ(other.panel(i)->resolution(), 128);
    EXPECT_EQ(other.panel(i)->overlayCount(), 50);
    EXPECT_EQ(other.panel(i)->solver(), "rk4 16");
    EXPECT_EQ(other.panel(i)->colormapName(), "magma");
    EXPECT_EQ(other.panel(i)->particleCount(), 10000);
  }
  EXPECT_EQ(other.findChild<QComboBox*>("sharedResolution")->currentData().toInt(), 128);
  EXPECT_TRUE(other.findChild<QCheckBox*>("sharedLog")->isChecked());
  // A hostile session cannot ask for a billion particles.
  QJsonObject huge = view.saveState();
  huge["particles"] = 1e12;
  other.restoreState(huge);
  EXPECT_EQ(other.panel(0)->particleCount(), DensityView::kMaxParticles);
}

TEST(CheckpointScrub, EachCheckpointShowsItsOwnTrajectories) {
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  CheckpointScrubView view(&runs, &time, &queries);
  view.setParticleCount(500);
  view.show();  // hidden views defer their solves until shown
  const int id = runs.openRun(otRun());  // 300 steps, checkpoints every 50
  view.setRun(id);
  ASSERT_EQ(view.checkpointSteps(), (std::vector<int64_t>{50, 100, 150, 200, 250, 300}));
  EXPECT_EQ(view.checkpointIndex(), 5);  // the newest
  time.setT(1.0);
  std::map<int, std::vector<float>> shown;
  for (int k : {0, 5}) {
    view.setCheckpointIndex(k);
    ASSERT_TRUE(waitUntil([&] {
      const auto& tr = view.scene().trajectories();
      const std::vector<int64_t> cached = view.cachedSteps();
      return tr && tr->complete && !view.isBusy() &&
             std::find(cached.begin(), cached.end(), view.checkpointSteps()[k]) != cached.end();
    }, 60000)) << k;
    view.scene().positionsAt(1.0, shown[k]);
    // Exactly the trajectories of that checkpoint from the view's noise.
    const FlowModelPtr model = loadFlowModel(otRun().toStdString(), std::to_string(view.checkpointSteps()[k]));
    const Trajectories direct = computeTrajectories(*model, 500, 0, 65, SolverSpec{}, 500);
    std::vector<float> expected;
    direct.positionsAt(1.0, expected);
    ASSERT_EQ(expected.size(), shown[k].size());
    for (size_t i = 0; i < expected.size(); ++i) ASSERT_NEAR(shown[k][i], expected[i], 1e-5) << k;
  }
  EXPECT_NE(shown[0], shown[5]);
}

TEST(SideBySide, ExportedTextFitsAtThreeSizesAndRunNamesAreQuotedInCsv) {
  TempFolder tmp;
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  SideBySideView view(&runs, &time, &queries);
  SideBySideView::PanelSettings s = view.settings();
  s.particles = 10000;
  view.setSettings(s);
  view.show();
  const int a = runs.openRun(renamedCopy(otRun(), tmp, "ot, \"fast\""));
  const int b = runs.openRun(vpRun());
  ASSERT_GE(a, 0);
  view.setRuns({a, b});
  ASSERT_TRUE(waitUntil([&] {
    return !view.isBusy() && view.panel(0)->scene().hasData() && view.panel(1)->scene().hasData();
  }, 60000));
  view.synchronize();
  for (const QSize size : flowscope::test::kExportSizes) {
    EXPECT_TRUE(flowscope::test::textFits(view, size, 20));  // two panels' worth
    flowscope::test::renderAt(view, size);
  }
  // The run name holds a comma and quotes: RFC 4180 quoting keeps every row at its columns.
  const QStringList rows = view.exportCsv().split('\n', Qt::SkipEmptyParts);
  ASSERT_GT(rows.size(), 2);
  EXPECT_EQ(rows[0], "panel,run,kind,x,y,density,log_density,trajectory,t");
  EXPECT_TRUE(rows[1].startsWith(R"(0,"ot, ""fast""",histogram,)")) << rows[1].toStdString();
  for (const QString& row : rows) {
    const QString unquoted = QString(row).replace(R"("ot, ""fast""")", "name");
    ASSERT_EQ(unquoted.count(','), 8) << row.toStdString();
  }
}

TEST(SideBySide, HostileSessionLoadsAndExportsInBoundedTimeAndSize) {
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  const int a = runs.openRun(otRun());
  const int b = runs.openRun(vpRun());
  SideBySideView view(&runs, &time, &queries);
  view.setRuns({a, b});
  // overlays 1e9 once made one export take 213 s and write 1.7 GB.
  view.restoreState(QJsonDocument::fromJson(R"({"panels": 1e9, "particles": 2000, "resolution": 1e9,
      "overlays": 1e9, "runs": ["tiny", "tiny-vp"]})").object());
  EXPECT_EQ(view.panelCount(), 4);
  EXPECT_EQ(view.settings().overlays, 1000);
  EXPECT_EQ(view.settings().resolution, 512);
  EXPECT_EQ(view.settings().particles, 2000);
  for (int i = 0; i < view.panelCount(); ++i) {
    EXPECT_EQ(view.panel(i)->overlayCount(), 1000);
    EXPECT_EQ(view.panel(i)->resolution(), 512);
  }
  QElapsedTimer clock;
  clock.start();
  view.refreshForExport();  // hidden: an export makes the panels compute
  ASSERT_TRUE(settled(view));
  TempFolder out;
  ExportOptions o;
  o.pdf = false;
  o.svg = false;
  ASSERT_EQ(Exporter::exportAll(view, out.path(), o).size(), 2);
  EXPECT_LT(clock.elapsed(), 60000);
  // At most 4 panels of 512^2 histogram cells and 1000 paths of 65 states: well under 100 MB.
  EXPECT_LT(QFileInfo(out.file("side-by-side.csv")).size(), 100LL << 20);
  EXPECT_TRUE(view.failure().isEmpty()) << view.failure().toStdString();
  view.restoreState(QJsonObject{{"panels", -5}, {"particles", -5}, {"overlays", -5}});
  EXPECT_EQ(view.panelCount(), 2);
  EXPECT_EQ(view.settings().particles, 100);
  EXPECT_EQ(view.settings().overlays, 0);
}

TEST(CheckpointScrub, ExportedTextFitsAtThreeSizesAndTheHeatmapFillsThePlot) {
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  CheckpointScrubView view(&runs, &time, &queries);
  view.setParticleCount(2000);
  view.show();
  view.setRun(runs.openRun(otRun()));
  ASSERT_TRUE(waitUntil([&] { return !view.isBusy() && view.scene().hasData(); }, 60000));
  for (const QSize size : flowscope::test::kExportSizes) {
    // The x-axis labels once were clipped at the bottom of this figure.
    EXPECT_TRUE(flowscope::test::textFits(view, size, 10));
    const QImage png = flowscope::test::renderAt(view, size);
    const QRectF plot = DensityPlot(QRectF(QPointF(0, 0), QSizeF(size)), view.scene(), {},
                                    PlotStyle::forExport(view.font())).plot();
    EXPECT_GT(flowscope::test::lutFraction(png, plot, Colormap().lut()), 0.5) << size.width();
  }
}

TEST(CheckpointScrub, HostileParticleCountsAreClampedAndExportStaysFast) {
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  CheckpointScrubView view(&runs, &time, &queries);  // hidden: restoring computes nothing
  const int id = runs.openRun(otRun());
  view.setRun(id);
  const QJsonObject saved = view.saveState();
  for (const auto& [given, expected] : std::vector<std::pair<double, int64_t>>{{1e12, 200000}, {-5, 100}, {0, 100}}) {
    QJsonObject s = saved;
    s["particles"] = given;
    s["checkpoint"] = 1e15;
    view.restoreState(s);
    EXPECT_EQ(view.particleCount(), expected) << given;
    EXPECT_EQ(view.checkpointIndex(), 5) << "the newest checkpoint at most";
  }
  // With the smallest count an export computes and finishes quickly, with no error.
  QElapsedTimer clock;
  clock.start();
  view.refreshForExport();
  ASSERT_TRUE(settled(view));
  EXPECT_TRUE(view.scene().hasData());
  EXPECT_TRUE(view.failure().isEmpty()) << view.failure().toStdString();
  EXPECT_EQ(view.scene().trajectories()->count, 100);
  EXPECT_LT(clock.elapsed(), 30000);
}

TEST(CheckpointScrub, AWorkerErrorIsShownAndReported) {
  TempFolder tmp;
  flowscope::test::copyRun(otRun(), tmp.file("run"));
  {
    QFile damaged(tmp.file("run/checkpoints/step_00000050.pt"));
    ASSERT_TRUE(damaged.open(QIODevice::WriteOnly | QIODevice::Truncate));
    damaged.write("not a checkpoint");
  }
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  CheckpointScrubView view(&runs, &time, &queries);
  view.setParticleCount(200);
  view.show();
  view.setRun(runs.openRun(tmp.file("run")));
  view.setCheckpointIndex(0);
  ASSERT_TRUE(waitUntil([&] { return !view.failure().isEmpty(); }, 60000)) << "the error was swallowed";
  EXPECT_TRUE(view.failure().contains("step 50")) << view.failure().toStdString();
  EXPECT_FALSE(view.isBusy());
  view.setCheckpointIndex(5);  // an intact checkpoint clears it
  ASSERT_TRUE(waitUntil([&] { return view.failure().isEmpty() && !view.isBusy(); }, 60000));
}
