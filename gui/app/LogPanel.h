#pragma once
// Messages for the user: errors from runs, exports, files. Also echoed to stderr in scripted mode
// so batch jobs see them.

#include <QPlainTextEdit>

namespace flowscope::gui {

class LogPanel : public QPlainTextEdit {
  Q_OBJECT
 public:
  explicit LogPanel(QWidget* parent = nullptr);
  void info(const QString& message);
  void error(const QString& message);
  /// Something the user should know that stopped nothing (a damaged metrics line was skipped).
  void warning(const QString& message);
  /// Echo every message to stderr (scripted mode).
  void setEchoToStderr(bool on) { echo_ = on; }
  int errorCount() const { return errors_; }

 private:
  void append(const QString& level, const QString& message);
  bool echo_ = false;
  int errors_ = 0;
};

}  // namespace flowscope::gui
