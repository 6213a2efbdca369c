// The training monitor's widget-free pieces as numbers: the debiased EMA, min/max decimation,
// and the scene's curves and charts from hand-made records (no run folder, no widget).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <vector>

#include "gui/views/monitor/DebiasedEma.h"
#include "gui/views/monitor/DecimatedSeries.h"
#include "gui/views/monitor/MonitorScene.h"

using namespace flowscope;
using namespace flowscope::gui;

namespace {

std::vector<ProgressSnapshot> progress(int from, int to, const std::function<double(int)>& loss) {
  std::vector<ProgressSnapshot> out;
  for (int s = from; s <= to; ++s) {
    ProgressSnapshot p;
    p.step = s;
    p.loss = p.lossMean = loss(s);
    p.lr = 1e-3 / s;
    p.itPerSec = 100 + s % 5;
    out.push_back(p);
  }
  return out;
}

EvalSnapshot eval(int64_t step, std::map<std::string, double> values) { return {step, std::move(values)}; }

}  // namespace

TEST(DebiasedEma, MatchesHandComputedSequence) {
  // a = 0.5: s = 0.5, 1.25, 2.125; debiased by 1 - 0.5^k = 0.5, 0.75, 0.875.
  const std::vector<double> out = DebiasedEma::apply({1, 2, 3}, 0.5);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0], 1.0);
  EXPECT_NEAR(out[1], 1.25 / 0.75, 1e-15);
  EXPECT_NEAR(out[2], 2.125 / 0.875, 1e-15);
  // a = 0 is no smoothing.
  const std::vector<double> x{3.5, -1, 0, 1e-9, 42};
  EXPECT_EQ(DebiasedEma::apply(x, 0), x);
  // Non-finite inputs come back as NaN and do not disturb the average.
  const std::vector<double> gap = DebiasedEma::apply({1, NAN, 3}, 0.5);
  EXPECT_EQ(gap[0], 1.0);
  EXPECT_TRUE(std::isnan(gap[1]));
  EXPECT_NEAR(gap[2], 1.75 / 0.75, 1e-15);
  // a is clamped to 0.999: a = 1 would divide by zero.
  EXPECT_EQ(DebiasedEma(1.0).smoothing(), DebiasedEma::kMaxSmoothing);
  EXPECT_NEAR(DebiasedEma::apply({1, 2}, 1.0)[1], (0.999 * 0.001 + 0.001 * 2) / (1 - 0.999 * 0.999), 1e-12);
}

TEST(DebiasedEma, AConstantStaysThatConstantFromTheFirstPoint) {
  // Without the debiasing the first values would start near 0 (0.1 c, 0.19 c, ... at a = 0.9).
  for (double a : {0.5, 0.9, 0.99, 0.999})
    for (double c : {0.7310000001, -3.0, 1e-6}) {
      const std::vector<double> out = DebiasedEma::apply(std::vector<double>(500, c), a);
      EXPECT_EQ(out[0], c);
      for (double v : out) ASSERT_NEAR(v, c, 1e-12 * std::abs(c)) << "a " << a;
    }
  // A step from 0 to 1 approaches 1 with the EMA's time constant: 1 - a^k of the way after k.
  std::vector<double> step(20, 0.0);
  step.insert(step.end(), 200, 1.0);
  const std::vector<double> out = DebiasedEma::apply(step, 0.9);
  EXPECT_EQ(out[19], 0.0);
  EXPECT_GT(out[30], 0.5);
  EXPECT_LT(out[30], 0.8);
  EXPECT_NEAR(out.back(), 1.0, 1e-6);
}

TEST(DecimatedSeries, ShortSeriesAreDrawnWhole) {
  DecimatedSeries s(100);
  for (int i = 0; i < 50; ++i) s.append({double(i), std::sin(i * 0.3)});
  const QVector<QPointF> pts = s.points();
  ASSERT_EQ(pts.size(), 50);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(pts[i], QPointF(i, std::sin(i * 0.3)));
  EXPECT_EQ(s.bucketWidth(), 1);
}

