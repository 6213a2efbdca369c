#pragma once
// A panel whose settings belong in a session file (what is on screen must be reproducible).

#include <QJsonObject>
#include <QString>

namespace flowscope::gui {

class ViewState {
 public:
  virtual ~ViewState() = default;
  /// Unique key in the session's "views" object.
  virtual QString stateKey() const = 0;
  virtual QJsonObject saveState() const = 0;
  virtual void restoreState(const QJsonObject& state) = 0;
};

}  // namespace flowscope::gui
