// The density path view: histogram binning and normalization, interpolation at stored times, a
// trained run's p_1 on the checkerboard, overlay coloring, the QPainter path on offscreen, time
// linking, deferral while hidden (counted requests), session state (hostile values clamped) and
// export (text inside and apart at three sizes, the plot in colormap colors).

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QJsonDocument>
#include <QOpenGLWidget>

#include <cmath>
#include <memory>
#include <random>
#include <set>

#include "gui/services/AsyncQuery.h"
#include "gui/plot/AxisTicks.h"
#include "gui/plot/Colormap.h"
#include "gui/views/density/DensityScene.h"
#include "gui/views/density/DensityView.h"
#include "gui/plot/Exporter.h"
#include "ExportChecks.h"
#include "GuiTestSupport.h"
#include "gui/views/density/DensityPlot.h"
#include "gui/services/RunManager.h"
#include "gui/services/TimeController.h"
#include "core/api/FlowModel.h"
#include "core/api/Queries.h"

using namespace flowscope;
using namespace flowscope::gui;
using flowscope::test::SvgSummary;
using flowscope::test::summarizeSvg;
using flowscope::test::TempFolder;
using flowscope::test::waitUntil;

namespace {

/// Trajectories from explicit states: states[k] = particle positions at times[k], [N][2].
std::shared_ptr<const Trajectories> makeTrajectories(const std::vector<double>& times,
                                                     const std::vector<std::vector<float>>& states) {
  auto t = std::make_shared<Trajectories>();
  t->times = times;
  t->count = static_cast<int64_t>(states.front().size() / 2);
  for (const auto& s : states) t->xy.insert(t->xy.end(), s.begin(), s.end());
  t->complete = true;
  return t;
}

/// The checkerboard's black squares (core/data/Checkerboard.h): floor(x/2) + floor(y/2) even.
bool isBlack(double x, double y) {
  if (!(x >= -4 && x < 4 && y >= -4 && y < 4)) return false;
  return static_cast<long long>(std::floor(x / 2) + std::floor(y / 2)) % 2 == 0;
}

/// Fraction of the histogram mass inside the board that lies on black squares.
double blackFraction(const DensityScene& scene) {
  const std::vector<float>& d = scene.density();
  GridSpec g;
  g.bounds = scene.range();
  g.nx = g.ny = scene.resolution();
  double black = 0, all = 0;
  for (int j = 0; j < g.ny; ++j)
    for (int i = 0; i < g.nx; ++i) {
      const double v = d[static_cast<size_t>(j * g.nx + i)];
      all += v;
      if (isBlack(g.x(i), g.y(j))) black += v;
    }
  return all > 0 ? black / all : 0;
}

/// The fixture's tiny checkerboard run (trained once for the whole suite; read only).
QString trainedRun() { return test::sharedRun(test::SharedRun::Tiny); }

/// Views on one run with their own engine plumbing.
struct Fixture {
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
};

}  // namespace

TEST(AxisTicks, AreEvenlySpacedOneTwoFiveStepsAndNeverALoneLabel) {
  struct Case { double lo, hi; int target; };
  for (const Case c : {Case{-4.8, 4.8, 3}, Case{-4.8, 4.8, 8}, Case{0, 0.113, 2}, Case{-1, 1, 2},
                       Case{-30.5, 12, 5}, Case{0.001, 0.0013, 3}}) {
    const std::vector<double> t = niceTicks(c.lo, c.hi, c.target);
    ASSERT_GE(t.size(), 3u) << c.lo << " " << c.hi << " " << c.target;
    const double step = t[1] - t[0];
    const double m = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    EXPECT_TRUE(std::abs(m - 1) < 1e-6 || std::abs(m - 2) < 1e-6 || std::abs(m - 5) < 1e-6) << step;
    for (size_t i = 0; i < t.size(); ++i) {
      EXPECT_GE(t[i], c.lo - 1e-9);
      EXPECT_LE(t[i], c.hi + 1e-9);
      if (i > 0) {
        EXPECT_NEAR(t[i] - t[i - 1], step, 1e-9 * std::abs(step) + 1e-12);
      }
    }
    EXPECT_LE(t.size(), static_cast<size_t>(3 * c.target + 3)) << "not a crowd of labels either";
  }
  EXPECT_TRUE(niceTicks(1, 1, 3).empty());
}

