#include "gui/app/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QKeySequence>
#include <QMenuBar>
#include <QMessageBox>
#include <QRegularExpression>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

#include "core/api/Queries.h"
#include "gui/services/AsyncQuery.h"
#include "gui/views/compare/CheckpointScrubView.h"
#include "gui/views/density/DensityView.h"
#include "gui/views/images/ImageCheckpointView.h"
#include "gui/views/images/ImageDataView.h"
#include "gui/views/images/ImageInterpolationView.h"
#include "gui/views/images/ImageNfeView.h"
#include "gui/views/images/ImagePathView.h"
#include "gui/views/compare/SideBySideView.h"
#include "gui/views/data/DataPanel.h"
#include "gui/views/nfe/NfePanel.h"
#include "gui/services/TimeController.h"
#include "gui/app/TimeScrubber.h"
#include "gui/views/field/VectorFieldView.h"
#include "gui/app/ExperimentForm.h"
#include "gui/plot/Exportable.h"
#include "gui/plot/Exporter.h"
#include "gui/app/LogPanel.h"
#include "gui/app/RunListPanel.h"
#include "gui/services/RunManager.h"
#include "gui/app/Session.h"
#include "gui/app/Theme.h"
#include "gui/views/monitor/TrainingMonitor.h"
#include "gui/views/ViewState.h"
#include "core/config/ConfigYaml.h"

namespace flowscope::gui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle("FlowScope");
  setObjectName("mainWindow");
  runs_ = new RunManager(this);
  time_ = new TimeController(this);
  queries_ = new AsyncQuery(this);
  QSettings settings;
  runs_->setRunsRoot(settings.value("runsRoot", runs_->runsRoot()).toString());

  // The center: the view tabs above the global time scrubber (t = 0 noise ... t = 1 data).
  auto* center = new QWidget(this);
  auto* centerLayout = new QVBoxLayout(center);
  centerLayout->setContentsMargins(0, 0, 0, 0);
  centerLayout->setSpacing(0);
  tabs_ = new QTabWidget(center);
  tabs_->setObjectName("viewTabs");
  tabs_->setDocumentMode(true);
  centerLayout->addWidget(tabs_, 1);
  centerLayout->addWidget(new TimeScrubber(time_, center));
  setCentralWidget(center);
  monitor_ = new TrainingMonitor(runs_, this);
  monitor_->attachLiveSamples(queries_);
  addView(monitor_, "Training", monitor_, monitor_);

  buildDocks();
  buildActions();
  buildViews();

  statusDevice_ = new QLabel(this);
  statusStep_ = new QLabel(this);
  statusSpeed_ = new QLabel(this);
  statusBar()->addWidget(statusDevice_);
  statusBar()->addWidget(statusStep_);
  statusBar()->addPermanentWidget(statusSpeed_);
  connect(runs_, &RunManager::statusChanged, this, &MainWindow::updateStatusBar);
  connect(runs_, &RunManager::progressUpdated, this, &MainWindow::updateStatusBar);
  connect(runList_, &RunListPanel::currentRunChanged, this, &MainWindow::updateStatusBar);
  connect(runs_, &RunManager::errorOccurred, this, [this](int, const QString& message) { log_->error(message); });
  connect(runs_, &RunManager::warningOccurred, this, [this](int, const QString& message) { log_->warning(message); });
  // Views compute on background threads; while runs train, give those one core each.
  connect(runs_, &RunManager::statusChanged, this, [this] {
    AsyncQuery::setThreadsPerTask(runs_->runningCount() > 0 ? 1 : 0);
  });
  connect(runs_, &RunManager::statusChanged, this, [this](int id) {
    const RunRecord* r = runs_->run(id);
    if (r && (r->status.state == JobState::Finished || r->status.state == JobState::Stopped))
      log_->info(QString("%1: %2").arg(r->name, QString::fromStdString(r->status.message)));
  });
  updateStatusBar();

  resize(1400, 900);
  restoreGeometry(settings.value("window/geometry").toByteArray());
  restoreState(settings.value("window/state").toByteArray());
}

