// The data panel: dataset preview, drawing with brush, points and eraser, and the data section
// it hands to the experiment (drawn points saved as .npy and read back by the engine), its export
// on the plot layer at three sizes, and a hostile session's "drawn" array bounded.

#include <gtest/gtest.h>

#include <QMouseEvent>
#include <QTest>

#include <cmath>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>

#include "ExportChecks.h"
#include "gui/plot/PlotStyle.h"
#include "gui/views/SessionValue.h"
#include "gui/views/data/DataCanvas.h"
#include "gui/views/data/DataPanel.h"
#include "gui/views/data/DataPlot.h"
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
  auto* canvas = panel.findChild<DataCanvas*>("dataCanvas");
  ASSERT_NE(canvas, nullptr);
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
  ASSERT_GE(canvas->width(), 360) << canvas->width();
  const QPoint c = canvas->dataToPixel({0.5, 1.0}).toPoint();
  QTest::mouseClick(canvas, Qt::LeftButton, {}, c);
  QTest::mouseClick(canvas, Qt::LeftButton, {}, c + QPoint(100, 0));
  QTest::mouseClick(canvas, Qt::LeftButton, {}, c + QPoint(0, 100));
  QTest::mouseClick(canvas, Qt::LeftButton, {}, canvas->plotRect().topLeft().toPoint() - QPoint(5, 5));  // outside
  ASSERT_EQ(panel.drawnPoints().size(), 3u);
  const auto& p = panel.drawnPoints();
  const double pixel = 2 * DataPlot::kRange / canvas->plotRect().width();
  EXPECT_NEAR(p[0].x(), 0.5, pixel);  // where the plot draws (0.5, 1)
  EXPECT_NEAR(p[0].y(), 1.0, pixel);
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

TEST(DataPanel, ExportedTextFitsAtThreeSizesAndThePointsAreInThePlot) {
  DataPanel panel;
  panel.setDataset("checkerboard");
  for (const QSize size : flowscope::test::kExportSizes) {
    EXPECT_TRUE(flowscope::test::textFits(panel, size, 8));
    const QImage png = flowscope::test::renderAt(panel, size);
    const QRectF plot = DataPlot(QRectF(QPointF(0, 0), QSizeF(size)), panel.shownPoints(), false, panel.plotTitle(),
                                 PlotStyle::forExport(panel.font())).plot();
    // The preview's dots in their blue inside the plot, none outside it.
    const QColor blue = DataPlot::previewColor();
    auto bluish = [&](QRgb c) { return qBlue(c) > qRed(c) + 60 && qBlue(c) > qGreen(c) + 20; };
    long inside = 0, outside = 0;
    for (int y = 0; y < png.height(); y += 2)
      for (int x = 0; x < png.width(); x += 2) {
        if (!bluish(png.pixel(x, y))) continue;
        (plot.adjusted(-3, -3, 3, 3).contains(QPointF(x, y)) ? inside : outside) += 1;
      }
    EXPECT_GT(inside, 200) << size.width() << " " << blue.name().toStdString();
    EXPECT_EQ(outside, 0) << size.width();
  }
}

TEST(DataPanel, HostileSessionIsBounded) {
  // A million drawn points, non-numbers and huge coordinates: at most kDrawnPoints are kept,
  // each finite and clamped, and the export stays quick.
  QJsonArray drawn;
  for (int i = 0; i < 1000000; ++i) drawn.append(QJsonArray{i * 1e300, -0.5});
  drawn.append(QJsonArray{"x", 1});
  drawn.prepend(QJsonArray{1, 2, 3});
  DataPanel panel;
  QElapsedTimer clock;
  clock.start();
  panel.restoreState(QJsonObject{{"dataset", "checkerboard"}, {"noise", 1e9}, {"drawn", drawn}});
  ASSERT_EQ(panel.drawnPoints().size(), static_cast<size_t>(session::kDrawnPoints.hi));
  EXPECT_EQ(panel.drawnPoints()[0], QPointF(0, -0.5));
  EXPECT_EQ(panel.drawnPoints()[1], QPointF(1000, -0.5));
  EXPECT_EQ(panel.saveState()["noise"].toDouble(), session::kNoise.hi);
  flowscope::test::renderAt(panel, QSize(480, 320));
  EXPECT_LT(clock.elapsed(), 20000);
}