TEST(AxisTicks, NeverMoreLabelsThanFit) {
  // A short plot (two comfortable labels, three that fit) once got six labels 11 px apart.
  for (double hi : {0.0113, 1.0, 2.9, 9.6, 2400.0, 5e5})
    for (int fits : {1, 2, 3, 4, 7}) {
      const std::vector<double> t = niceTicks(-0.37 * hi, hi, 2, fits);
      EXPECT_LE(static_cast<int>(t.size()), std::max(1, fits)) << hi << " fits " << fits;
      EXPECT_GE(t.size(), 1u) << hi << " fits " << fits;
    }
}

TEST(DensityScene, HistogramOfKnownPointsLandsInTheRightBinsAndIntegratesToOne) {
  // Range [0, 4] x [0, 2] in 4 x 4 bins: cells are 1 wide and 0.5 high.
  const std::vector<float> points{0.5f, 0.25f, 3.5f, 1.75f, 1.5f, 0.75f, 1.6f, 0.8f};
  DensityScene scene;
  scene.setTrajectories(makeTrajectories({0.0, 1.0}, {points, points}));
  scene.setRange({0, 4, 0, 2});
  scene.setResolution(4);
  scene.setTime(0.5);
  const std::vector<float>& d = scene.density();
  ASSERT_EQ(d.size(), 16u);
  const double cell = 1.0 * 0.5;
  // Row-major, y ascending: bin (i, j) at j * 4 + i; density = count / (N * cell area).
  EXPECT_FLOAT_EQ(d[0 * 4 + 0], 1.0f / (4 * cell));
  EXPECT_FLOAT_EQ(d[3 * 4 + 3], 1.0f / (4 * cell));
  EXPECT_FLOAT_EQ(d[1 * 4 + 1], 2.0f / (4 * cell));
  double integral = 0;
  for (float v : d) integral += v * cell;
  EXPECT_NEAR(integral, 1.0, 1e-6);
  EXPECT_NEAR(scene.frameMax(), 1.0, 1e-6);

  // A particle outside the range drops out but still counts in N.
  std::vector<float> more = points;
  more.insert(more.end(), {10.f, 10.f});
  scene.setTrajectories(makeTrajectories({0.0, 1.0}, {more, more}));
  integral = 0;
  for (float v : scene.density()) integral += v * cell;
  EXPECT_NEAR(integral, 0.8, 1e-6);

  // The field maps the maximum to the top of the colormap; the log scale keeps the order.
  EXPECT_FLOAT_EQ(*std::max_element(scene.field().begin(), scene.field().end()), 1.0f);
  scene.setLogScale(true);
  EXPECT_FLOAT_EQ(scene.field()[1 * 4 + 1], 1.0f);
  EXPECT_NEAR(scene.field()[0], 1.0 - std::log10(2.0) / DensityScene::kLogDecades, 1e-6);
  EXPECT_EQ(scene.field()[2], 0.0f);
  EXPECT_EQ(scene.image().size(), QSize(4, 4));
  EXPECT_EQ(scene.image().pixel(1, 2), scene.colormap().map(1.0));  // image rows go down
}

TEST(DensityScene, InterpolatedPositionsAtStoredTimesEqualTheStoredStates) {
  const std::vector<double> times{0.0, 0.1, 0.5, 0.7, 1.0};
  std::mt19937 rng(3);
  std::normal_distribution<float> normal;
  std::vector<std::vector<float>> states(times.size(), std::vector<float>(200));
  for (auto& s : states)
    for (float& v : s) v = normal(rng);
  const auto traj = makeTrajectories(times, states);
  DensityScene scene;
  scene.setTrajectories(traj);
  std::vector<float> out;
  for (size_t k = 0; k < times.size(); ++k) {
    scene.positionsAt(times[k], out);
    EXPECT_EQ(out, states[k]) << "at stored time " << times[k];
  }
  scene.positionsAt(0.3, out);  // halfway between 0.1 and 0.5
  for (size_t i = 0; i < out.size(); ++i) EXPECT_NEAR(out[i], 0.5f * (states[1][i] + states[2][i]), 1e-6);
  std::vector<float> reference;
  traj->positionsAt(0.63, reference);
  scene.positionsAt(0.63, out);
  for (size_t i = 0; i < out.size(); ++i) EXPECT_NEAR(out[i], reference[i], 1e-6);
  scene.positionsAt(-1.0, out);
  EXPECT_EQ(out, states.front());
  scene.positionsAt(2.0, out);
  EXPECT_EQ(out, states.back());

  // The histogram at a stored time bins exactly the stored states.
  scene.setRange({-3, 3, -3, 3});
  scene.setResolution(16);
  scene.setTime(0.5);
  DensityScene direct;
  direct.setTrajectories(makeTrajectories({0.0, 1.0}, {states[2], states[2]}));
  direct.setRange({-3, 3, -3, 3});
  direct.setResolution(16);
  direct.setTime(0.0);
  EXPECT_EQ(scene.density(), direct.density());
}

