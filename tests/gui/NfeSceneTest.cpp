// The NFE panel's widget-free scene and its charts as numbers, from hand-made sweep results: which
// curves there are, their points, what a log axis leaves out, the metric choice, solver order and
// styles from the registry, the legend, and the strip's layout at several widths.

#include <gtest/gtest.h>

#include <QApplication>

#include <cmath>
#include <set>

#include "core/registry/Registries.h"
#include "gui/views/nfe/NfeChart.h"
#include "gui/views/nfe/NfeScene.h"
#include "gui/views/nfe/NfeStrip.h"

using namespace flowscope;
using namespace flowscope::gui;

namespace {

SweepRow row(const std::string& solver, int steps, int64_t nfe, double error, std::map<std::string, double> m = {}) {
  SweepRow r;
  r.solver = solver;
  r.steps = steps;
  r.nfe = nfe;
  r.numericalError = error;
  r.metrics = std::move(m);
  return r;
}

SweepResult result() {
  SweepResult r;
  r.referenceNfe = 4000;
  // Out of NFE order on purpose; one error of 0 (a log axis cannot draw it), one NaN metric.
  r.rows = {row("midpoint", 4, 8, 1e-4, {{"sliced_w2", 0.2}, {"energy", 0.03}}),
            row("midpoint", 1, 2, 1e-1, {{"sliced_w2", 0.9}, {"energy", 0.3}}),
            row("euler", 1, 1, 0.5, {{"sliced_w2", 1.1}, {"energy", NAN}}),
            row("euler", 2, 2, 0.0, {{"sliced_w2", 0.7}, {"energy", 0.2}}),
            row("dopri5", 0, 50, 1e-6, {{"sliced_w2", 0.1}, {"energy", 0.01}})};
  return r;
}

}  // namespace

TEST(NfeScene, SolversComeFromTheRegistry) {
  QStringList fixed, all;
  for (const Choice& c : solverRegistry().choices()) {
    all << QString::fromStdString(c.name);
    if (c.hasTag("fixed_step")) fixed << QString::fromStdString(c.name);
  }
  EXPECT_EQ(NfeScene::sweepSolvers(), fixed);
  EXPECT_EQ(NfeScene::solverOrder(), all);
  EXPECT_FALSE(NfeScene::sweepSolvers().contains("dopri5"));
  EXPECT_TRUE(NfeScene::isAdaptive("dopri5"));
  EXPECT_FALSE(NfeScene::isAdaptive("rk4"));
  // Every solver gets its own dash and marker.
  std::set<std::pair<int, int>> styles;
  for (const QString& s : all)
    styles.insert({static_cast<int>(NfeScene::styleFor(s).line), static_cast<int>(NfeScene::styleFor(s).marker)});
  EXPECT_EQ(styles.size(), static_cast<size_t>(all.size()));
}

TEST(NfeScene, CurvesAreSortedByNfeAndLeaveOutWhatTheAxesCannotShow) {
  NfeScene scene;
  scene.startSweep("rk4:100");
  scene.addResult("ot", Qt::red, result());
  scene.addResult("vp", Qt::blue, result());
  EXPECT_EQ(scene.colorOf("vp"), QColor(Qt::blue));
  EXPECT_EQ(scene.solversPresent(), QStringList({"euler", "midpoint", "dopri5"}));
  EXPECT_EQ(scene.points("ot", "midpoint", NfeScene::Chart::Error), QVector<QPointF>({{2, 1e-1}, {8, 1e-4}}));
  EXPECT_EQ(scene.points("ot", "euler", NfeScene::Chart::Error), QVector<QPointF>({{1, 0.5}}));  // 0 left out
  EXPECT_EQ(scene.points("vp", "dopri5", NfeScene::Chart::Error), QVector<QPointF>({{50, 1e-6}}));
  // Quality: sliced_w2 by default; zero is fine on its linear axis.
  EXPECT_EQ(scene.metric(), "sliced_w2");
  EXPECT_EQ(scene.points("ot", "euler", NfeScene::Chart::Quality), QVector<QPointF>({{1, 1.1}, {2, 0.7}}));
  scene.setMetric("energy");
  EXPECT_EQ(scene.points("ot", "euler", NfeScene::Chart::Quality), QVector<QPointF>({{2, 0.2}}));  // NaN left out
  scene.setMetric("no_such_metric");
  EXPECT_EQ(scene.metric(), "sliced_w2");  // a choice that is absent falls back
  EXPECT_EQ(scene.metricKeys(), QStringList({"energy", "sliced_w2"}));
  // Curves: run by run, in registry order.
  const auto curves = scene.curves(NfeScene::Chart::Error);
  ASSERT_EQ(curves.size(), 6u);
  EXPECT_EQ(curves[0].solver, "euler");
  EXPECT_EQ(curves[2].solver, "dopri5");
  EXPECT_EQ(curves[3].run, "vp");
  scene.startSweep("rk4:10");
  EXPECT_TRUE(scene.curves(NfeScene::Chart::Error).empty());
}

