// The vector field view: what it would draw, checked against independent formulas. Conditional
// arrows equal eq. 21 on the cond_ot path, streamlines follow uniform and rotating fields, bilinear
// interpolation is exact for affine fields, the marginal of a one-point data set is its conditional
// field, the residual is learned minus marginal, clicking moves x1, time scrubbing coalesces, and
// session state and exports round-trip, exported text fits at three sizes, hostile session values
// are clamped and a worker's error is shown and reported.

#include <gtest/gtest.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonDocument>
#include <QMouseEvent>

#include <cmath>
#include <memory>
#include <set>
#include <vector>

#include "gui/services/AsyncQuery.h"
#include "gui/plot/Exporter.h"
#include "gui/views/field/FieldScene.h"
#include "ExportChecks.h"
#include "GuiTestSupport.h"
#include "gui/plot/Colormap.h"
#include "gui/views/field/FieldCanvas.h"
#include "gui/views/field/FieldPlot.h"
#include "gui/services/RunManager.h"
#include "gui/services/TimeController.h"
#include "gui/views/field/VectorFieldView.h"
#include "core/api/Queries.h"

using namespace flowscope;
using namespace flowscope::gui;
using flowscope::test::SvgSummary;
using flowscope::test::summarizeSvg;
using flowscope::test::TempFolder;
using flowscope::test::tinyExperiment;
using flowscope::test::waitUntil;

namespace {

/// A field sampled at the grid points of `g` from f(x, y).
template <typename F>
VectorGrid gridOf(const GridSpec& g, F f) {
  VectorGrid out;
  out.grid = g;
  for (int j = 0; j < g.ny; ++j)
    for (int i = 0; i < g.nx; ++i) {
      const QPointF v = f(g.x(i), g.y(j));
      out.uv.push_back(static_cast<float>(v.x()));
      out.uv.push_back(static_cast<float>(v.y()));
      out.maxNorm = std::max(out.maxNorm, std::hypot(v.x(), v.y()));
    }
  return out;
}

GridSpec squareGrid(int n, double half = 4.0) {
  GridSpec g;
  g.bounds = {-half, half, -half, half};
  g.nx = g.ny = n;
  return g;
}

/// eq. 21, the conditional OT field: u_t(x|x1) = (x1 - (1 - sigma_min) x) / (1 - (1 - sigma_min) t).
QPointF eq21(QPointF x, QPointF x1, double t, double sigmaMin) {
  const double k = 1 - sigmaMin;
  return (x1 - k * x) / (1 - k * t);
}

QPointF mid(const FieldArrow& a) { return 0.5 * (a.start + a.end); }

/// A session grid value is clamped into the offered sizes.
void restoreAndExpectGrid(VectorFieldView& view, double grid, int expected) {
  QJsonObject o = view.saveState();
  o["grid"] = grid;
  view.restoreState(o);
  EXPECT_EQ(view.gridSize(), expected) << grid;
}

/// Settles the view: no computation in flight or pending.
bool settle(const VectorFieldView& view) { return waitUntil([&] { return !view.isBusy(); }, 60000); }

/// The tests that need weights read the fixture's tiny run (trained once for the whole suite).
class VectorFieldViewTrained : public ::testing::Test {
 protected:
  static QString runDir() { return test::sharedRun(test::SharedRun::Tiny); }
};

/// Fraction of the canvas's plot rectangle painted in viridis (the magnitude colors).
double viridisInPlot(const VectorFieldView& view) {
  const QImage image = view.canvas()->grab().toImage();
  return test::lutFraction(image, view.canvas()->plotRect(), Colormap(Colormap::Kind::Viridis).lut());
}

/// Fraction of the canvas's plot rectangle drawn dark (lines in the text color on a light base).
double darkInPlot(const VectorFieldView& view) {
  const QImage image = view.canvas()->grab().toImage();
  const QRect r = view.canvas()->plotRect().toAlignedRect().adjusted(2, 2, -2, -2);
  long dark = 0, all = 0;
  for (int y = r.top(); y <= r.bottom(); ++y)
    for (int x = r.left(); x <= r.right(); ++x, ++all) dark += qGray(image.pixel(x, y)) < 128;
  return all ? static_cast<double>(dark) / static_cast<double>(all) : 0;
}

}  // namespace