TEST(DensityScene, TrainedRunPutsMostMassOnTheBlackSquaresAtTOne) {
  // 64x3 at 1500 steps puts ~0.77 of the mass on black squares (32x2 at 300 steps ~0.50).
  const FlowModelPtr model = loadFlowModel(test::sharedRun(test::SharedRun::Checkerboard).toStdString());
  const Trajectories traj = computeTrajectories(*model, 20000, 7, 65, SolverSpec{"midpoint", 16});
  ASSERT_TRUE(traj.complete);
  DensityScene scene;
  scene.setTrajectories(std::make_shared<const Trajectories>(traj));
  scene.setRange({-4, 4, -4, 4});
  scene.setResolution(64);  // cells of 1/8: every cell lies in one square
  scene.setTime(0.0);
  const double atNoise = blackFraction(scene);
  scene.setTime(1.0);
  const double atData = blackFraction(scene);
  EXPECT_NEAR(atNoise, 0.5, 0.05);
  EXPECT_GT(atData, 0.6) << "t = 0: " << atNoise;
}

TEST(DensityScene, OverlayColorsBySpeedDifferFromColorsByStartPoint) {
  // Particles starting at different angles, accelerating along their paths.
  const std::vector<double> times{0.0, 0.25, 0.5, 0.75, 1.0};
  std::vector<std::vector<float>> states;
  for (double t : times) {
    std::vector<float> s;
    for (int i = 0; i < 12; ++i) {
      const double a = i * 0.5, r = 1 + 2 * t * t;
      s.push_back(static_cast<float>(r * std::cos(a)));
      s.push_back(static_cast<float>(r * std::sin(a)));
    }
    states.push_back(s);
  }
  DensityScene scene;
  scene.setTrajectories(makeTrajectories(times, states));
  scene.setOverlayCount(10);
  scene.setTime(0.5);
  ASSERT_EQ(scene.overlay().size(), 10u);
  std::vector<QRgb> byStart, bySpeed;
  std::set<QRgb> startHues;
  for (const OverlayPath& p : scene.overlay()) {
    EXPECT_EQ(std::set<QRgb>(p.colors.begin(), p.colors.end()).size(), 1u) << "one color per path";
    startHues.insert(p.colors.front());
    byStart.insert(byStart.end(), p.colors.begin(), p.colors.end());
    EXPECT_EQ(p.points.size(), times.size());
  }
  EXPECT_GT(startHues.size(), 5u);
  const uint64_t version = scene.overlayVersion();
  scene.setOverlayColoring(OverlayColoring::Speed);
  EXPECT_NE(scene.overlayVersion(), version);
  for (const OverlayPath& p : scene.overlay()) {
    EXPECT_NE(p.colors.front(), p.colors[p.colors.size() - 2]) << "speed changes along the path";
    bySpeed.insert(bySpeed.end(), p.colors.begin(), p.colors.end());
  }
  EXPECT_NE(byStart, bySpeed);
  EXPECT_GT(scene.overlaySpeedScale(), 0);
  // Heads follow t: at t = 0.5 the radius is 1.5.
  const OverlayPath& first = scene.overlay().front();
  EXPECT_NEAR(std::hypot(first.head.x(), first.head.y()), 1.5, 1e-5);
}