TEST(DecimatedSeries, BoundedKeepsEveryBucketsExtremesAndTheNewestPoint) {
  const int maxPoints = 400;
  DecimatedSeries s(maxPoints);
  const int n = 100003;
  std::vector<double> y(n);
  for (int i = 0; i < n; ++i) y[static_cast<size_t>(i)] = 1.0 + 0.1 * std::sin(i * 0.01) + (i % 7) * 1e-3;
  y[31337] = 50;    // a one-record spike
  y[77777] = -20;   // and a dip
  for (int i = 0; i < n; ++i) s.append({double(i + 1), y[static_cast<size_t>(i)]});
  const QVector<QPointF> pts = s.points();
  EXPECT_LE(pts.size(), maxPoints + 2);
  EXPECT_GE(pts.size(), maxPoints / 2);
  EXPECT_EQ(pts.front().x(), 1);
  EXPECT_EQ(pts.back(), QPointF(n, y.back()));
  for (qsizetype i = 1; i < pts.size(); ++i) ASSERT_LT(pts[i - 1].x(), pts[i].x());
  double lo = 1e9, hi = -1e9;
  for (const QPointF& p : pts) lo = std::min(lo, p.y()), hi = std::max(hi, p.y());
  EXPECT_EQ(hi, 50);
  EXPECT_EQ(lo, -20);
  EXPECT_TRUE(pts.contains(QPointF(31338, 50)));
  // Each bucket of the final width holds its own min and max, and nothing else.
  const int64_t w = s.bucketWidth();
  ASSERT_GT(w, 1);
  for (int64_t b = 0; b * w < n - w; ++b) {
    const auto first = y.begin() + b * w, last = first + w;
    const double bmin = *std::min_element(first, last), bmax = *std::max_element(first, last);
    int found = 0;
    for (const QPointF& p : pts)
      if (p.x() > b * w && p.x() <= (b + 1) * w && p.x() != 1) {  // the first point is always kept
        EXPECT_TRUE(p.y() == bmin || p.y() == bmax) << "bucket " << b;
        ++found;
      }
    const bool firstIsExtreme = b == 0 && (y[0] == bmin || y[0] == bmax);
    ASSERT_EQ(found + (firstIsExtreme ? 1 : 0), bmin == bmax ? 1 : 2) << "bucket " << b;
  }
}

TEST(MonitorScene, RunsShareTheStepAxisAndTheMetricDefaultsToNfe) {
  const auto a = progress(1, 100, [](int s) { return 2.0 / s; });
  const auto b = progress(50, 400, [](int s) { return 1.0 + 1.0 / s; });
  const std::vector<EvalSnapshot> ea{eval(50, {{"nfe", 20}, {"sliced_w2", 0.5}}), eval(100, {{"nfe", 22}, {"sliced_w2", 0.3}})};
  const std::vector<EvalSnapshot> eb{eval(200, {{"energy", 0.1}})};
  MonitorScene scene;
  scene.update({{1, "a", Qt::red, &a, &ea}, {2, "b", Qt::blue, &b, &eb}});
  EXPECT_EQ(scene.metricKeys(), QStringList({"energy", "nfe", "sliced_w2"}));
  EXPECT_EQ(scene.settings().metric, "nfe");
  EXPECT_EQ(scene.points(1, MonitorCurve::Metric), QVector<QPointF>({{50, 20}, {100, 22}}));
  EXPECT_TRUE(scene.points(2, MonitorCurve::Metric).isEmpty());
  ASSERT_EQ(scene.points(2, MonitorCurve::Loss).size(), 351);

  const auto range = scene.stepRange();
  ASSERT_TRUE(range);
  EXPECT_LT(range->first, 1);
  EXPECT_GT(range->second, 400);
  for (int c = 0; c < kMonitorCharts; ++c) {
    const LineChart chart = scene.chart(static_cast<MonitorChart>(c));
    EXPECT_EQ(chart.xFit, range) << c;  // every chart spans the same steps
  }
  ASSERT_EQ(scene.legend().size(), 2u);  // one legend for all four charts
  EXPECT_EQ(scene.legend()[0].label, "a");
  EXPECT_EQ(scene.legend()[1].color, QColor(Qt::blue));
  const LineChart loss = scene.chart(MonitorChart::Loss);
  ASSERT_EQ(loss.series.size(), 4u);  // raw and smoothed per run
  EXPECT_EQ(loss.series[1].points, scene.points(1, MonitorCurve::LossSmoothed));
  EXPECT_LT(loss.series[0].color.alphaF(), 0.5);  // the raw curve is faint
  EXPECT_EQ(scene.chart(MonitorChart::Metric).title, "Evaluation: nfe");

  // An explicit choice sticks; the automatic one follows the keys again after an empty choice.
  const std::vector<RunHistory> runs{{1, "a", Qt::red, &a, &ea}, {2, "b", Qt::blue, &b, &eb}};
  scene.setMetric("energy", runs);
  EXPECT_EQ(scene.points(2, MonitorCurve::Metric), QVector<QPointF>({{200, 0.1}}));
  scene.update(runs);
  EXPECT_EQ(scene.settings().metric, "energy");
  scene.setMetric("", runs);
  EXPECT_EQ(scene.settings().metric, "nfe");
  // A run that is no longer listed is forgotten, and so are its keys.
  scene.update({runs[1]});
  EXPECT_FALSE(scene.hasRun(1));
  EXPECT_EQ(scene.metricKeys(), QStringList({"energy"}));
  EXPECT_EQ(scene.settings().metric, "energy");
}