MainWindow::~MainWindow() = default;

void MainWindow::buildDocks() {
  setDockNestingEnabled(true);
  auto dock = [this](const QString& title, const QString& name, QWidget* w, Qt::DockWidgetArea area) {
    auto* d = new QDockWidget(title, this);
    d->setObjectName(name);
    d->setWidget(w);
    addDockWidget(area, d);
    return d;
  };
  runList_ = new RunListPanel(runs_, this);
  form_ = new ExperimentForm(this);
  log_ = new LogPanel(this);
  QDockWidget* runsDock = dock("Runs", "runsDock", runList_, Qt::LeftDockWidgetArea);
  QDockWidget* formDock = dock("Experiment", "experimentDock", form_, Qt::LeftDockWidgetArea);
  splitDockWidget(runsDock, formDock, Qt::Vertical);
  resizeDocks({runsDock, formDock}, {220, 600}, Qt::Vertical);
  resizeDocks({runsDock}, {400}, Qt::Horizontal);
  QDockWidget* logDock = dock("Messages", "logDock", log_, Qt::BottomDockWidgetArea);
  resizeDocks({logDock}, {110}, Qt::Vertical);
  connect(form_, &ExperimentForm::createRunRequested, this, [this] { createRunFromEditor(); });
  form_->loadPreset("checkerboard-fm-ot");  // the default experiment, ready to train
}

void MainWindow::buildViews() {
  auto* density = new DensityView(runs_, time_, queries_, this);
  addView(density, "Density path", density, density);
  auto* field = new VectorFieldView(runs_, time_, queries_, this);
  addView(field, "Vector field", field, field);
  auto* sideBySide = new SideBySideView(runs_, time_, queries_, this);
  addView(sideBySide, "Side by side", sideBySide, sideBySide);
  auto* scrub = new CheckpointScrubView(runs_, time_, queries_, this);
  addView(scrub, "Checkpoint x time", scrub, scrub);
  auto* nfe = new NfePanel(runs_, queries_, this);
  addView(nfe, "NFE vs quality", nfe, nfe);
  auto* imagePath = new ImagePathView(runs_, time_, queries_, this);
  addView(imagePath, "Image path", imagePath, imagePath);
  auto* imageCheckpoints = new ImageCheckpointView(runs_, time_, queries_, this);
  addView(imageCheckpoints, "Image checkpoints", imageCheckpoints, imageCheckpoints);
  auto* imageInterpolation = new ImageInterpolationView(runs_, queries_, this);
  addView(imageInterpolation, "Image interpolation", imageInterpolation, imageInterpolation);
  auto* imageNfe = new ImageNfeView(runs_, queries_, this);
  addView(imageNfe, "Image NFE", imageNfe, imageNfe);
  auto* data = new DataPanel(this);
  addView(data, "Data", data, data);
  // The image data browser shows the experiment's image dataset and can send another back.
  auto* imageData = new ImageDataView(queries_, this);
  addView(imageData, "Image data", imageData, nullptr);
  connect(tabs_, &QTabWidget::currentChanged, this, [this, imageData](int index) {
    if (tabs_->widget(index) == imageData) imageData->setData(form_->config().data);
  });
  connect(imageData, &ImageDataView::useRequested, this, [this](const DataConfig& d) {
    ExperimentConfig c = form_->config();
    c.data.name = d.name;
    c.data.root = d.root;
    form_->setConfig(c);
    log_->info(QString("experiment data: %1").arg(QString::fromStdString(d.name)));
  });
  // The data panel edits the experiment's data section; drawn points go to a .npy beside the runs.
  auto applyData = [this, data]() -> bool {
    try {
      ExperimentConfig c = form_->config();
      c.data = data->dataConfig(QDir(runs_->runsRoot()).filePath("../data"));
      form_->setConfig(c);
      return true;
    } catch (const std::exception& e) {
      log_->error(QString("data: %1").arg(e.what()));
      return false;
    }
  };
  connect(data, &DataPanel::useRequested, this, [applyData] { applyData(); });
  connect(data, &DataPanel::trainRequested, this, [this, applyData] {
    if (!applyData()) return;
    const int id = createRunFromEditor();
    if (id >= 0) runs_->start(id);
  });
}