TEST(DensityView, OffscreenUsesThePainterPathAndShowsATrainedRun) {
  Fixture f;
  DensityView view(&f.runs, &f.time, &f.queries);
  EXPECT_EQ(view.particleCount(), 100000);
  EXPECT_EQ(view.solver(), "midpoint 16");
  EXPECT_EQ(view.resolution(), 256);
  EXPECT_EQ(view.overlayCount(), 200);
  view.setParticleCount(20000);
  view.resize(900, 720);
  view.show();
  const int id = f.runs.openRun(trainedRun());
  ASSERT_GT(id, 0);
  EXPECT_EQ(view.run(), id) << "follows the newest run";
  ASSERT_TRUE(waitUntil([&] { return !view.isBusy() && view.scene().hasData(); }, 60000));
  ASSERT_TRUE(waitUntil([&] { return view.lastModelToViewMs() >= 0; }, 5000));
  if (QGuiApplication::platformName() == "offscreen") {
    EXPECT_FALSE(view.usesOpenGl());
    EXPECT_EQ(view.findChild<QOpenGLWidget*>(), nullptr);
  }
  EXPECT_EQ(view.scene().trajectories()->count, 20000);
  EXPECT_EQ(view.scene().trajectories()->times.size(), static_cast<size_t>(DensityView::kStoredTimes));
  // Auto range: the checkerboard's [-4, 4] padded by 10%.
  EXPECT_NEAR(view.range().xmin, -4.8, 1e-9);
  EXPECT_NEAR(view.range().ymax, 4.8, 1e-9);

  f.time.setT(0.5);
  const QImage shot = view.canvasWidget()->grab().toImage();
  ASSERT_FALSE(shot.isNull());
  // The plot rectangle only, in the colormap's colors: a blank plot fails.
  EXPECT_GT(test::lutFraction(shot, view.plotRect(), view.scene().colormap().lut()), 0.5);
  const std::vector<double> frames = view.benchmarkScrub(5);
  EXPECT_EQ(frames.size(), 5u);
  for (double ms : frames) EXPECT_GT(ms, 0);
}

TEST(DensityView, KeepsTheOldPictureUntilTheFirstChunkOfANewSolveArrives) {
  Fixture f;
  f.runs.openRun(trainedRun());
  DensityView view(&f.runs, &f.time, &f.queries);
  view.setParticleCount(10000);
  view.show();  // hidden views defer their solves until shown
  ASSERT_TRUE(waitUntil([&] { return !view.isBusy() && view.scene().hasData(); }, 60000));
  const auto old = view.scene().trajectories();
  ASSERT_TRUE(old->complete);
  view.setParticleCount(32768);  // solved in chunks of 4096 (n / 16, at least 4096), posted at doubling counts
  EXPECT_TRUE(view.isBusy());
  EXPECT_EQ(view.scene().trajectories(), old) << "nothing new to show yet";
  std::set<int64_t> counts;
  ASSERT_TRUE(waitUntil([&] {
    counts.insert(view.scene().trajectories()->count);
    return !view.isBusy();
  }, 180000));  // a hang guard, not a speed test: a loaded 2-core machine took 65 s
  EXPECT_EQ(view.scene().trajectories()->count, 32768);
  EXPECT_TRUE(view.scene().trajectories()->complete);
  for (int64_t n : counts) EXPECT_TRUE(n == 10000 || n % 4096 == 0) << n;
  EXPECT_GE(counts.size(), 3u) << "partial pictures were shown while the solve ran";
}

TEST(DensityView, HiddenViewDefersItsSolveUntilShown) {
  Fixture f;
  DensityView view(&f.runs, &f.time, &f.queries);
  view.setParticleCount(2000);
  const quint64 before = f.queries.requestCount();
  f.runs.openRun(trainedRun());  // weights arrive: a visible view would submit its solve here
  view.setParticleCount(3000);   // so would a changed setting
  QCoreApplication::processEvents();
  EXPECT_EQ(f.queries.requestCount(), before) << "a hidden view must not spend CPU behind the user's back";
  EXPECT_FALSE(view.isBusy());
  EXPECT_FALSE(view.scene().hasData());
  view.show();
  EXPECT_EQ(f.queries.requestCount(), before + 1) << "shown, it catches up with one solve";
  ASSERT_TRUE(waitUntil([&] { return !view.isBusy() && view.scene().hasData(); }, 60000));
  EXPECT_EQ(view.scene().trajectories()->count, 3000);
}

TEST(DensityView, ExactDensityAtTZeroIsTheStandardGaussian) {
  Fixture f;
  f.runs.openRun(trainedRun());
  DensityView view(&f.runs, &f.time, &f.queries);
  view.setParticleCount(10000);
  view.viewTime()->setLinked(false);
  view.viewTime()->setT(0.0);
  view.setExactDensity(true);
  ASSERT_TRUE(waitUntil([&] { return !view.isBusy(); }, 120000));
  ASSERT_TRUE(view.scene().exactShown());
  const DensityGrid& g = *view.scene().exactDensity();
  EXPECT_EQ(g.grid.nx, 128);
  EXPECT_EQ(g.grid.bounds, view.range());
  // p_0 is the prior N(0, I) whatever the model learned.
  for (int j = 0; j < g.grid.ny; j += 17)
    for (int i = 0; i < g.grid.nx; i += 13) {
      const double x = g.grid.x(i), y = g.grid.y(j);
      EXPECT_NEAR(g.logp[static_cast<size_t>(j * g.grid.nx + i)], -std::log(2 * std::acos(-1.0)) - 0.5 * (x * x + y * y), 1e-3);
    }
  EXPECT_NE(view.exportCsv().indexOf("\nexact,"), -1);
  view.setExactDensity(false);
  EXPECT_FALSE(view.scene().exactShown());
}

