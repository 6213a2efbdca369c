#pragma once
// A session file (.flowscope, JSON): the run folders, the experiment being edited, the global
// time and the views' settings, so that reopening it reproduces what was on screen. Written
// atomically. Run folders are stored relative to the session file when they lie below it.

#include <QColor>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace flowscope::gui {

struct SessionRun {
  QString runDir;  ///< absolute after load
  QString name;
  QColor color;
};

struct SessionData {
  std::vector<SessionRun> runs;
  QString experimentYaml;  ///< the experiment form's content
  double time = 1.0;       ///< the global t
  QJsonObject views;       ///< ViewState::stateKey() -> state
};

class Session {
 public:
  static constexpr int kVersion = 1;
  /// Throws std::runtime_error naming the file and what is wrong.
  static SessionData load(const QString& path);
  static void save(const SessionData& data, const QString& path);
};

}  // namespace flowscope::gui
