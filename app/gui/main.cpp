// flowscope: the desktop application. With scripting options it loads, optionally trains,
// exports every panel and takes a screenshot without user interaction (QT_QPA_PLATFORM=offscreen
// needs no display).

#include <QApplication>
#include <QFileInfo>
#include <QDir>
#include <QFile>
#include <QSettings>
#include <QTimer>

#include <time.h>
#include <unistd.h>

#include <atomic>
#include <clocale>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "gui/views/density/DensityView.h"
#include "gui/app/MainWindow.h"
#include "gui/app/ScriptedRun.h"
#include "gui/app/Theme.h"
#include "gui/services/RunManager.h"
#include "core/config/ConfigSchema.h"
#include "core/io/AtomicFile.h"
#include "core/util/ArgParser.h"
#include "core/util/BlasKernel.h"
#include "core/util/Error.h"
#include "core/util/Process.h"
#include "core/util/StopSignals.h"

using namespace flowscope;

namespace {

bool isSessionOption(const char* arg) {
  return std::strcmp(arg, "--session") == 0 || std::strcmp(arg, "-session") == 0;
}

}  // namespace

int main(int argc, char** argv) {
  selectBlasKernel(argv);  // may re-execute with a better BLAS kernel (core/util/BlasKernel.h)
  configureAllocator();
  ArgParser parser(
      "flowscope [--session FILE] [--experiment FILE.yaml]... [--run RUN_DIR]... [--train] [--steps N]\n"
      "          [--view NAME] [--export-all DIR] [--screenshot FILE.png] [--quit]",
      "FlowScope: explore flow-matching generative models (Lipman et al., ICLR 2023).\n"
      "t = 0 is noise, t = 1 is data. Without options, opens the app with the default\n"
      "checkerboard FM-OT experiment in the editor.");
  parser.option("session", "FILE", "open a session (.flowscope)")
      .repeated("experiment", "FILE.yaml", "create a run for this experiment")
      .repeated("run", "RUN_DIR", "open an existing run folder (trained by the app or the CLI)")
      .option("view", "NAME", "show this view, e.g. \"Density path\", \"Vector field\"")
      .option("runs-dir", "DIR", "folder for every run the app creates in this session (File > Runs folder changes the saved one)")
      .flag("train", "train the runs (to training.steps, or --steps); with no run given, the experiment in the editor")
      .integer("steps", "N", "with --train: train N steps per run, then pause",
               flowscope::schemaField("training.steps")->range)
      .flag("sweep", "run the NFE vs quality sweep (and sample strip) of every run, and the image NFE strip, before exporting")
      .option("classifier", "FILE.pt", "with --sweep: score the image runs' solves with this classifier (train-classifier), as the NFE panel's Classifier field")
      .option("export-all", "DIR", "export every panel (PNG, SVG, PDF, CSV) to DIR")
      .option("screenshot", "FILE.png", "save the main window as an image")
      .choice("theme", "light|dark", "color theme (default: the last one used)", {"light", "dark"})
      .choice("gl", "auto|always|never", "OpenGL for the density views (auto: hardware OpenGL only)",
              {"auto", "always", "never"})
      .integer("timeout", "SECONDS", "give up scripted work after this long",
               flowscope::ValueRange::closed(1, 1e7), "3600")
      .flag("measure-stall", "print the longest event-loop stall (ms) while training, as JSON")
      .integer("bench-scrub", "PARTICLES", "time 120 scrubbing frames of the density view, print JSON",
               flowscope::ValueRange::closed(1, 1e8))
      .integer("bench-image-scrub", "IMAGES", "time 120 scrubbing frames of the image path view's grid of IMAGES images (at t), print JSON",
               flowscope::ValueRange::closed(1, 64))
      .flag("quit", "quit when the scripted work is done (exit code 1 on errors)");

  // Before QApplication, which needs a display: --help works without one.
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::fputs(parser.help().c_str(), stdout);
      return 0;
    }
  }
  // Qt's X11 session management takes "-session X" and "--session X" out of argv (a restored
  // desktop session): keep FlowScope's --session away from it.
  std::vector<char*> qtArgv;
  std::vector<std::string> sessionArgs;
  for (int i = 0; i < argc; ++i) {
    if (i > 0 && isSessionOption(argv[i])) {
      sessionArgs.push_back("--session");
      if (i + 1 < argc) sessionArgs.push_back(argv[++i]);
      continue;
    }
    qtArgv.push_back(argv[i]);
  }
  int qtArgc = static_cast<int>(qtArgv.size());
  qtArgv.push_back(nullptr);

  // Resources live in the static gui library; make sure the linker keeps them.
  Q_INIT_RESOURCE(flowscope);
  QApplication app(qtArgc, qtArgv.data());
  // QApplication sets the C locale from the environment; the engine parses numbers with the C
  // library, so keep numeric formatting in the "C" locale (a German locale would read 0.5 as 0).
  std::setlocale(LC_NUMERIC, "C");
  QApplication::setOrganizationName("FlowScope");
  QApplication::setApplicationName("flowscope");
  QApplication::setApplicationVersion(FLOWSCOPE_VERSION);

  // Qt has removed its own options (-platform, ...) from argv by now.
  std::vector<std::string> args(qtArgv.data() + 1, qtArgv.data() + qtArgc);
  args.insert(args.end(), sessionArgs.begin(), sessionArgs.end());
  ParsedArgs a;
  try {
    a = parser.parse(args);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "flowscope: %s\n(see 'flowscope --help')\n", e.what());
    return 2;
  }
  if (a.has("help")) {
    std::fputs(parser.help().c_str(), stdout);
    return 0;
  }

  const QString theme = QString::fromStdString(a.getOr("theme", QSettings().value("theme", "light").toString().toStdString()));
  if (theme != "light" && theme != "dark") {
    std::fprintf(stderr, "flowscope: --theme: got '%s' (expected light or dark)\n", theme.toUtf8().constData());
    return 2;
  }
  gui::applyTheme(app, theme == "dark" ? gui::ThemeKind::Dark : gui::ThemeKind::Light);

  if (a.has("gl")) {
    const std::string gl = a.get("gl");
    if (gl != "auto" && gl != "always" && gl != "never") {
      std::fprintf(stderr, "flowscope: --gl: got '%s' (expected auto, always or never)\n", gl.c_str());
      return 2;
    }
    gui::DensityView::setOpenGlPolicy(gl == "always"  ? gui::DensityView::GlPolicy::Always
                                      : gl == "never" ? gui::DensityView::GlPolicy::Never
                                                      : gui::DensityView::GlPolicy::Auto);
  }
  auto windowOwner = std::make_unique<gui::MainWindow>();
  gui::MainWindow& window = *windowOwner;
  // Every run this session creates (editor, F5, --experiment) goes there; QSettings keep theirs.
  if (a.has("runs-dir")) window.runs()->setRunsRoot(QDir(QString::fromStdString(a.get("runs-dir"))).absolutePath());
  window.show();

  // Stop training with a checkpoint and quit, as the CLI does (core/util/StopSignals.h).
  installStopSignals("\nflowscope: stopping training with a checkpoint (signal again to quit at once)\n");
  // The handler only sets a flag; the event loop quits, and destroying the window stops every
  // training job, each writing its checkpoint (RunManager's destructor).
  QTimer signalPoll;
  QObject::connect(&signalPoll, &QTimer::timeout, [] {
    if (const int sig = stopSignal()) QApplication::exit(128 + sig);
  });
  signalPoll.start(100);

  gui::ScriptOptions script;
  script.session = QString::fromStdString(a.getOr("session", ""));
  for (const auto& e : a.getAll("experiment")) script.experiments << QString::fromStdString(e);
  for (const auto& r : a.getAll("run")) script.runs << QString::fromStdString(r);
  script.view = QString::fromStdString(a.getOr("view", ""));
  script.train = a.has("train");
  // The parser has checked the ranges of these typed options.
  if (a.has("steps")) script.steps = a.getInt("steps");
  script.timeoutSec = static_cast<int>(a.getInt("timeout"));
  if (a.has("bench-scrub")) script.benchScrub = a.getInt("bench-scrub");
  if (a.has("bench-image-scrub")) script.benchImageScrub = static_cast<int>(a.getInt("bench-image-scrub"));
  script.exportDir = QString::fromStdString(a.getOr("export-all", ""));
  // The screenshot goes to a temporary file first and replaces FILE only once complete (a full
  // disk must not leave a truncated PNG). Same folder, same suffix: QImage picks the format.
  const std::string screenshot = a.getOr("screenshot", "");
  const std::string screenshotTmp =
      screenshot.empty() ? "" : screenshot + ".tmp-" + std::to_string(::getpid()) + ".png";
  script.screenshot = QString::fromStdString(screenshotTmp);
  script.screenshotShownAs = QString::fromStdString(screenshot);
  script.quit = a.has("quit");
  script.measureStall = a.has("measure-stall");
  script.sweep = a.has("sweep");
  if (a.has("classifier")) {
    if (!script.sweep) {
      std::fprintf(stderr, "flowscope: --classifier: scores the sweep's image runs (expected together with --sweep)\n");
      return 2;
    }
    if (!QFileInfo(QString::fromStdString(a.get("classifier"))).isFile()) {
      std::fprintf(stderr, "flowscope: --classifier: %s: no such file (expected a classifier from flowscope-cli train-classifier)\n",
                   a.get("classifier").c_str());
      return 2;
    }
    script.classifier = QString::fromStdString(a.get("classifier"));
  }
  const bool scripted = !script.session.isEmpty() || !script.experiments.isEmpty() || script.train ||
                        !script.runs.isEmpty() || !script.view.isEmpty() || script.benchScrub > 0 || script.benchImageScrub > 0 || script.sweep ||
                        !script.exportDir.isEmpty() || !script.screenshot.isEmpty() || script.quit;
  gui::ScriptedRun* runner = nullptr;
  int commitFailed = 0;
  if (scripted) {
    runner = new gui::ScriptedRun(&window, script);
    QObject::connect(runner, &gui::ScriptedRun::finished, [&](int code) {
      if (screenshotTmp.empty() || !QFile::exists(QString::fromStdString(screenshotTmp))) return;
      try {
        if (code == 0) writeFileAtomic(screenshot, readFileBytes(screenshotTmp));
      } catch (const std::exception& e) {
        std::fprintf(stderr, "flowscope: --screenshot: %s\n", e.what());
        commitFailed = 1;
      }
      ::unlink(screenshotTmp.c_str());
    });
    runner->start();
  }
  int code = app.exec();
  windowOwner.reset();  // stops and joins every training job: checkpoints written
  if (!screenshotTmp.empty()) ::unlink(screenshotTmp.c_str());
  if (const int sig = stopSignal()) {
    std::fprintf(stderr, "flowscope: stopped by signal %d; training checkpointed\n", sig);
    return 128 + sig;
  }
  return code != 0 ? code : commitFailed;
}
