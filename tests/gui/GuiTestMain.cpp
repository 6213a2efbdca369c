// main() for the widget tests: a QApplication on Qt's offscreen platform unless the environment
// chose one (GL tests run under xvfb-run with QT_QPA_PLATFORM=xcb and skip themselves elsewhere).

#include <gtest/gtest.h>

#include <QApplication>

#include <clocale>
#include <cstdlib>

int main(int argc, char** argv) {
  Q_INIT_RESOURCE(flowscope);  // resources live in the static gui library
  if (!std::getenv("QT_QPA_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 1);
  QApplication app(argc, argv);
  std::setlocale(LC_NUMERIC, "C");  // as the app does: the engine parses numbers with the C library
  QApplication::setOrganizationName("FlowScopeTests");
  QApplication::setApplicationName("flowscope-tests");
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
