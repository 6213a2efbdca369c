// Side by side and checkpoint x time: what the panels would draw, as numbers.

#include <gtest/gtest.h>

#include <QCheckBox>
#include <QComboBox>
#include <QJsonObject>

#include "gui/services/AsyncQuery.h"
#include "gui/views/compare/CheckpointScrubView.h"
#include "gui/views/density/DensityScene.h"
#include "gui/views/density/DensityView.h"
#include "GuiTestSupport.h"
#include "gui/services/RunManager.h"
#include "gui/views/compare/SideBySideView.h"
#include "gui/services/TimeController.h"
#include "core/api/Queries.h"

using namespace flowscope;
using namespace flowscope::gui;
using flowscope::test::TempFolder;
using flowscope::test::tinyExperiment;
using flowscope::test::waitUntil;

TEST(SideBySide, SameTimeNoiseAxesAndColorScale) {
  TempFolder tmp;
  ExperimentConfig ot = tinyExperiment(100), vp = tinyExperiment(100);
  ot.name = "ot";
  vp.name = "vp";
  vp.path.name = "vp";
  vp.data.name = "eight_gaussians";  // a different data range: the axes must still agree
  flowscope::test::trainRun(ot, tmp.file("ot"));
  flowscope::test::trainRun(vp, tmp.file("vp"));
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  SideBySideView view(&runs, &time, &queries);
  view.resize(1200, 700);
  view.show();
  const int a = runs.openRun(tmp.file("ot"));
  const int b = runs.openRun(tmp.file("vp"));
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
  TempFolder tmp;
  ExperimentConfig c = tinyExperiment(150);  // checkpoints every 50 steps
  flowscope::test::trainRun(c, tmp.file("run"));
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  CheckpointScrubView view(&runs, &time, &queries);
  view.setParticleCount(500);
  view.show();  // hidden views defer their solves until shown
  const int id = runs.openRun(tmp.file("run"));
  view.setRun(id);
  ASSERT_EQ(view.checkpointSteps(), (std::vector<int64_t>{50, 100, 150}));
  EXPECT_EQ(view.checkpointIndex(), 2);  // the newest
  time.setT(1.0);
  std::map<int, std::vector<float>> shown;
  for (int k : {0, 2}) {
    view.setCheckpointIndex(k);
    ASSERT_TRUE(waitUntil([&] {
      const auto& tr = view.scene().trajectories();
      const std::vector<int64_t> cached = view.cachedSteps();
      return tr && tr->complete && !view.isBusy() &&
             std::find(cached.begin(), cached.end(), view.checkpointSteps()[k]) != cached.end();
    }, 60000)) << k;
    view.scene().positionsAt(1.0, shown[k]);
    // Exactly the trajectories of that checkpoint from the view's noise.
    const FlowModelPtr model = loadFlowModel(tmp.file("run").toStdString(), std::to_string(view.checkpointSteps()[k]));
    const Trajectories direct = computeTrajectories(*model, 500, 0, 65, SolverSpec{}, 500);
    std::vector<float> expected;
    direct.positionsAt(1.0, expected);
    ASSERT_EQ(expected.size(), shown[k].size());
    for (size_t i = 0; i < expected.size(); ++i) ASSERT_NEAR(shown[k][i], expected[i], 1e-5) << k;
  }
  EXPECT_NE(shown[0], shown[2]);
}