TEST(DensityView, UnlinkedViewKeepsItsTimeWhenTheGlobalTimeMoves) {
  Fixture f;
  DensityView linked(&f.runs, &f.time, &f.queries);
  DensityView unlinked(&f.runs, &f.time, &f.queries);
  f.time.setT(0.4);
  EXPECT_DOUBLE_EQ(linked.t(), 0.4);
  EXPECT_DOUBLE_EQ(unlinked.t(), 0.4);
  unlinked.viewTime()->setLinked(false);
  f.time.setT(0.9);
  EXPECT_DOUBLE_EQ(linked.t(), 0.9);
  EXPECT_DOUBLE_EQ(linked.scene().time(), 0.9);
  EXPECT_DOUBLE_EQ(unlinked.t(), 0.4);
  EXPECT_DOUBLE_EQ(unlinked.scene().time(), 0.4);
  unlinked.viewTime()->setT(0.1);  // its own time only
  EXPECT_DOUBLE_EQ(f.time.t(), 0.9);
  EXPECT_DOUBLE_EQ(unlinked.scene().time(), 0.1);
  unlinked.viewTime()->setLinked(true);
  EXPECT_DOUBLE_EQ(unlinked.scene().time(), 0.9);
}

TEST(DensityView, SessionStateRoundTrips) {
  Fixture f;
  const int id = f.runs.openRun(trainedRun());
  DensityView a(&f.runs, &f.time, &f.queries);
  a.setRun(id);
  a.setParticleCount(10000);
  a.setSolver("rk4 16");
  a.setResolution(128);
  a.setColormap("magma");
  a.setLogScale(true);
  a.setCustomRange({-3, 2, -1, 4});
  a.setOverlayCount(50);
  a.setOverlayColoring(OverlayColoring::Speed);
  a.viewTime()->setLinked(false);
  a.viewTime()->setT(0.25);
  a.setColorMax(0.5);
  const QJsonObject state = a.saveState();
  EXPECT_EQ(a.stateKey(), "density");

  DensityView b(&f.runs, &f.time, &f.queries);
  b.restoreState(QJsonDocument::fromJson(QJsonDocument(state).toJson()).object());
  EXPECT_EQ(b.run(), id);
  EXPECT_EQ(b.particleCount(), 10000);
  EXPECT_EQ(b.solver(), "rk4 16");
  EXPECT_EQ(b.resolution(), 128);
  EXPECT_EQ(b.colormapName(), "magma");
  EXPECT_TRUE(b.logScale());
  EXPECT_FALSE(b.autoRange());
  EXPECT_EQ(b.range(), (ViewBounds{-3, 2, -1, 4}));
  EXPECT_EQ(b.overlayCount(), 50);
  EXPECT_EQ(b.overlayColoring(), OverlayColoring::Speed);
  EXPECT_FALSE(b.viewTime()->linked());
  EXPECT_DOUBLE_EQ(b.t(), 0.25);
  EXPECT_DOUBLE_EQ(b.scene().fixedColorMax(), 0.5);
  EXPECT_EQ(b.saveState(), state);
  // Back to auto keeps working after a restore.
  b.setAutoRange();
  EXPECT_NEAR(b.range().xmax, 4.8, 1e-9);
  ASSERT_TRUE(waitUntil([&] { return !a.isBusy() && !b.isBusy(); }, 60000));
}

