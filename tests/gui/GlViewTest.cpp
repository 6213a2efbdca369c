// The density view's OpenGL path under a real X server (xvfb-run): the histogram texture goes
// through the colormap texture, overlays and axes are drawn, and scrubbing stays fast.

#include <gtest/gtest.h>

#include <QGuiApplication>
#include <QImage>
#include <QOpenGLWidget>
#include <QTabWidget>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "gui/services/AsyncQuery.h"
#include "gui/plot/Colormap.h"
#include "gui/views/density/DensityCanvas.h"
#include "gui/views/density/DensityView.h"
#include "GuiTestSupport.h"
#include "gui/app/LogPanel.h"
#include "gui/app/MainWindow.h"
#include "gui/services/RunManager.h"
#include "gui/services/TimeController.h"

using namespace flowscope;
using namespace flowscope::gui;

TEST(GlDensityView, RendersATrainedRunThroughTheColormap) {
  if (!DensityCanvas::openGlAvailable())
    GTEST_SKIP() << "no OpenGL 3.3 on platform " << QGuiApplication::platformName().toStdString()
                 << " (run under xvfb-run)";
  // The fixture's checkerboard run learns the squares, so the frame shows a checkerboard.
  const QString run = test::sharedRun(test::SharedRun::Checkerboard);
  RunManager runs;
  TimeController time;
  AsyncQuery queries;
  DensityView::setOpenGlPolicy(DensityView::GlPolicy::Always);  // llvmpipe would pick QPainter
  DensityView view(&runs, &time, &queries);
  view.setParticleCount(50000);
  view.setColormap("inferno");
  view.resize(1000, 800);
  view.show();
  ASSERT_TRUE(runs.openRun(run) > 0);
  // Timeouts here are hang guards: a loaded 2-core machine needs minutes where an idle one needs seconds.
  ASSERT_TRUE(test::waitUntil([&] { return !view.isBusy() && view.scene().hasData(); }, 300000));
  ASSERT_TRUE(view.usesOpenGl());
  auto* gl = view.findChild<QOpenGLWidget*>();
  ASSERT_NE(gl, nullptr);
  time.setT(1.0);
  ASSERT_TRUE(test::waitUntil([&] { return view.lastModelToViewMs() >= 0; }, 5000));

  const QImage frame = gl->grabFramebuffer();
  ASSERT_FALSE(frame.isNull());
  if (const char* dir = std::getenv("FLOWSCOPE_EXPORT_LOOK")) frame.save(QString(dir) + "/density-gl.png");
  // Inside the plot rectangle only, in the colormap's colors (a blank plot has none).
  const Colormap inferno(Colormap::Kind::Inferno);
  const std::set<QRgb> lut(inferno.lut().begin(), inferno.lut().end());
  const double dpr = frame.devicePixelRatio();
  const QRectF plot = view.plotRect();
  const QRect r = QRectF(plot.topLeft() * dpr, plot.size() * dpr).toAlignedRect().adjusted(2, 2, -2, -2);
  std::set<QRgb> lutColors;
  int onLut = 0, samples = 0;
  for (int y = r.top(); y <= r.bottom(); ++y)
    for (int x = r.left(); x <= r.right(); ++x, ++samples) {
      const QRgb c = frame.pixel(x, y) | 0xff000000u;
      if (lut.count(c)) {
        ++onLut;
        lutColors.insert(c);
      }
    }
  EXPECT_GT(onLut, samples / 2) << "the heatmap fills the plot in the colormap's colors";
  // (The colorbar beside the plot holds all 256 entries; inside the plot a flat picture would
  // show one or two.)
  EXPECT_GT(lutColors.size(), 10u) << "a range of densities, not one flat color";

  const std::vector<double> ms = view.benchmarkScrub(20);
  ASSERT_EQ(ms.size(), 20u);
  for (double v : ms) EXPECT_GT(v, 0);
}

// The real main window on a real X server: it opens, lays out every view, and a screenshot of it
// (what `flowscope --screenshot` writes) is not blank. Saved to $FLOWSCOPE_EXPORT_LOOK when set.
TEST(GlMainWindow, OpensAndTakesAScreenshot) {
  if (QGuiApplication::platformName() != "xcb") GTEST_SKIP() << "needs an X display (xvfb-run)";
  const QString run = test::sharedRun(test::SharedRun::Tiny);
  MainWindow window;
  window.resize(1400, 900);
  window.show();
  ASSERT_GE(window.runs()->openRun(run), 0);
  for (int i = 0; i < window.viewTabs()->count(); ++i) {
    window.viewTabs()->setCurrentIndex(i);  // every view gets shown and laid out once
    ASSERT_TRUE(test::waitUntil([&] { return !window.anyPanelBusy(); }, 180000))  // a hang guard
        << window.viewTabs()->tabText(i).toStdString();
  }
  window.viewTabs()->setCurrentIndex(1);
  ASSERT_TRUE(test::waitUntil([&] { return !window.anyPanelBusy(); }, 180000));
  const QImage shot = window.grab().toImage();
  ASSERT_FALSE(shot.isNull());
  if (const char* dir = std::getenv("FLOWSCOPE_EXPORT_LOOK")) shot.save(QString(dir) + "/flowscope-window.png");
  EXPECT_EQ(shot.size(), window.size() * window.devicePixelRatio());
  std::set<QRgb> colors;
  for (int y = 0; y < shot.height(); y += 3)
    for (int x = 0; x < shot.width(); x += 3) colors.insert(shot.pixel(x, y));
  EXPECT_GT(colors.size(), 200u);
  EXPECT_EQ(window.log()->errorCount(), 0) << window.log()->toPlainText().toStdString();
}