TEST(NfeChart, LogLogErrorChartAndLegendOfRunsThenSolvers) {
  NfeScene scene;
  scene.startSweep("dopri5:1e-7");
  scene.addResult("ot", Qt::red, result());
  const LineChart error = NfeChart::build(scene, NfeScene::Chart::Error, false);
  EXPECT_EQ(error.xScale, AxisScale::Log);
  EXPECT_EQ(error.xLogBase, 2);
  EXPECT_EQ(error.yScale, AxisScale::Log);
  EXPECT_TRUE(error.title.contains("dopri5:1e-7"));
  ASSERT_EQ(error.series.size(), 3u);
  EXPECT_EQ(error.series[1].line, NfeScene::styleFor("midpoint").line);
  EXPECT_EQ(error.series[1].marker, NfeScene::styleFor("midpoint").marker);
  // The fitted range holds every drawn point.
  const DataRange r = error.fittedRange();
  for (const LineSeries& s : error.series)
    for (const QPointF& p : s.points) {
      EXPECT_GT(p.x(), r.x0);
      EXPECT_LT(p.x(), r.x1);
      EXPECT_GT(p.y(), r.y0);
      EXPECT_LT(p.y(), r.y1);
    }
  EXPECT_EQ(NfeChart::build(scene, NfeScene::Chart::Quality, false).yScale, AxisScale::Linear);
  const auto legend = NfeChart::legend(scene, Qt::black);
  ASSERT_EQ(legend.size(), 4u);
  EXPECT_EQ(legend[0].label, "ot");
  EXPECT_EQ(legend[3].label, "dopri5 (tolerances)");
  // Empty: a placeholder that says what to do.
  NfeScene empty;
  EXPECT_TRUE(NfeChart::build(empty, NfeScene::Chart::Error, false).placeholder.contains("Run a sweep"));
  EXPECT_EQ(NfeChart::build(empty, NfeScene::Chart::Error, true).placeholder, "Sweeping...");
}

TEST(NfeStrip, CellsAreSquareInRowsAndTextStaysApart) {
  NfeScene scene;
  scene.startStrip("midpoint");
  for (const char* run : {"checkerboard-fm-ot", "a run with a rather long name indeed"}) {
    NfeStripRow r{run, Qt::red, ViewBounds{}, {}, {}};
    for (int nfe : NfeScene::stripNfes()) {
      r.sets.push_back({0.f, 0.f, 1.f, -1.f});
      r.nfes.push_back(nfe);
    }
    scene.addStripRow(r);
  }
  ASSERT_EQ(scene.stripSamples().size(), 2u);
  const NfeStrip strip(scene, false, PlotStyle::forExport(QApplication::font()));
  for (double width : {480.0, 1100.0, 2400.0}) {
    const QRectF rect(0, 0, width, strip.height(width));
    const auto cells = strip.cells(rect);
    ASSERT_EQ(cells.size(), 10u);
    for (const QRectF& c : cells) {
      EXPECT_DOUBLE_EQ(c.width(), c.height());
      EXPECT_TRUE(rect.contains(c));
    }
    EXPECT_GT(cells[5].top(), cells[0].bottom());  // the second run's row is below the first
    const auto texts = strip.textRects(rect);
    ASSERT_GE(texts.size(), 1u + 5u + 2u);
    for (size_t i = 0; i < texts.size(); ++i) {
      EXPECT_TRUE(rect.contains(texts[i])) << "text " << i << " at " << width;
      for (const QRectF& c : cells) EXPECT_FALSE(texts[i].intersects(c)) << "text " << i << " over a cell at " << width;
      for (size_t j = i + 1; j < texts.size(); ++j)
        EXPECT_FALSE(texts[i].intersects(texts[j])) << "texts " << i << ", " << j << " at " << width;
    }
  }
}
