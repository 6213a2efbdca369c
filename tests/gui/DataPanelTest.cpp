// The data panel: dataset preview, drawing with brush, points and eraser, and the data section
// it hands to the experiment (drawn points saved as .npy and read back by the engine).

#include <gtest/gtest.h>

#include <QMouseEvent>
#include <QTest>

#include <cmath>

#include "gui/views/data/DataPanel.h"
#include "GuiTestSupport.h"
#include "core/io/Npy.h"

using namespace flowscope;
using namespace flowscope::gui;
using flowscope::test::TempFolder;

TEST(DataPanel, PreviewFollowsTheDataset) {
  DataPanel panel;
  panel.setDataset("checkerboard");
  ASSERT_EQ(panel.previewPoints().size(), 2000u);
  for (const QPointF& p : panel.previewPoints())
    ASSERT_EQ((static_cast<int>(std::floor(p.x() / 2)) + static_cast<int>(std::floor(p.y() / 2))) % 2 == 0, true);
  panel.setDataset("eight_gaussians", 0.01);
  double meanRadius = 0;
  for (const QPointF& p : panel.previewPoints()) meanRadius += std::hypot(p.x(), p.y()) / 2000;
  EXPECT_NEAR(meanRadius, 4 / std::sqrt(2.0), 0.05);
  EXPECT_FALSE(panel.drawing());
  EXPECT_EQ(panel.dataConfig("/unused").name, "eight_gaussians");
  EXPECT_EQ(*panel.dataConfig("/unused").noise, 0.01);
}

TEST(DataPanel, BrushPointAndEraser) {
  DataPanel panel;
  panel.setBrush(0.5, 20);
  panel.setTool(DataPanel::Tool::Brush);
  panel.strokeAt({1, 1});
  ASSERT_EQ(panel.drawnPoints().size(), 20u);
  for (const QPointF& p : panel.drawnPoints()) EXPECT_LE(std::hypot(p.x() - 1, p.y() - 1), 0.5 + 1e-9);
  panel.setTool(DataPanel::Tool::Point);
  panel.strokeAt({-3, 2});
  EXPECT_EQ(panel.drawnPoints().size(), 21u);
  panel.setTool(DataPanel::Tool::Eraser);
  panel.strokeAt({1, 1});  // removes the sprayed disc, keeps the single point
  ASSERT_EQ(panel.drawnPoints().size(), 1u);
  EXPECT_EQ(panel.drawnPoints()[0], QPointF(-3, 2));
}

TEST(DataPanel, MouseStrokesDrawInDataCoordinates) {
  DataPanel panel;
  panel.resize(500, 500);
  panel.show();
  panel.setTool(DataPanel::Tool::Point);
  auto* canvas = panel.findChild<QWidget*>("dataCanvas");
  ASSERT_NE(canvas, nullptr);
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
  ASSERT_GE(canvas->width(), 360) << canvas->width();
  const QPoint c = canvas->rect().center();
  QTest::mouseClick(canvas, Qt::LeftButton, {}, c);
  QTest::mouseClick(canvas, Qt::LeftButton, {}, c + QPoint(100, 0));
  QTest::mouseClick(canvas, Qt::LeftButton, {}, c + QPoint(0, 100));
  ASSERT_EQ(panel.drawnPoints().size(), 3u);
  const auto& p = panel.drawnPoints();
  EXPECT_NEAR(p[0].y(), 0, 0.05);  // the canvas is centred vertically on y = 0
  // Right is +x, down is -y, with the same scale on both axes.
  const double scale = p[1].x() - p[0].x();
  EXPECT_GT(scale, 0.5);
  EXPECT_NEAR(p[1].y(), p[0].y(), 1e-9);
  EXPECT_NEAR(p[2].x(), p[0].x(), 1e-9);
  EXPECT_NEAR(p[0].y() - p[2].y(), scale, 1e-9);
}

TEST(DataPanel, DrawnPointsBecomeAPointsDatasetTheEngineReads) {
  TempFolder tmp;
  DataPanel panel;
  panel.setTool(DataPanel::Tool::Point);
  for (int i = 0; i < 5; ++i) panel.strokeAt({i * 0.5, -i * 0.25});
  const DataConfig d = panel.dataConfig(tmp.path());
  EXPECT_EQ(d.name, "points");
  const NpyArray a = readNpy(d.file);
  ASSERT_EQ(a.shape, (std::vector<int64_t>{5, 2}));
  EXPECT_FLOAT_EQ(a.data[8], 2.0f);
  EXPECT_FLOAT_EQ(a.data[9], -1.0f);
  // Too few points is an error, not a file.
  panel.clearDrawing();
  panel.strokeAt({0, 0});
  EXPECT_THROW(panel.saveDrawing(tmp.file("one.npy")), std::runtime_error);
}

TEST(DataPanel, StateRoundTrip) {
  DataPanel a;
  a.setDataset("two_moons", 0.05);
  a.setTool(DataPanel::Tool::Point);
  a.strokeAt({0.25, 0.5});
  DataPanel b;
  b.restoreState(a.saveState());
  EXPECT_EQ(b.saveState(), a.saveState());
  EXPECT_EQ(b.drawnPoints().size(), 1u);
}