// --- FieldScene: the data path --------------------------------------------------------------

TEST(FieldScene, BilinearInterpolationReproducesAnAffineFieldExactly) {
  auto f = [](double x, double y) { return QPointF(0.3 + 1.5 * x - 0.7 * y, -1.1 + 0.4 * x + 2.0 * y); };
  FieldScene scene;
  scene.setField(gridOf(squareGrid(17), f));
  // Everywhere in the range, including the half cells outside the outer grid points.
  for (double x = -4.0; x <= 4.0; x += 0.173)
    for (double y = -4.0; y <= 4.0; y += 0.219) {
      const QPointF got = scene.sample(x, y), want = f(x, y);
      ASSERT_NEAR(got.x(), want.x(), 2e-5) << x << ", " << y;
      ASSERT_NEAR(got.y(), want.y(), 2e-5) << x << ", " << y;
    }
}

TEST(FieldScene, ArrowsAreCenteredOnGridPointsAndScaledToTheGridSpacing) {
  auto f = [](double x, double y) { return QPointF(y, 0.5 * x + 1); };
  const GridSpec g = squareGrid(12);
  FieldScene scene;
  scene.setArrowScale(1.5);
  scene.setField(gridOf(g, f));
  ASSERT_EQ(scene.arrows().size(), 144u);
  const double spacing = 8.0 / 12;
  EXPECT_DOUBLE_EQ(scene.spacing(), spacing);
  double longest = 0;
  for (int j = 0; j < g.ny; ++j)
    for (int i = 0; i < g.nx; ++i) {
      const FieldArrow& a = scene.arrows()[static_cast<size_t>(j * g.nx + i)];
      const QPointF v = f(g.x(i), g.y(j));
      EXPECT_NEAR(mid(a).x(), g.x(i), 1e-9);
      EXPECT_NEAR(mid(a).y(), g.y(j), 1e-9);
      const QPointF d = a.end - a.start;
      const double k = 1.5 * spacing / scene.maxMagnitude();
      EXPECT_NEAR(d.x(), k * v.x(), 1e-5);
      EXPECT_NEAR(d.y(), k * v.y(), 1e-5);
      EXPECT_NEAR(a.magnitude, std::hypot(v.x(), v.y()), 1e-5);
      longest = std::max(longest, std::hypot(d.x(), d.y()));
    }
  EXPECT_NEAR(longest, 1.5 * spacing, 1e-9);  // the longest arrow spans `scale` cells
  // Colors follow the magnitude through the colormap's ends.
  EXPECT_EQ(scene.colorFor(scene.minMagnitude()), FieldScene::colormap(0));
  EXPECT_EQ(scene.colorFor(scene.maxMagnitude()), FieldScene::colormap(1));
  EXPECT_NE(FieldScene::colormap(0), FieldScene::colormap(1));
}

TEST(FieldScene, StreamlinesOfAUniformFieldAreStraightLinesAlongIt) {
  const QPointF dir(2.0, 1.0);
  const QPointF unit = dir / std::hypot(dir.x(), dir.y());
  FieldScene scene;
  scene.setField(gridOf(squareGrid(24), [&](double, double) { return dir; }));
  ASSERT_GE(scene.streamlines().size(), 8u);
  double total = 0;
  for (const Streamline& line : scene.streamlines()) {
    ASSERT_GE(line.size(), 2u);
    const QPointF p0 = line.front().p;
    for (size_t k = 1; k < line.size(); ++k) {
      const QPointF d = line[k].p - p0;
      EXPECT_NEAR(d.x() * unit.y() - d.y() * unit.x(), 0.0, 1e-6);  // on the line through p0
      const QPointF step = line[k].p - line[k - 1].p;
      EXPECT_GT(step.x() * unit.x() + step.y() * unit.y(), 0.0);  // in the flow's direction
      EXPECT_NEAR(line[k].magnitude, std::hypot(dir.x(), dir.y()), 1e-5);
      total += std::hypot(step.x(), step.y());
    }
  }
  EXPECT_GT(total, 50.0);  // the lines cover the 8 x 8 square, not a few stubs
}

