#include "gui/app/LogPanel.h"

#include <QDateTime>

#include <cstdio>

namespace flowscope::gui {

LogPanel::LogPanel(QWidget* parent) : QPlainTextEdit(parent) {
  setReadOnly(true);
  setMaximumBlockCount(5000);
  setObjectName("log");
}

void LogPanel::info(const QString& message) { append("info", message); }

void LogPanel::warning(const QString& message) { append("warning", message); }

void LogPanel::error(const QString& message) {
  ++errors_;
  append("error", message);
}

void LogPanel::append(const QString& level, const QString& message) {
  const QString line = QString("%1 %2: %3").arg(QDateTime::currentDateTime().toString("HH:mm:ss"), level, message);
  appendPlainText(line);
  if (echo_) std::fprintf(stderr, "flowscope: %s: %s\n", level.toUtf8().constData(), message.toUtf8().constData());
}

}  // namespace flowscope::gui
