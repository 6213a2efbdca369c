// The main window offscreen: default experiment, runs driven through the actions, export of every
// panel, and a session round trip that restores the same runs and views.

#include <gtest/gtest.h>

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QSettings>

#include "gui/app/ExperimentForm.h"
#include "gui/plot/Exportable.h"
#include "GuiTestSupport.h"
#include "gui/app/LogPanel.h"
#include "gui/app/MainWindow.h"
#include "gui/services/RunManager.h"
#include "gui/views/ViewState.h"

using namespace flowscope;
using namespace flowscope::gui;
using flowscope::test::TempFolder;
using flowscope::test::tinyExperiment;
using flowscope::test::waitUntil;

namespace {

void trigger(MainWindow& w, const QString& name) {
  auto* a = w.findChild<QAction*>(name);
  ASSERT_NE(a, nullptr) << name.toStdString();
  a->trigger();
}

}  // namespace

TEST(MainWindow, OpensWithTheDefaultExperimentReadyToTrain) {
  MainWindow w;
  w.show();
  EXPECT_EQ(w.experimentForm()->config().name, "checkerboard-fm-ot");
  EXPECT_EQ(w.experimentForm()->config().path.name, "cond_ot");
  for (const char* name : {"action-start-resume", "action-pause", "action-single-step", "action-stop",
                           "action-create-run-from-experiment", "action-export-all-panels",
                           "action-open-session", "action-save-session-as", "action-dark-theme"})
    EXPECT_NE(w.findChild<QAction*>(name), nullptr) << name;
  EXPECT_FALSE(w.findChild<QAction*>("action-start-resume")->shortcut().isEmpty());
}

TEST(MainWindow, ActionsDriveTheSelectedRun) {
  TempFolder tmp;
  MainWindow w;
  w.runs()->setRunsRoot(tmp.path());
  const int id = w.createRun(tinyExperiment(1000000));
  ASSERT_GE(id, 0);
  EXPECT_TRUE(QFileInfo(w.runs()->run(id)->runDir).absolutePath().startsWith(tmp.path()));
  trigger(w, "action-start-resume");
  ASSERT_TRUE(waitUntil([&] { return w.runs()->run(id)->status.step > 10; }));
  trigger(w, "action-pause");
  ASSERT_TRUE(waitUntil([&] { return w.runs()->run(id)->status.state == JobState::Paused; }));
  const int64_t at = w.runs()->run(id)->status.step;
  trigger(w, "action-single-step");
  ASSERT_TRUE(waitUntil([&] { return w.runs()->run(id)->status.step == at + 1; }));
  trigger(w, "action-stop");
  ASSERT_TRUE(waitUntil([&] { return w.runs()->run(id)->status.state == JobState::Stopped; }));
  EXPECT_EQ(w.runs()->run(id)->status.lastCheckpointStep, at + 1);
}

TEST(MainWindow, InvalidExperimentIsRefusedWithAMessage) {
  MainWindow w;
  ExperimentConfig bad = tinyExperiment();
  bad.model.width = 0;
  EXPECT_EQ(w.createRun(bad), -1);
  EXPECT_EQ(w.log()->errorCount(), 1);
  EXPECT_TRUE(w.log()->toPlainText().contains("model.width"));
}

TEST(MainWindow, ExportAllWritesEveryPanelInEveryFormat) {
  TempFolder tmp;
  MainWindow w;
  w.show();
  ASSERT_GE(w.runs()->openRun(flowscope::test::sharedRun(flowscope::test::SharedRun::Tiny)), 0);
  ASSERT_TRUE(waitUntil([&] { return !w.anyPanelBusy(); }, 60000));
  const int written = w.exportAll(tmp.file("export"));
  const int panels = static_cast<int>(w.exportables().size());
  EXPECT_GE(panels, 1);
  EXPECT_EQ(written, 4 * panels);
  for (Exportable* e : w.exportables())
    for (const char* ext : {".png", ".svg", ".pdf", ".csv"})
      EXPECT_TRUE(QFileInfo::exists(QDir(tmp.file("export")).filePath(e->exportName() + ext)))
          << e->exportName().toStdString() << ext;
}

TEST(MainWindow, SessionRoundTripRestoresRunsAndViews) {
  TempFolder tmp;
  flowscope::test::copyRun(flowscope::test::sharedRun(flowscope::test::SharedRun::Tiny), tmp.file("runs/a"));
  flowscope::test::copyRun(flowscope::test::sharedRun(flowscope::test::SharedRun::TinyVp), tmp.file("runs/b"));
  QJsonObject savedViews;
  QList<QString> names, dirs;
  {
    MainWindow w;
    ASSERT_GE(w.runs()->openRun(tmp.file("runs/a")), 0);
    ASSERT_GE(w.runs()->openRun(tmp.file("runs/b")), 0);
    ExperimentConfig edited = w.experimentForm()->config();
    edited.model.width = 77;
    w.experimentForm()->setConfig(edited);
    // Change a setting in every view that keeps state, through its own restoreState.
    for (QWidget* view : w.findChildren<QWidget*>()) {
      auto* state = dynamic_cast<ViewState*>(view);
      if (!state) continue;
      QJsonObject s = state->saveState();
      if (s.contains("smoothing")) s["smoothing"] = 0.5;
      state->restoreState(s);
    }
    savedViews = w.viewStates();
    ASSERT_FALSE(savedViews.isEmpty());
    for (int id : w.runs()->runIds()) {
      names << w.runs()->run(id)->name;
      dirs << w.runs()->run(id)->runDir;
    }
    ASSERT_TRUE(w.saveSession(tmp.file("s.flowscope")));
  }
  MainWindow w;
  ASSERT_TRUE(w.loadSession(tmp.file("s.flowscope")));
  QList<QString> names2, dirs2;
  for (int id : w.runs()->runIds()) {
    names2 << w.runs()->run(id)->name;
    dirs2 << w.runs()->run(id)->runDir;
  }
  EXPECT_EQ(names2, names);
  EXPECT_EQ(dirs2, dirs);
  EXPECT_EQ(w.experimentForm()->config().model.width, 77);
  EXPECT_EQ(w.viewStates(), savedViews);
  EXPECT_EQ(w.viewStates().value("training-monitor").toObject().value("smoothing").toDouble(), 0.5);
  EXPECT_EQ(w.log()->errorCount(), 0) << w.log()->toPlainText().toStdString();
}
