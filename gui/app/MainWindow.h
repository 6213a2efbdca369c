#pragma once
// The main window: runs list, experiment editor and log in docks; the training monitor and the 2D
// views as tabs in the center; menus, toolbar, shortcuts and a status bar (device, step, it/s).
// Window and dock layout, theme and recent sessions persist in QSettings.

#include <QJsonObject>
#include <QLabel>
#include <QMainWindow>
#include <QPointer>
#include <QStringList>
#include <QTabWidget>

#include <vector>

#include "core/config/ExperimentConfig.h"

namespace flowscope::gui {

class RunManager;
class RunListPanel;
class ExperimentForm;
class TrainingMonitor;
class LogPanel;
class Exportable;
class ViewState;
class TimeController;
class AsyncQuery;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  RunManager* runs() const { return runs_; }
  ExperimentForm* experimentForm() const { return form_; }
  TrainingMonitor* trainingMonitor() const { return monitor_; }
  LogPanel* log() const { return log_; }
  QTabWidget* viewTabs() const { return tabs_; }
  TimeController* time() const { return time_; }
  AsyncQuery* queries() const { return queries_; }

  /// Adds a central tab. `exportable` and `state` may be null; they usually are the widget itself.
  void addView(QWidget* widget, const QString& title, Exportable* exportable, ViewState* state);
  /// Every exportable panel, in tab order, plus the window's docks that export.
  std::vector<Exportable*> exportables() const;
  /// True while any panel still computes what it draws.
  bool anyPanelBusy() const;
  /// Lets hidden panels catch up with the newest weights (before an export).
  void refreshPanelsForExport();

  /// Creates a run for `config` in a new folder under the runs root; returns its id (or -1).
  int createRun(const ExperimentConfig& config);
  /// A run of the experiment in the editor (Ctrl+R; F5 when no run exists yet).
  int createRunFromEditor();
  /// Exports every panel to DIR (PNG, SVG, PDF, CSV). Returns the number of files written;
  /// failures are logged.
  int exportAll(const QString& dir);

  /// Every ViewState panel's current state, keyed by stateKey() (what a session stores).
  QJsonObject viewStates() const;

  bool loadSession(const QString& path);
  bool saveSession(const QString& path);
  QString sessionPath() const { return sessionPath_; }

 Q_SIGNALS:
  void sessionLoaded();

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildActions();
  void buildDocks();
  void buildViews();
  void updateStatusBar();
  void updateRecentMenu();
  void addRecent(const QString& path);
  int currentRunId() const;

  RunManager* runs_;
  TimeController* time_;
  AsyncQuery* queries_;
  RunListPanel* runList_;
  ExperimentForm* form_;
  TrainingMonitor* monitor_;
  LogPanel* log_;
  QTabWidget* tabs_;
  QLabel* statusDevice_;
  QLabel* statusStep_;
  QLabel* statusSpeed_;
  QMenu* recentMenu_ = nullptr;
  QString sessionPath_;
  struct ViewEntry {
    QPointer<QWidget> widget;
    Exportable* exportable;
    ViewState* state;
  };
  std::vector<ViewEntry> views_;
};

}  // namespace flowscope::gui