TEST(FieldScene, StreamlinesOfARotationStayOnCircles) {
  FieldScene scene;
  scene.setField(gridOf(squareGrid(32), [](double x, double y) { return QPointF(-y, x); }));
  ASSERT_GE(scene.streamlines().size(), 5u);
  for (const Streamline& line : scene.streamlines()) {
    double rmin = 1e9, rmax = 0;
    for (const StreamVertex& v : line) {
      const double r = std::hypot(v.p.x(), v.p.y());
      rmin = std::min(rmin, r);
      rmax = std::max(rmax, r);
      EXPECT_NEAR(v.magnitude, r, 1e-4);  // |(-y, x)| = r
    }
    EXPECT_LE(rmax - rmin, 0.02 * rmin) << "a streamline starting at radius " << rmin;
    // Counter-clockwise, like the field.
    const QPointF a = line.front().p, b = line[1].p;
    EXPECT_GT(a.x() * b.y() - a.y() * b.x(), 0.0);
  }
}

TEST(FieldScene, ResidualIsTheElementwiseDifferenceAndTheCsvHasBothParts) {
  const GridSpec g = squareGrid(5);
  const VectorGrid a = gridOf(g, [](double x, double y) { return QPointF(x, y); });
  const VectorGrid b = gridOf(g, [](double x, double) { return QPointF(1, x); });
  FieldScene scene;
  scene.setResidual(a, b);
  ASSERT_TRUE(scene.isResidual());
  for (size_t k = 0; k < a.uv.size(); ++k) EXPECT_FLOAT_EQ(scene.field().uv[k], a.uv[k] - b.uv[k]);
  const QStringList rows = scene.csv().trimmed().split('\n');
  ASSERT_EQ(rows.size(), 26);
  EXPECT_EQ(rows[0], "x,y,u,v,magnitude,learned_u,learned_v,marginal_u,marginal_v");
  const QStringList first = rows[1].split(',');
  ASSERT_EQ(first.size(), 9);
  EXPECT_DOUBLE_EQ(first[0].toDouble(), g.x(0));
  EXPECT_NEAR(first[2].toDouble(), g.x(0) - 1, 1e-6);
  EXPECT_NEAR(first[5].toDouble(), g.x(0), 1e-6);
  EXPECT_NEAR(first[7].toDouble(), 1.0, 1e-6);
}

// --- VectorFieldView --------------------------------------------------------------------------

TEST(VectorFieldView, ConditionalArrowsOnCondOtAreEquation21) {
  TempFolder tmp;
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  ExperimentConfig config = tinyExperiment(10);
  config.path.sigma_min = 0.05;  // large enough that a wrong sigma_min shows
  const int id = runs.createRun(config, tmp.file("run"));
  VectorFieldView view(&runs, &time, &queries);
  view.setRun(id);
  view.setSource("conditional");
  view.setGridSize(16);
  view.viewTime()->setLinked(false);
  for (const double t : {0.5, 0.2, 0.9}) {
    view.viewTime()->setT(t);
    view.setConditionalPoint({0.7, -1.2});
    ASSERT_TRUE(settle(view));
    const FieldScene& s = view.scene();
    ASSERT_EQ(s.arrows().size(), 256u);
    EXPECT_EQ(s.field().grid.nx, 16);
    double largest = 0;
    for (const FieldArrow& a : s.arrows()) {
      const QPointF want = eq21(mid(a), {0.7, -1.2}, t, 0.05);
      const double tol = 1e-5 * (1 + std::hypot(want.x(), want.y()));
      EXPECT_NEAR(a.u, want.x(), tol);
      EXPECT_NEAR(a.v, want.y(), tol);
      largest = std::max(largest, std::hypot(want.x(), want.y()));
    }
    EXPECT_NEAR(s.maxMagnitude(), largest, 1e-4 * largest);
    EXPECT_TRUE(view.title().startsWith(QString("conditional u_t(x|x1) at t = %1").arg(t, 0, 'f', 2)))
        << view.title().toStdString();
  }
}

