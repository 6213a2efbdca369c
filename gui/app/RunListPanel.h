#pragma once
// The runs list: one row per run with its color, name, state and step; selection drives the
// other panels; buttons start, pause, step and stop the selected run.

#include <QListWidget>
#include <QWidget>

namespace flowscope::gui {

class RunManager;

class RunListPanel : public QWidget {
  Q_OBJECT
 public:
  explicit RunListPanel(RunManager* runs, QWidget* parent = nullptr);
  int currentRun() const;  ///< -1 when none
  void selectRun(int id);

 Q_SIGNALS:
  void currentRunChanged(int id);

 private:
  void refresh(int id);
  QListWidgetItem* itemFor(int id) const;
  RunManager* runs_;
  QListWidget* list_;
};

}  // namespace flowscope::gui