TEST(DensityView, ExportAllWritesValidFiles) {
  Fixture f;
  f.runs.openRun(trainedRun());
  DensityView view(&f.runs, &f.time, &f.queries);
  view.setParticleCount(10000);
  view.setOverlayCount(50);
  view.setOverlayColoring(OverlayColoring::Speed);
  view.show();
  ASSERT_TRUE(waitUntil([&] { return !view.isBusy() && view.scene().hasData(); }, 60000));
  EXPECT_EQ(view.exportName(), "density-tiny");
  TempFolder tmp;
  ExportOptions o;
  o.size = QSize(700, 600);
  o.dpi = 96;
  const QStringList files = Exporter::exportAll(view, tmp.path(), o);
  ASSERT_EQ(files.size(), 4);

  QImage png(tmp.file("density-tiny.png"));
  ASSERT_FALSE(png.isNull());
  EXPECT_EQ(png.size(), QSize(700, 600));
  // Inside the plot rectangle, in the colormap's colors: a blank or misplaced heatmap fails.
  const QRectF plot = DensityPlot(QRectF(0, 0, 700, 600), view.scene(), {}, PlotStyle::forExport(view.font())).plot();
  EXPECT_GT(test::lutFraction(png, plot, Colormap().lut()), 0.6) << "the heatmap fills the plot";

  const SvgSummary svg = summarizeSvg(tmp.file("density-tiny.svg"));
  EXPECT_TRUE(svg.error.isEmpty()) << svg.error.toStdString();
  EXPECT_GE(svg.images, 1) << "heatmap as an image";
  EXPECT_GT(svg.vectors(), 10) << "overlay lines and axes as vectors";
  EXPECT_GT(svg.texts, 5);

  QFile pdf(tmp.file("density-tiny.pdf"));
  ASSERT_TRUE(pdf.open(QIODevice::ReadOnly));
  EXPECT_TRUE(pdf.read(5).startsWith("%PDF"));

  QFile csv(tmp.file("density-tiny.csv"));
  ASSERT_TRUE(csv.open(QIODevice::ReadOnly));
  const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
  EXPECT_EQ(lines.front(), "kind,x,y,density,log_density,trajectory,t");
  EXPECT_EQ(lines.filter(QRegularExpression("^histogram,")).size(), 256 * 256);
  EXPECT_EQ(lines.filter(QRegularExpression("^trajectory,")).size(), 50 * DensityView::kStoredTimes);
  EXPECT_EQ(lines.filter(QRegularExpression("^position,")).size(), 50);
  for (const QString& line : lines) ASSERT_EQ(line.count(','), 6) << line.toStdString();
}

TEST(DensityView, ExportedTextFitsAtThreeSizesAndTheHeatmapFillsThePlot) {
  Fixture f;
  f.runs.openRun(trainedRun());
  DensityView view(&f.runs, &f.time, &f.queries);
  view.setParticleCount(5000);
  view.setOverlayCount(50);
  view.setLogScale(true);  // the longest colorbar title
  view.show();
  ASSERT_TRUE(waitUntil([&] { return !view.isBusy() && view.scene().hasData(); }, 60000));
  for (const QSize size : test::kExportSizes) {
    EXPECT_TRUE(test::textFits(view, size, 10));
    const QImage png = test::renderAt(view, size);
    const QRectF plot = DensityPlot(QRectF(QPointF(0, 0), QSizeF(size)), view.scene(), {},
                                    PlotStyle::forExport(view.font())).plot();
    EXPECT_GT(test::lutFraction(png, plot, Colormap().lut()), 0.5) << size.width();
  }
}

TEST(DensityView, HostileSessionValuesAreClamped) {
  Fixture f;
  DensityView view(&f.runs, &f.time, &f.queries);  // hidden: nothing is computed
  view.restoreState(QJsonDocument::fromJson(R"({"particles": 1e12, "bins": 1e9, "overlay": 1e9,
      "colorMax": -3, "range": "custom", "xmin": -1e308, "xmax": 1e308, "ymin": "a", "ymax": 2,
      "linked": false, "t": 7})").object());
  EXPECT_EQ(view.particleCount(), DensityView::kMaxParticles);
  EXPECT_EQ(view.resolution(), 512);
  EXPECT_EQ(view.overlayCount(), 1000);
  EXPECT_EQ(view.scene().fixedColorMax(), 0.0);
  EXPECT_EQ(view.range(), (ViewBounds{-1000, 1000, -4.5, 2}));  // "a" keeps the default
  EXPECT_DOUBLE_EQ(view.t(), 1.0);
  for (const double n : {-5.0, 0.0}) {
    view.restoreState(QJsonObject{{"particles", n}, {"bins", n}, {"overlay", n}});
    EXPECT_EQ(view.particleCount(), 100) << n;
    EXPECT_EQ(view.resolution(), 8) << n;
    EXPECT_EQ(view.overlayCount(), 0) << n;
  }
}