void MainWindow::buildActions() {
  QMenu* file = menuBar()->addMenu("&File");
  QMenu* run = menuBar()->addMenu("&Run");
  QMenu* view = menuBar()->addMenu("&View");
  QMenu* help = menuBar()->addMenu("&Help");
  QToolBar* bar = addToolBar("Main");
  bar->setObjectName("mainToolbar");
  auto action = [this](QMenu* menu, const QString& text, const QKeySequence& key, auto fn) {
    auto* a = new QAction(text, this);
    a->setShortcut(key);
    // Object names for tests and scripting: "action-" + the text's words, e.g. action-pause.
    QString name = QString(text).remove('&').remove("...").toLower();
    name.replace(QRegularExpression("[^a-z0-9]+"), "-");
    a->setObjectName("action-" + name.remove(QRegularExpression("^-|-$")));
    connect(a, &QAction::triggered, this, fn);
    menu->addAction(a);
    return a;
  };

  QAction* openExperiment = action(file, "&Open experiment...", QKeySequence::Open, [this] {
    const QString path = QFileDialog::getOpenFileName(this, "Open experiment", QString(), "Experiments (*.yaml *.yml)");
    QString error;
    if (!path.isEmpty() && !form_->loadFile(path, &error)) log_->error(error);
  });
  QAction* saveExperiment = action(file, "&Save experiment...", QKeySequence::Save, [this] {
    const QString path = QFileDialog::getSaveFileName(this, "Save experiment", form_->currentFile(), "Experiments (*.yaml)");
    QString error;
    if (!path.isEmpty() && !form_->saveFile(path, &error)) log_->error(error);
  });
  file->addSeparator();
  action(file, "Open &run folder...", QKeySequence("Ctrl+Shift+O"), [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, "Open run folder", runs_->runsRoot());
    if (!dir.isEmpty()) runs_->openRun(dir);
  });
  action(file, "Open s&ession...", QKeySequence("Ctrl+Alt+O"), [this] {
    const QString path = QFileDialog::getOpenFileName(this, "Open session", QString(), "FlowScope sessions (*.flowscope)");
    if (!path.isEmpty()) loadSession(path);
  });
  action(file, "Save session &as...", QKeySequence("Ctrl+Alt+S"), [this] {
    const QString path = QFileDialog::getSaveFileName(this, "Save session", sessionPath_, "FlowScope sessions (*.flowscope)");
    if (!path.isEmpty()) saveSession(path.endsWith(".flowscope") ? path : path + ".flowscope");
  });
  recentMenu_ = file->addMenu("Recent sessions");
  updateRecentMenu();
  file->addSeparator();
  QAction* exportCurrent = action(file, "&Export current panel...", QKeySequence("Ctrl+E"), [this] {
    auto* e = dynamic_cast<Exportable*>(tabs_->currentWidget());
    if (!e) return;
    const QString dir = QFileDialog::getExistingDirectory(this, "Export to folder");
    if (dir.isEmpty()) return;
    bool ok = false;
    const int dpi = QInputDialog::getInt(this, "PNG resolution", "DPI", 300, 72, 1200, 1, &ok);
    if (!ok) return;
    ExportOptions o;
    o.dpi = dpi;
    try {
      log_->info("exported " + Exporter::exportAll(*e, dir, o).join(", "));
    } catch (const std::exception& ex) {
      log_->error(ex.what());
    }
  });
  QAction* exportAllAction = action(file, "Export &all panels...", QKeySequence("Ctrl+Shift+E"), [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, "Export all panels to folder");
    if (!dir.isEmpty()) exportAll(dir);
  });
  file->addSeparator();
  action(file, "&Quit", QKeySequence::Quit, [this] { close(); });

  QAction* createRunAction = action(run, "&Create run from experiment", QKeySequence("Ctrl+R"),
                                    [this] { createRunFromEditor(); });
  run->addSeparator();
  QAction* start = action(run, "&Start / resume", QKeySequence(Qt::Key_F5), [this] {
    // With no run yet, Start trains the experiment in the editor (one key from launch to training).
    int id = currentRunId();
    if (id < 0) id = createRunFromEditor();
    if (id >= 0) runs_->start(id);
  });
  QAction* pause = action(run, "&Pause", QKeySequence(Qt::Key_F6), [this] { runs_->pause(currentRunId()); });
  QAction* step = action(run, "Single s&tep", QKeySequence(Qt::Key_F7), [this] { runs_->step(currentRunId(), 1); });
  QAction* stop = action(run, "St&op", QKeySequence(Qt::Key_F8), [this] { runs_->stop(currentRunId()); });
  run->addSeparator();
  action(run, "&Remove run from list", QKeySequence(), [this] { runs_->removeRun(currentRunId()); });
  action(run, "Set runs &folder...", QKeySequence(), [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, "Folder for new runs", runs_->runsRoot());
    if (dir.isEmpty()) return;
    runs_->setRunsRoot(dir);
    QSettings().setValue("runsRoot", dir);
  });

  action(view, "&Light theme", QKeySequence(), [] {
    applyTheme(*qApp, ThemeKind::Light);
    QSettings().setValue("theme", "light");
  });
  action(view, "&Dark theme", QKeySequence(), [] {
    applyTheme(*qApp, ThemeKind::Dark);
    QSettings().setValue("theme", "dark");
  });
  view->addSeparator();
  for (QDockWidget* d : findChildren<QDockWidget*>()) view->addAction(d->toggleViewAction());
  action(help, "&About FlowScope", QKeySequence(), [this] {
    QMessageBox::about(this, "FlowScope",
                       "FlowScope: exploring flow-matching generative models\n"
                       "(Lipman et al., Flow Matching for Generative Modeling, ICLR 2023).\n"
                       "Time convention: t = 0 is noise, t = 1 is data.");
  });

  for (QAction* a : {openExperiment, saveExperiment, createRunAction}) bar->addAction(a);
  bar->addSeparator();
  for (QAction* a : {start, pause, step, stop}) bar->addAction(a);
  bar->addSeparator();
  for (QAction* a : {exportCurrent, exportAllAction}) bar->addAction(a);
}

