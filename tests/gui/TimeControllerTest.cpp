// The global time and view links; the background query runner's latest-request-wins contract.

#include <gtest/gtest.h>

#include <QSignalSpy>
#include <QThread>

#include <atomic>

#include "gui/services/AsyncQuery.h"
#include "GuiTestSupport.h"
#include "gui/services/TimeController.h"

using namespace flowscope::gui;
using flowscope::test::waitUntil;

TEST(TimeController, ClampsStepsAndPlays) {
  TimeController time;
  time.setT(1.7);
  EXPECT_EQ(time.t(), 1.0);
  time.setT(0.5);
  time.setStepSize(0.1);
  time.stepForward();
  EXPECT_NEAR(time.t(), 0.6, 1e-12);
  time.stepBackward();
  time.stepBackward();
  EXPECT_NEAR(time.t(), 0.4, 1e-12);
  QSignalSpy changes(&time, &TimeController::timeChanged);
  time.setSpeed(2.0);
  time.setLoop(false);
  time.play();
  ASSERT_TRUE(waitUntil([&] { return !time.playing(); }, 5000));  // 0.4 -> 1 at 2 units/s
  EXPECT_EQ(time.t(), 1.0);
  EXPECT_GT(changes.count(), 5);
}

TEST(ViewTime, LinkedViewsShowTheSameTimeUnlinkedOnesKeepTheirs) {
  TimeController global;
  ViewTime a(&global), b(&global);
  global.setT(0.3);
  EXPECT_EQ(a.t(), 0.3);
  EXPECT_EQ(b.t(), 0.3);
  b.setLinked(false);
  global.setT(0.8);
  EXPECT_EQ(a.t(), 0.8);
  EXPECT_EQ(b.t(), 0.3);  // keeps the picture it had
  b.setT(0.1);
  EXPECT_EQ(global.t(), 0.8);
  a.setT(0.2);  // a linked view drives the global time
  EXPECT_EQ(global.t(), 0.2);
  EXPECT_EQ(b.t(), 0.1);
  b.setLinked(true);
  EXPECT_EQ(b.t(), 0.2);
}

TEST(AsyncQuery, NewerRequestSupersedesOlderOne) {
  AsyncQuery queries;
  std::atomic<bool> firstStarted{false}, firstCancelled{false};
  int delivered = -1, deliveries = 0;
  queries.submit<int>(
      "k",
      [&](const std::atomic<bool>& cancel) {
        firstStarted = true;
        for (int i = 0; i < 2000 && !cancel; ++i) QThread::msleep(5);
        firstCancelled = cancel.load();
        return 1;
      },
      [&](int v) { delivered = v, ++deliveries; });
  // Supersede it while it runs (on a loaded machine the pool may start it late).
  ASSERT_TRUE(waitUntil([&] { return firstStarted.load(); }));
  queries.submit<int>("k", [](const std::atomic<bool>&) { return 2; }, [&](int v) { delivered = v, ++deliveries; });
  ASSERT_TRUE(waitUntil([&] { return !queries.busy(); }));
  EXPECT_TRUE(firstCancelled);
  EXPECT_EQ(delivered, 2);
  EXPECT_EQ(deliveries, 1);  // the superseded result never arrives
}

TEST(AsyncQuery, ErrorsAndPartialPostsReachTheGuiThread) {
  AsyncQuery queries;
  QString error;
  queries.submit<int>("e", [](const std::atomic<bool>&) -> int { throw std::runtime_error("boom"); },
                      [](int) {}, [&](const QString& e) { error = e; });
  std::vector<int> posts;
  bool done = false;
  std::vector<int>* out = &posts;
  queries.submitWithPosts(
      "p",
      [out](const std::atomic<bool>&, const AsyncQuery::Poster& post) {
        for (int i = 1; i <= 3; ++i) post([i, out] { out->push_back(i); });  // runs on the GUI thread
      },
      [&] { done = true; });
  ASSERT_TRUE(waitUntil([&] { return !queries.busy(); }));
  EXPECT_EQ(error, "boom");
  EXPECT_TRUE(done);
  EXPECT_EQ(posts, (std::vector<int>{1, 2, 3}));
}