TEST(VectorFieldView, MarginalOfAOnePointDataSetIsItsConditionalField) {
  TempFolder tmp;
  writePoints(tmp.file("one.npy").toStdString(), {1.0f, 1.0f, 1.0f, 1.0f});  // q = delta at (1, 1)
  ExperimentConfig config = tinyExperiment(10);
  config.data.name = "points";
  config.data.file = tmp.file("one.npy").toStdString();
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  const int id = runs.createRun(config, tmp.file("run"));
  VectorFieldView view(&runs, &time, &queries);
  view.setRun(id);
  view.setSource("marginal");
  time.setT(0.4);
  ASSERT_TRUE(settle(view));
  ASSERT_TRUE(view.scene().hasField());
  EXPECT_FALSE(view.closedFormMarginal());
  const VectorGrid marginal = view.scene().field();
  const VectorGrid conditional = conditionalField(config.path, marginal.grid, 0.4, 1.0, 1.0);
  ASSERT_EQ(marginal.uv.size(), conditional.uv.size());
  for (size_t k = 0; k < marginal.uv.size(); ++k)
    EXPECT_NEAR(marginal.uv[k], conditional.uv[k], 1e-4 * (1 + std::abs(conditional.uv[k])));
  // The view's own conditional source at x1 = (1, 1) draws the same arrows.
  view.setSource("conditional");
  view.setConditionalPoint({1.0, 1.0});
  ASSERT_TRUE(settle(view));
  ASSERT_EQ(view.scene().arrows().size(), marginal.uv.size() / 2);
  for (size_t k = 0; k < marginal.uv.size() / 2; ++k) {
    EXPECT_NEAR(view.scene().arrows()[k].u, marginal.uv[2 * k], 1e-4 * (1 + std::abs(marginal.uv[2 * k])));
    EXPECT_NEAR(view.scene().arrows()[k].v, marginal.uv[2 * k + 1], 1e-4 * (1 + std::abs(marginal.uv[2 * k + 1])));
  }
}

TEST(VectorFieldView, GaussianDataUsesTheClosedFormMarginal) {
  TempFolder tmp;
  ExperimentConfig config = tinyExperiment(10);
  config.data.name = "gaussian";
  config.data.mean = {1.0, -0.5};
  config.data.covariance = {0.5, 0.1, 0.1, 0.3};
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  VectorFieldView view(&runs, &time, &queries);
  view.setRun(runs.createRun(config, tmp.file("run")));
  view.setSource("marginal");
  ASSERT_TRUE(settle(view));
  EXPECT_TRUE(view.closedFormMarginal());
  EXPECT_TRUE(view.title().startsWith("marginal u_t (closed form)")) << view.title().toStdString();
  const VectorGrid& shown = view.scene().field();
  const VectorGrid want = gaussianMarginalField(config.path, config.data.mean, config.data.covariance, shown.grid, time.t());
  ASSERT_EQ(shown.uv.size(), want.uv.size());
  for (size_t k = 0; k < want.uv.size(); ++k) EXPECT_FLOAT_EQ(shown.uv[k], want.uv[k]);
}