void MainWindow::addView(QWidget* widget, const QString& title, Exportable* exportable, ViewState* state) {
  tabs_->addTab(widget, title);
  views_.push_back({widget, exportable, state});
}

std::vector<Exportable*> MainWindow::exportables() const {
  std::vector<Exportable*> out;
  for (const ViewEntry& v : views_)
    if (v.widget && v.exportable) out.push_back(v.exportable);
  return out;
}

void MainWindow::refreshPanelsForExport() {
  for (Exportable* e : exportables()) e->refreshForExport();
}

bool MainWindow::anyPanelBusy() const {
  for (Exportable* e : exportables())
    if (e->isBusy()) return true;
  return false;
}

int MainWindow::createRun(const ExperimentConfig& config) {
  if (auto issues = validate(config); !issues.empty()) {
    log_->error(QString::fromStdString("experiment is not valid: " + issues.front().message));
    return -1;
  }
  const QString dir = runs_->suggestRunDir(QString::fromStdString(config.name));
  const int id = runs_->createRun(config, dir);
  log_->info(QString("created run %1 in %2").arg(runs_->run(id)->name, dir));
  return id;
}

int MainWindow::createRunFromEditor() { return createRun(form_->config()); }

int MainWindow::exportAll(const QString& dir) {
  int written = 0;
  for (Exportable* e : exportables()) e->refreshForExport();
  for (Exportable* e : exportables()) {
    try {
      written += Exporter::exportAll(*e, dir).size();
    } catch (const std::exception& ex) {
      log_->error(QString("export of %1 failed: %2").arg(e->exportName(), ex.what()));
    }
  }
  log_->info(QString("exported %1 files to %2").arg(written).arg(dir));
  return written;
}