TEST(MonitorScene, RecordsArrivingInBatchesGiveTheSameCurvesAsAllAtOnce) {
  const auto all = progress(1, 3000, [](int s) { return 1.0 + std::sin(s * 0.05) / s; });
  std::vector<ProgressSnapshot> growing;
  const std::vector<EvalSnapshot> none;
  MonitorScene live, once;
  for (size_t i = 0; i < all.size();) {
    const size_t n = std::min(all.size() - i, size_t(1 + i % 37));
    growing.insert(growing.end(), all.begin() + static_cast<long>(i), all.begin() + static_cast<long>(i + n));
    i += n;
    live.update({{7, "run", Qt::red, &growing, &none}});
  }
  once.update({{7, "run", Qt::red, &all, &none}});
  for (MonitorCurve c : {MonitorCurve::Loss, MonitorCurve::LossSmoothed, MonitorCurve::Lr, MonitorCurve::ItPerSec})
    EXPECT_EQ(live.points(7, c), once.points(7, c));
  std::vector<double> losses;
  for (const auto& p : all) losses.push_back(p.loss);
  EXPECT_EQ(live.points(7, MonitorCurve::LossSmoothed).back().y(), DebiasedEma::apply(losses, 0.9).back());
}

TEST(MonitorScene, LogScaleDropsNonPositiveValuesAndSmoothingRebuilds) {
  const auto rows = progress(1, 60, [](int s) { return s % 3 == 0 ? -0.5 * (s % 2) : 0.1 * s; });
  const std::vector<EvalSnapshot> none;
  const std::vector<RunHistory> runs{{1, "r", Qt::red, &rows, &none}};
  MonitorScene scene;
  scene.update(runs);
  ASSERT_EQ(scene.points(1, MonitorCurve::Loss).size(), 60);
  scene.setLogScale(MonitorChart::Loss, true, runs);
  EXPECT_EQ(scene.chart(MonitorChart::Loss).yScale, AxisScale::Log);
  EXPECT_EQ(scene.chart(MonitorChart::Lr).yScale, AxisScale::Linear);
  EXPECT_EQ(scene.points(1, MonitorCurve::Loss).size(), 40);
  for (const QPointF& p : scene.points(1, MonitorCurve::Loss)) EXPECT_GT(p.y(), 0);
  for (const QPointF& p : scene.points(1, MonitorCurve::LossSmoothed)) EXPECT_GT(p.y(), 0);
  scene.setLogScale(MonitorChart::Loss, false, runs);
  EXPECT_EQ(scene.points(1, MonitorCurve::Loss).size(), 60);

  std::vector<double> raw;
  for (const auto& p : rows) raw.push_back(p.loss);
  scene.setSmoothing(0.5, runs);
  std::vector<double> drawn;
  for (const QPointF& p : scene.points(1, MonitorCurve::LossSmoothed)) drawn.push_back(p.y());
  EXPECT_EQ(drawn, DebiasedEma::apply(raw, 0.5));
  scene.setSmoothing(7, runs);
  EXPECT_EQ(scene.settings().smoothing, DebiasedEma::kMaxSmoothing);
}

TEST(MonitorScene, AConstantLearningRateIsDrawnOnARangeOfItsOwnSize) {
  auto rows = progress(1, 50, [](int s) { return 1.0 / s; });
  for (auto& p : rows) p.lr = 1e-3;
  const std::vector<EvalSnapshot> none;
  MonitorScene scene;
  scene.update({{1, "r", Qt::red, &rows, &none}});
  const DataRange r = scene.chart(MonitorChart::Lr).fittedRange();
  EXPECT_LT(r.y0, 1e-3);
  EXPECT_GT(r.y1, 1e-3);
  EXPECT_GT(r.y0, 0.8e-3);  // not +-0.05 around a value of 0.001
  EXPECT_LT(r.y1, 1.2e-3);
}