TEST(VectorFieldView, ClickingThePlotMovesX1AndTheArrows) {
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  VectorFieldView view(&runs, &time, &queries);  // no run: the default cond_ot path
  view.setSource(VectorFieldView::Source::Conditional);
  view.resize(820, 700);
  view.show();
  time.setT(0.5);
  ASSERT_TRUE(settle(view));
  EXPECT_EQ(view.conditionalPoint(), QPointF(1, 1));  // the default x1
  const std::vector<FieldArrow> before = view.scene().arrows();

  const QPointF target(-2.0, 1.5);
  const QPointF at = view.dataToPlot(target);
  QWidget* plot = view.plotWidget();
  QMouseEvent press(QEvent::MouseButtonPress, at, plot->mapToGlobal(at), Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
  QMouseEvent release(QEvent::MouseButtonRelease, at, plot->mapToGlobal(at), Qt::LeftButton, Qt::NoButton, Qt::NoModifier);
  QApplication::sendEvent(plot, &press);
  QApplication::sendEvent(plot, &release);
  const double pixel = 1.0 / (view.dataToPlot({1, 0}).x() - view.dataToPlot({0, 0}).x());
  EXPECT_NEAR(view.conditionalPoint().x(), target.x(), pixel);
  EXPECT_NEAR(view.conditionalPoint().y(), target.y(), pixel);
  ASSERT_TRUE(settle(view));
  const QPointF x1 = view.conditionalPoint();
  ASSERT_EQ(view.scene().arrows().size(), before.size());
  int changed = 0;
  for (size_t k = 0; k < before.size(); ++k) {
    const FieldArrow& a = view.scene().arrows()[k];
    const QPointF want = eq21(mid(a), x1, 0.5, PathConfig{}.sigma_min);
    EXPECT_NEAR(a.u, want.x(), 1e-4 * (1 + std::abs(want.x())));
    EXPECT_NEAR(a.v, want.y(), 1e-4 * (1 + std::abs(want.y())));
    if (std::abs(a.u - before[k].u) > 1e-3) ++changed;
  }
  EXPECT_EQ(changed, static_cast<int>(before.size()));  // u changes by 2 (x1 - x1') everywhere
  EXPECT_TRUE(view.title().contains("x1 = (-2.0")) << view.title().toStdString();
}

TEST(VectorFieldView, TimeScrubbingCoalescesAndEndsOnTheLatestTime) {
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  VectorFieldView view(&runs, &time, &queries);
  view.setSource("conditional");
  view.setGridSize(48);
  ASSERT_TRUE(settle(view));
  int updates = 0;
  QObject::connect(&view, &VectorFieldView::sceneUpdated, [&] { ++updates; });
  for (int k = 0; k <= 100; ++k) time.setT(k / 100.0 * 0.8);  // no event loop in between
  EXPECT_TRUE(view.isBusy());
  ASSERT_TRUE(settle(view));
  EXPECT_LE(updates, 2);  // the one in flight and the newest pending one, not 101
  EXPECT_TRUE(view.title().contains("t = 0.80")) << view.title().toStdString();
  const FieldArrow& a = view.scene().arrows().front();
  const QPointF want = eq21(mid(a), {1, 1}, 0.8, PathConfig{}.sigma_min);
  EXPECT_NEAR(a.u, want.x(), 1e-4 * (1 + std::abs(want.x())));
}

TEST_F(VectorFieldViewTrained, LearnedFieldIsTheModelsAndResidualIsLearnedMinusMarginal) {
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  const int id = runs.openRun(runDir());
  ASSERT_GE(id, 0);
  ASSERT_TRUE(runs.run(id)->weights);
  const FlowModel& model = *runs.run(id)->weights;
  VectorFieldView view(&runs, &time, &queries);
  EXPECT_EQ(view.run(), id);  // the only run is picked
  time.setT(0.3);
  ASSERT_TRUE(settle(view));
  ASSERT_EQ(view.source(), VectorFieldView::Source::Learned);
  const GridSpec grid = view.scene().field().grid;
  const VectorGrid learned = learnedField(model, grid, 0.3);
  for (size_t k = 0; k < learned.uv.size(); ++k) EXPECT_NEAR(view.scene().field().uv[k], learned.uv[k], 1e-5);
  EXPECT_TRUE(view.title().contains("step 300")) << view.title().toStdString();

  view.setSource("residual");
  ASSERT_TRUE(settle(view));
  ASSERT_TRUE(view.scene().isResidual());
  const ExperimentConfig& c = runs.run(id)->config;
  const VectorGrid marginal = marginalField(
      c.path, sampleData(c.data, VectorFieldView::kMarginalPoints, VectorFieldView::kMarginalSeed), grid, 0.3);
  const VectorGrid& shown = view.scene().field();
  ASSERT_EQ(shown.uv.size(), learned.uv.size());
  for (size_t k = 0; k < shown.uv.size(); ++k) {
    EXPECT_NEAR(shown.uv[k], learned.uv[k] - marginal.uv[k], 1e-4 * (1 + std::abs(marginal.uv[k])));
    EXPECT_FLOAT_EQ(shown.uv[k], view.scene().learnedPart().uv[k] - view.scene().marginalPart().uv[k]);
  }
  const QString csv = view.exportCsv();
  EXPECT_TRUE(csv.startsWith("x,y,u,v,magnitude,learned_u,learned_v,marginal_u,marginal_v\n"));
  EXPECT_EQ(csv.trimmed().split('\n').size(), grid.nx * grid.ny + 1);
}

TEST_F(VectorFieldViewTrained, ShownOffscreenInEveryModeWithoutCrashing) {
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  runs.openRun(runDir());
  VectorFieldView view(&runs, &time, &queries);
  view.resize(700, 620);
  view.show();
  using D = VectorFieldView::Display;
  for (const char* source : {"learned", "conditional", "marginal", "residual"}) {
    ASSERT_TRUE(view.setSource(QString(source)));
    for (int n : {16, 32}) {  // the coarsest grid in every display mode, a dense one with both
      view.setGridSize(n);
      ASSERT_TRUE(settle(view));
      for (auto d : n == 16 ? std::vector<D>{D::Arrows, D::Streamlines, D::Both} : std::vector<D>{D::Both}) {
        view.setDisplay(d);
        view.setColorByMagnitude(d != D::Streamlines);
        // Inside the plot rectangle only: the field in its colors (a blank plot has none).
        if (d == D::Streamlines) EXPECT_GT(darkInPlot(view), 0.003) << source << " " << n;
        else EXPECT_GT(viridisInPlot(view), 0.002) << source << " " << n;
      }
    }
  }
  EXPECT_FALSE(view.setSource("bogus"));
  runs.removeRun(view.run());  // the view falls back to no run and says so
  QApplication::processEvents();
  EXPECT_EQ(view.run(), -1);
  EXPECT_FALSE(view.scene().hasField());
  EXPECT_EQ(viridisInPlot(view), 0.0) << "no field, no field colors";
}

TEST_F(VectorFieldViewTrained, SessionStateRoundTrips) {
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  const int id = runs.openRun(runDir());
  VectorFieldView a(&runs, &time, &queries);
  a.setRun(id);
  a.setSource("conditional");
  a.setGridSize(32);
  a.setDisplay(VectorFieldView::Display::Arrows);
  a.setArrowScale(1.7);
  a.setColorByMagnitude(false);
  a.viewTime()->setLinked(false);
  a.viewTime()->setT(0.3);
  a.setConditionalPoint({0.5, -2.0});
  const QJsonObject saved = a.saveState();
  EXPECT_EQ(a.stateKey(), "vector-field");

  VectorFieldView b(&runs, &time, &queries);
  // Through JSON text, as the session file stores it.
  b.restoreState(QJsonDocument::fromJson(QJsonDocument(saved).toJson()).object());
  EXPECT_EQ(b.saveState(), saved);
  EXPECT_EQ(b.run(), id);
  EXPECT_EQ(b.source(), VectorFieldView::Source::Conditional);
  EXPECT_EQ(b.gridSize(), 32);
  EXPECT_EQ(b.display(), VectorFieldView::Display::Arrows);
  EXPECT_DOUBLE_EQ(b.arrowScale(), 1.7);
  EXPECT_FALSE(b.colorByMagnitude());
  EXPECT_FALSE(b.viewTime()->linked());
  EXPECT_DOUBLE_EQ(b.viewTime()->t(), 0.3);
  EXPECT_EQ(b.conditionalPoint(), QPointF(0.5, -2.0));
  ASSERT_TRUE(settle(b));
  EXPECT_EQ(b.scene().field().grid.nx, 32);
  EXPECT_TRUE(b.title().contains("t = 0.30"));

  // A run that is not open yet is picked when it appears.
  RunManager later;
  VectorFieldView c(&later, &time, &queries);
  c.restoreState(saved);
  EXPECT_EQ(c.run(), -1);
  const int reopened = later.openRun(runDir());
  EXPECT_EQ(c.run(), reopened);
  ASSERT_TRUE(settle(c));
  ASSERT_TRUE(settle(a));
}

TEST_F(VectorFieldViewTrained, ExportWritesVectorSvgAndTheGridAsCsv) {
  TempFolder out;
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  runs.openRun(runDir());
  VectorFieldView view(&runs, &time, &queries);
  view.setGridSize(16);
  ASSERT_TRUE(settle(view));
  EXPECT_EQ(view.exportName(), "field-learned-tiny");
  ExportOptions o;
  o.pdf = false;
  o.png = false;
  const QStringList files = Exporter::exportAll(view, out.path(), o);
  ASSERT_EQ(files.size(), 2);

  const SvgSummary svg = summarizeSvg(out.file("field-learned-tiny.svg"));
  EXPECT_TRUE(svg.error.isEmpty()) << svg.error.toStdString();
  EXPECT_GT(svg.paths, 200);  // arrows and streamlines stay vector paths
  EXPECT_GT(svg.texts, 5);    // title and tick labels stay text

  QFile csv(out.file("field-learned-tiny.csv"));
  ASSERT_TRUE(csv.open(QIODevice::ReadOnly));
  const QStringList rows = QString::fromUtf8(csv.readAll()).trimmed().split('\n');
  EXPECT_EQ(rows[0], "x,y,u,v,magnitude");
  ASSERT_EQ(rows.size(), 16 * 16 + 1);
  const QStringList r = rows[1].split(',');
  ASSERT_EQ(r.size(), 5);
  EXPECT_NEAR(r[4].toDouble(), std::hypot(r[2].toDouble(), r[3].toDouble()), 1e-5);
}

TEST_F(VectorFieldViewTrained, ExportedTextFitsAtThreeSizesAndThePlotShowsTheField) {
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  runs.openRun(runDir());
  VectorFieldView view(&runs, &time, &queries);
  view.setSource("residual");  // the longest title
  ASSERT_TRUE(settle(view));
  ASSERT_TRUE(view.scene().hasField());
  for (const QSize size : test::kExportSizes) {
    EXPECT_TRUE(test::textFits(view, size, 8));
    const QImage png = test::renderAt(view, size);
    const QRectF plot = FieldPlot(QRectF(QPointF(0, 0), QSizeF(size)), view.scene(), view.look(false),
                                  PlotStyle::forExport(view.font())).plot();
    EXPECT_GT(test::lutFraction(png, plot, Colormap(Colormap::Kind::Viridis).lut()), 0.002) << size.width();
  }
}

TEST(VectorFieldView, HostileSessionValuesAreClampedAndExportStaysSmall) {
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  VectorFieldView view(&runs, &time, &queries);
  const QJsonObject hostile = QJsonDocument::fromJson(R"({"source": "conditional", "grid": 1e9,
      "arrowScale": 1e300, "x1": [1e308, "x"], "linked": false, "t": -5})").object();
  view.restoreState(hostile);
  EXPECT_EQ(view.gridSize(), 48);
  EXPECT_DOUBLE_EQ(view.arrowScale(), 3.0);
  EXPECT_EQ(view.conditionalPoint(), QPointF(1000, 1));  // clamped; a non-number keeps the old value
  EXPECT_DOUBLE_EQ(view.viewTime()->t(), 0.0);
  QElapsedTimer clock;
  clock.start();
  ASSERT_TRUE(settle(view));
  TempFolder out;
  ExportOptions o;
  o.pdf = false;
  ASSERT_EQ(Exporter::exportAll(view, out.path(), o).size(), 3);
  EXPECT_LT(clock.elapsed(), 20000);
  EXPECT_LT(QFileInfo(out.file(view.exportName() + ".csv")).size(), 1 << 20);
  EXPECT_EQ(view.exportCsv().trimmed().split('\n').size(), 48 * 48 + 1);
  restoreAndExpectGrid(view, 0, 16);
  restoreAndExpectGrid(view, -5, 16);
}

TEST(VectorFieldView, AWorkerErrorIsShownAndReported) {
  TempFolder tmp;
  ExperimentConfig config = tinyExperiment(10);
  config.data.name = "points";
  config.data.file = tmp.file("missing.npy").toStdString();  // the marginal needs its points
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  VectorFieldView view(&runs, &time, &queries);
  view.setRun(runs.createRun(config, tmp.file("run")));
  view.setSource("marginal");
  ASSERT_TRUE(settle(view));
  EXPECT_FALSE(view.failure().isEmpty()) << "the error reaches exports and scripted runs";
  EXPECT_TRUE(view.failure().contains("missing.npy")) << view.failure().toStdString();
  EXPECT_EQ(view.look(true).message, view.failure()) << "and the plot shows it";
  view.setRun(-1);  // the conditional field of the default path needs no data: the error clears
  view.setSource("conditional");
  ASSERT_TRUE(settle(view));
  EXPECT_TRUE(view.failure().isEmpty());
}
