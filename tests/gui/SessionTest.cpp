// Session files: round trip, relative run folders, and clear errors for malformed files.

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>

#include "GuiTestSupport.h"
#include "gui/app/Session.h"

using namespace flowscope::gui;
using flowscope::test::TempFolder;

namespace {

QString errorLoading(const TempFolder& tmp, const QByteArray& content) {
  QFile f(tmp.file("bad.flowscope"));
  f.open(QIODevice::WriteOnly);
  f.write(content);
  f.close();
  try {
    Session::load(tmp.file("bad.flowscope"));
  } catch (const std::exception& e) {
    return e.what();
  }
  return {};
}

}  // namespace

TEST(Session, RoundTripKeepsRunsExperimentTimeAndViews) {
  TempFolder tmp;
  SessionData d;
  d.runs.push_back({tmp.file("runs/a"), "a", QColor("#0072b2")});
  d.runs.push_back({"/elsewhere/b", "b (2)", QColor("#d55e00")});
  d.experimentYaml = "name: x\nmodel:\n  width: 64\n";
  d.time = 0.375;
  d.views["density"] = QJsonObject{{"particles", 100000}, {"colormap", "magma"}};
  Session::save(d, tmp.file("s.flowscope"));
  // Runs below the session folder are stored relative to it (the folder can move).
  QFile f(tmp.file("s.flowscope"));
  ASSERT_TRUE(f.open(QIODevice::ReadOnly));
  const QByteArray text = f.readAll();
  EXPECT_TRUE(text.contains("\"runs/a\""));
  EXPECT_TRUE(text.contains("\"/elsewhere/b\""));
  const SessionData back = Session::load(tmp.file("s.flowscope"));
  ASSERT_EQ(back.runs.size(), 2u);
  EXPECT_EQ(back.runs[0].runDir, QDir::cleanPath(tmp.file("runs/a")));
  EXPECT_EQ(back.runs[1].runDir, "/elsewhere/b");
  EXPECT_EQ(back.runs[1].name, "b (2)");
  EXPECT_EQ(back.runs[1].color, QColor("#d55e00"));
  EXPECT_EQ(back.experimentYaml, d.experimentYaml);
  EXPECT_EQ(back.time, 0.375);
  EXPECT_EQ(back.views, d.views);
}

TEST(Session, MalformedFilesGiveErrorsNamingTheFile) {
  TempFolder tmp;
  EXPECT_TRUE(errorLoading(tmp, "{not json").contains("bad.flowscope: not a valid session file"));
  EXPECT_TRUE(errorLoading(tmp, "[1, 2]").contains("JSON object"));
  EXPECT_TRUE(errorLoading(tmp, "{\"format\": \"other\"}").contains("not a FlowScope session"));
  EXPECT_TRUE(errorLoading(tmp, "{\"format\": \"flowscope-session\", \"version\": 99}").contains("unsupported session version 99"));
  EXPECT_TRUE(errorLoading(tmp, "{\"format\": \"flowscope-session\", \"version\": 1, \"runs\": [3]}").contains("runs[0]"));
  EXPECT_TRUE(errorLoading(tmp, "{\"format\": \"flowscope-session\", \"version\": 1, \"time\": 7}").contains("\"time\""));
  try {
    Session::load(tmp.file("missing.flowscope"));
    FAIL();
  } catch (const std::exception& e) {
    EXPECT_TRUE(QString(e.what()).contains("missing.flowscope"));
  }
  // Saving into a folder that does not exist fails without leaving a file behind.
  EXPECT_THROW(Session::save(SessionData{}, tmp.file("no/such/dir/s.flowscope")), std::exception);
}
