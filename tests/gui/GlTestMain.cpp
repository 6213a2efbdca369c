// main() for the OpenGL view tests: the X11 platform when there is a display (xvfb-run), else
// offscreen, where the GL tests skip themselves (a QOpenGLWidget crashes there in Qt 6.4).

#include <gtest/gtest.h>

#include <QApplication>

#include <clocale>
#include <cstdlib>

int main(int argc, char** argv) {
  Q_INIT_RESOURCE(flowscope);  // shaders live in the static gui library
  const char* display = std::getenv("DISPLAY");
  if (display && *display) setenv("QT_QPA_PLATFORM", "xcb", 1);
  else if (!std::getenv("QT_QPA_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 1);
  QApplication app(argc, argv);
  std::setlocale(LC_NUMERIC, "C");  // as the app does: the engine parses numbers with the C library
  QApplication::setOrganizationName("FlowScopeTests");
  QApplication::setApplicationName("flowscope-gl-tests");
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
