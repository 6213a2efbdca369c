// RunManager: runs in the background through the torch-free API, with coalesced updates on the
// GUI thread; creating, starting, pausing, stopping, two runs at once, opening existing folders.

#include <gtest/gtest.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>

#include "GuiTestSupport.h"
#include "gui/services/RunManager.h"
#include "core/api/FlowModel.h"

using namespace flowscope;
using namespace flowscope::gui;
using flowscope::test::TempFolder;
using flowscope::test::tinyExperiment;
using flowscope::test::waitUntil;

TEST(RunManager, CreateStartPauseStepStop) {
  TempFolder tmp;
  RunManager runs;
  int progressSignals = 0;
  QObject::connect(&runs, &RunManager::progressUpdated, [&](int) { ++progressSignals; });
  const int id = runs.createRun(tinyExperiment(1000000), tmp.file("run"));
  ASSERT_TRUE(waitUntil([&] { return runs.run(id)->status.state == JobState::Paused; }));
  runs.start(id);
  ASSERT_TRUE(waitUntil([&] { return runs.run(id)->status.state == JobState::Running && runs.run(id)->status.step > 20; }));
  runs.pause(id);
  ASSERT_TRUE(waitUntil([&] { return runs.run(id)->status.state == JobState::Paused; }));
  const int64_t paused = runs.run(id)->status.step;
  runs.step(id, 3);
  ASSERT_TRUE(waitUntil([&] { return runs.run(id)->status.step == paused + 3 && runs.run(id)->status.state == JobState::Paused; }));
  runs.stop(id);
  ASSERT_TRUE(waitUntil([&] { return runs.run(id)->status.state == JobState::Stopped; }));
  EXPECT_EQ(runs.run(id)->status.lastCheckpointStep, paused + 3);
  EXPECT_GT(progressSignals, 0);
  EXPECT_FALSE(runs.run(id)->progress.empty());
  ASSERT_TRUE(runs.run(id)->weights);
  EXPECT_EQ(runs.run(id)->weights->step(), paused + 3);
  // The checkpoint loads from outside the app (the CLI does the same).
  EXPECT_EQ(loadFlowModel(tmp.file("run").toStdString())->step(), paused + 3);
}

// Stopping mid-step leaves a loadable checkpoint; the same folder resumes where it stopped.
TEST(RunManager, StopMidTrainingThenResumeInTheSameFolder) {
  TempFolder tmp;
  int64_t stoppedAt = 0;
  {
    RunManager runs;
    const int id = runs.createRun(tinyExperiment(1000000), tmp.file("run"));
    runs.start(id);
    ASSERT_TRUE(waitUntil([&] { return runs.run(id)->status.step > 30; }));
    runs.stop(id);
    ASSERT_TRUE(waitUntil([&] { return runs.run(id)->status.state == JobState::Stopped; }));
    stoppedAt = runs.run(id)->status.lastCheckpointStep;
  }
  RunManager runs;
  const int id = runs.createRun(tinyExperiment(1000000), tmp.file("run"));
  ASSERT_TRUE(waitUntil([&] { return runs.run(id)->status.state == JobState::Paused; }));
  EXPECT_EQ(runs.run(id)->status.step, stoppedAt);
  EXPECT_FALSE(runs.run(id)->progress.empty());  // history loaded from metrics.csv
}

TEST(RunManager, TwoRunsTrainAtOnce) {
  TempFolder tmp;
  RunManager runs;
  ExperimentConfig vp = tinyExperiment(300);
  vp.name = "vp";
  vp.path.name = "vp";
  const int a = runs.createRun(tinyExperiment(300), tmp.file("a"));
  const int b = runs.createRun(vp, tmp.file("b"));
  runs.start(a);
  runs.start(b);
  ASSERT_TRUE(waitUntil([&] {
    return runs.run(a)->status.state == JobState::Finished && runs.run(b)->status.state == JobState::Finished;
  }, 60000));
  EXPECT_EQ(runs.run(a)->status.step, 300);
  EXPECT_EQ(runs.run(b)->status.step, 300);
  EXPECT_NE(runs.run(a)->color, runs.run(b)->color);
  EXPECT_NE(runs.run(a)->name, runs.run(b)->name);
}

