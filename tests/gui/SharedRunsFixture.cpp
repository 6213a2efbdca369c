// ctest's set-up for the widget tests (FIXTURES_SETUP gui_runs): trains the shared runs once into
// $FLOWSCOPE_TEST_RUNS, so each suite's process reads them instead of training its own.

#include <gtest/gtest.h>

#include <QDir>
#include <QFileInfo>

#include <cstdlib>

#include "GuiTestSupport.h"

using flowscope::test::SharedRun;

TEST(SharedRunsFixture, TrainsEveryRunIntoTheSharedFolder) {
  const char* dir = std::getenv("FLOWSCOPE_TEST_RUNS");
  if (!dir) GTEST_SKIP() << "FLOWSCOPE_TEST_RUNS is not set (ctest sets it)";
  for (SharedRun which : {SharedRun::Tiny, SharedRun::TinyVp, SharedRun::Checkerboard, SharedRun::Images, SharedRun::ImagesVp}) {
    const flowscope::ExperimentConfig c = flowscope::test::sharedRunConfig(which);
    const QString path = QDir(QString::fromLocal8Bit(dir)).filePath(QString::fromStdString(c.name));
    QDir(path).removeRecursively();  // a run from an older build may have another config
    flowscope::test::trainRun(c, path);
    EXPECT_TRUE(QFileInfo::exists(path + "/checkpoints/latest.pt")) << path.toStdString();
    EXPECT_EQ(flowscope::test::sharedRun(which), path);
  }
}