QJsonObject MainWindow::viewStates() const {
  QJsonObject states;
  for (const ViewEntry& v : views_)
    if (v.widget && v.state) states[v.state->stateKey()] = v.state->saveState();
  return states;
}

bool MainWindow::saveSession(const QString& path) {
  SessionData data;
  for (int id : runs_->runIds()) {
    const RunRecord* r = runs_->run(id);
    data.runs.push_back({r->runDir, r->name, r->color});
  }
  data.experimentYaml = QString::fromStdString(toYaml(form_->config()));
  data.views = viewStates();
  try {
    Session::save(data, path);
  } catch (const std::exception& e) {
    log_->error(e.what());
    return false;
  }
  sessionPath_ = path;
  addRecent(path);
  log_->info("saved session " + path);
  return true;
}

bool MainWindow::loadSession(const QString& path) {
  SessionData data;
  try {
    data = Session::load(path);
  } catch (const std::exception& e) {
    log_->error(e.what());
    return false;
  }
  for (int id : runs_->runIds()) runs_->removeRun(id);
  for (const SessionRun& r : data.runs) {
    const int id = runs_->openRun(r.runDir);
    if (id < 0) log_->error(QString("session run %1 (%2) could not be opened").arg(r.name, r.runDir));
  }
  if (!data.experimentYaml.isEmpty()) {
    try {
      form_->setConfig(parseExperiment(data.experimentYaml.toStdString(), path.toStdString() + " (experiment)"));
    } catch (const std::exception& e) {
      log_->error(e.what());
    }
  }
  for (const ViewEntry& v : views_)
    if (v.widget && v.state && data.views.contains(v.state->stateKey()))
      v.state->restoreState(data.views.value(v.state->stateKey()).toObject());
  sessionPath_ = path;
  addRecent(path);
  setWindowTitle("FlowScope — " + QFileInfo(path).fileName());
  log_->info("opened session " + path);
  Q_EMIT sessionLoaded();
  return true;
}

void MainWindow::addRecent(const QString& path) {
  QSettings settings;
  QStringList recent = settings.value("recentSessions").toStringList();
  recent.removeAll(QFileInfo(path).absoluteFilePath());
  recent.prepend(QFileInfo(path).absoluteFilePath());
  while (recent.size() > 8) recent.removeLast();
  settings.setValue("recentSessions", recent);
  updateRecentMenu();
}

void MainWindow::updateRecentMenu() {
  if (!recentMenu_) return;
  recentMenu_->clear();
  for (const QString& path : QSettings().value("recentSessions").toStringList())
    recentMenu_->addAction(path, this, [this, path] { loadSession(path); });
  recentMenu_->setEnabled(!recentMenu_->isEmpty());
}

int MainWindow::currentRunId() const { return runList_->currentRun(); }

void MainWindow::updateStatusBar() {
  const RunRecord* r = runs_->run(currentRunId());
  if (!r) {
    statusDevice_->setText("no run selected");
    statusStep_->clear();
    statusSpeed_->clear();
    return;
  }
  statusDevice_->setText(QString("%1 · %2").arg(r->name,
      r->status.device.empty() ? QString("device: %1").arg(QString::fromStdString(r->config.training.device))
                               : QString::fromStdString(r->status.device)));
  statusStep_->setText(QString("step %1 / %2 · %3").arg(r->status.step).arg(r->config.training.steps)
                           .arg(QString::fromUtf8(jobStateName(r->status.state))));
  const double its = r->progress.empty() ? 0.0 : r->progress.back().itPerSec;
  statusSpeed_->setText(QString("%1 it/s · %2 running").arg(its, 0, 'f', 1).arg(runs_->runningCount()));
}

void MainWindow::closeEvent(QCloseEvent* event) {
  QSettings settings;
  settings.setValue("window/geometry", saveGeometry());
  settings.setValue("window/state", saveState());
  event->accept();
}

}  // namespace flowscope::gui