TEST(RunManager, OpenRunReadsHistoryAndWeights) {
  TempFolder tmp;
  ExperimentConfig c = tinyExperiment(100);
  c.evaluation.every = 50;
  c.evaluation.n_samples = 100;
  flowscope::test::trainRun(c, tmp.file("run"));
  RunManager runs;
  const int id = runs.openRun(tmp.file("run"));
  ASSERT_GE(id, 0);
  const RunRecord* r = runs.run(id);
  EXPECT_EQ(r->progress.size(), 10u);  // log_every 10
  EXPECT_EQ(r->progress.back().step, 100);
  ASSERT_EQ(r->evals.size(), 2u);
  EXPECT_EQ(r->evals[0].values.count("nfe"), 1u);
  ASSERT_TRUE(r->weights);
  EXPECT_EQ(r->status.state, JobState::Finished);
}

TEST(RunManager, BadFoldersAndFailuresAreReportedNotThrown) {
  TempFolder tmp;
  RunManager runs;
  QSignalSpy errors(&runs, &RunManager::errorOccurred);
  EXPECT_EQ(runs.openRun(tmp.file("nothing-here")), -1);
  ASSERT_EQ(errors.count(), 1);
  EXPECT_TRUE(errors.at(0).at(1).toString().contains("not a FlowScope run"));
  // A corrupt checkpoint: the run opens, marked failed, with the file named.
  flowscope::test::copyRun(flowscope::test::sharedRun(flowscope::test::SharedRun::Tiny), tmp.file("run"));
  QFile f(tmp.file("run/checkpoints/latest.pt"));
  ASSERT_TRUE(f.remove());
  ASSERT_TRUE(f.open(QIODevice::WriteOnly));
  f.write("garbage");
  f.close();
  const int id = runs.openRun(tmp.file("run"));
  ASSERT_GE(id, 0);
  EXPECT_EQ(runs.run(id)->status.state, JobState::Failed);
  EXPECT_TRUE(errors.last().at(1).toString().contains("latest.pt"));
  // A NaN loss stops the run with a message.
  ExperimentConfig bad = tinyExperiment(100);
  QFile huge(tmp.file("huge.csv"));  // targets of 1e30: the squared error overflows float32
  ASSERT_TRUE(huge.open(QIODevice::WriteOnly));
  huge.write("1e30,1e30\n-1e30,1e30\n1e30,-1e30\n");
  huge.close();
  bad.data.name = "points";
  bad.data.file = tmp.file("huge.csv").toStdString();
  const int nan = runs.createRun(bad, tmp.file("nan"));
  runs.start(nan);
  ASSERT_TRUE(waitUntil([&] { return runs.run(nan)->status.state == JobState::Failed; }));
  EXPECT_NE(runs.run(nan)->status.message.find("loss became"), std::string::npos);
}

TEST(RunManager, ImageRunsOpenWithTheirWeightsAndAreListedApartFromPointRuns) {
  RunManager runs;
  QSignalSpy errors(&runs, &RunManager::errorOccurred);
  const int points = runs.openRun(flowscope::test::sharedRun(flowscope::test::SharedRun::Tiny));
  const int images = runs.openRun(flowscope::test::sharedRun(flowscope::test::SharedRun::Images));
  ASSERT_GE(points, 0);
  ASSERT_GE(images, 0);
  EXPECT_EQ(errors.count(), 0);
  ASSERT_TRUE(runs.run(images)->weights);
  EXPECT_EQ(runs.run(images)->weights->step(), 30);
  EXPECT_EQ(runs.runIds(RunKind::Images), QList<int>{images});
  EXPECT_EQ(runs.runIds(RunKind::Points), QList<int>{points});
  EXPECT_EQ(runs.runIds().size(), 2);
  EXPECT_TRUE(runs.isKind(images, RunKind::Images));
  EXPECT_FALSE(runs.isKind(images, RunKind::Points));
  EXPECT_FALSE(runs.isKind(99, RunKind::Any));
}
