#include "gui/app/ScriptedRun.h"

#include <QApplication>
#include <QGuiApplication>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QPixmap>
#include <QScreen>
#include <QTabWidget>

#include <algorithm>
#include <cstdio>

#include "gui/views/density/DensityView.h"
#include "gui/app/LogPanel.h"
#include "gui/app/MainWindow.h"
#include "gui/plot/Exportable.h"
#include "gui/views/nfe/NfePanel.h"
#include "gui/services/RunManager.h"
#include "gui/views/images/ImageNfeView.h"
#include "gui/views/images/ImageNoiseControls.h"
#include "gui/views/images/ImagePathView.h"
#include "gui/views/images/LiveSamples.h"
#include "gui/views/monitor/TrainingMonitor.h"
#include "core/config/ConfigYaml.h"

namespace flowscope::gui {

ScriptedRun::ScriptedRun(MainWindow* window, ScriptOptions options)
    : QObject(window), window_(window), options_(std::move(options)) {
  timer_.setInterval(100);
  connect(&timer_, &QTimer::timeout, this, &ScriptedRun::tick);
  // The stall probe asks for a tick every 5 ms; the longest gap between ticks is the longest time
  // the event loop was busy (a blocked GUI thread shows up here).
  stallProbe_.setInterval(5);
  stallProbe_.setTimerType(Qt::PreciseTimer);
  connect(&stallProbe_, &QTimer::timeout, this, [this] {
    const qint64 gap = stallClock_.restart();
    if (stallTicks_++ > 0) maxStallMs_ = std::max(maxStallMs_, gap);
  });
}

void ScriptedRun::start() {
  clock_.start();
  window_->log()->setEchoToStderr(true);
  if (options_.measureStall) {
    stallClock_.start();
    stallProbe_.start();
  }
  timer_.start();
}

bool ScriptedRun::trainingDone() const {
  for (int id : runIds_) {
    const RunRecord* r = window_->runs()->run(id);
    if (!r) continue;
    switch (r->status.state) {
      case JobState::Starting:
      case JobState::Running:
        return false;
      case JobState::Paused:
        // A step budget ends in Paused; a run still below its budget is not done.
        if (options_.steps && r->status.step < *options_.steps) return false;
        break;
      default:
        break;
    }
  }
  return true;
}

void ScriptedRun::tick() {
  if (clock_.elapsed() > options_.timeoutSec * 1000LL) {
    window_->log()->error(QString("scripted run timed out after %1 s").arg(options_.timeoutSec));
    exitCode_ = 2;
    finish();
    return;
  }
  switch (phase_) {
    case Phase::Load: {
      if (!options_.session.isEmpty() && !window_->loadSession(options_.session)) exitCode_ = 1;
      for (const QString& dir : options_.runs)
        if (window_->runs()->openRun(dir) < 0) exitCode_ = 1;
      if (!options_.view.isEmpty()) {
        QTabWidget* tabs = window_->viewTabs();
        int found = -1;
        for (int i = 0; i < tabs->count(); ++i)
          if (tabs->tabText(i).compare(options_.view, Qt::CaseInsensitive) == 0) found = i;
        if (found < 0) {
          QStringList names;
          for (int i = 0; i < tabs->count(); ++i) names << tabs->tabText(i);
          window_->log()->error(QString("--view: no view '%1' (expected one of: %2)").arg(options_.view, names.join(", ")));
          exitCode_ = 1;
        } else {
          tabs->setCurrentIndex(found);
        }
      }
      for (const QString& path : options_.experiments) {
        try {
          const ExperimentConfig config = loadExperiment(path.toStdString());
          const int id = window_->createRun(config);
          if (id >= 0) runIds_ << id;
          else exitCode_ = 1;
        } catch (const std::exception& e) {
          window_->log()->error(e.what());
          exitCode_ = 1;
        }
      }
      if (options_.train) {
        if (runIds_.isEmpty()) runIds_ = window_->runs()->runIds();
        if (runIds_.isEmpty()) {  // as F5 does at launch: the experiment in the editor
          const int id = window_->createRunFromEditor();
          if (id >= 0) runIds_ << id;
          else exitCode_ = 1;
        }
        for (int id : runIds_) {
          if (options_.steps) window_->runs()->step(id, static_cast<int>(*options_.steps));
          else window_->runs()->start(id);
        }
      }
      phase_ = options_.train ? Phase::Train : afterTraining();
      settleClock_.start();
      if (phase_ == Phase::Settle) window_->refreshPanelsForExport();
      break;
    }
    case Phase::Train:
      // Give the workers time to report Starting -> Running before judging "done".
      if (settleClock_.elapsed() > 500 && trainingDone()) {
        for (int id : runIds_) {
          const RunRecord* r = window_->runs()->run(id);
          if (r && r->status.state == JobState::Failed) exitCode_ = 1;
        }
        phase_ = afterTraining();
        settleClock_.restart();
        stallProbe_.stop();  // the stall bench covers training, not the exports that follow
        if (phase_ == Phase::Settle) window_->refreshPanelsForExport();
      }
      break;
    case Phase::Settle:
      // Panels update from the newest weights asynchronously: wait until none is busy (and at
      // least a moment, so pending snapshots reach them).
      if (settleClock_.elapsed() > 1000 && !window_->anyPanelBusy()) {
        if (options_.sweep && !sweepStarted_) {
          // Figure 7 for the exports: the sweep and then the strip run in the background; this
          // phase waits for them like for any busy panel.
          sweepStarted_ = true;
          for (int i = 0; i < window_->viewTabs()->count(); ++i)
            if (auto* nfe = qobject_cast<NfePanel*>(window_->viewTabs()->widget(i))) {
              if (!options_.classifier.isEmpty()) {
                SweepSpec spec = nfe->spec();
                spec.classifier = options_.classifier.toStdString();
                nfe->setSpec(spec);
              }
              nfe->runSweep();
            }
            else if (auto* strip = qobject_cast<ImageNfeView*>(window_->viewTabs()->widget(i))) strip->sample();
          settleClock_.restart();
          break;
        }
        phase_ = options_.benchScrub > 0 ? Phase::Bench : options_.benchImageScrub > 0 ? Phase::ImageBench : Phase::Export;
        if (phase_ == Phase::ImageBench) {
          // The image path view at t, with the asked number of images from the same noise.
          QTabWidget* tabs = window_->viewTabs();
          for (int i = 0; i < tabs->count(); ++i)
            if (auto* v = qobject_cast<ImagePathView*>(tabs->widget(i))) {
              tabs->setCurrentIndex(i);
              v->setLayoutMode(ImagePathScene::Layout::AtT);
              v->noiseControls()->setCount(options_.benchImageScrub);
            }
          settleClock_.restart();
        }
        if (phase_ == Phase::Bench) {
          // Show the density view with the asked number of particles; the bench runs once its
          // trajectories are in.
          QTabWidget* tabs = window_->viewTabs();
          for (int i = 0; i < tabs->count(); ++i)
            if (auto* d = qobject_cast<DensityView*>(tabs->widget(i))) {
              tabs->setCurrentIndex(i);
              d->setParticleCount(options_.benchScrub);
            }
          settleClock_.restart();
        }
      }
      break;
    case Phase::Bench: {
      DensityView* density = nullptr;
      for (int i = 0; i < window_->viewTabs()->count(); ++i)
        if (auto* d = qobject_cast<DensityView*>(window_->viewTabs()->widget(i))) density = d;
      if (!density || settleClock_.elapsed() < 500 || density->isBusy()) break;
      std::vector<double> ms = density->benchmarkScrub(120);
      std::sort(ms.begin(), ms.end());
      const auto pct = [&](double q) { return ms.empty() ? 0.0 : ms[static_cast<size_t>(q * (ms.size() - 1))]; };
      std::vector<qint64> latency = density->modelToViewHistory();
      std::sort(latency.begin(), latency.end());
      const qint64 latencyMedian = latency.empty() ? -1 : latency[latency.size() / 2];
      const qint64 latencyMax = latency.empty() ? -1 : latency.back();
      std::printf("{\"bench\": \"scrub\", \"particles\": %lld, \"renderer\": \"%s\", \"platform\": \"%s\", "
                  "\"frames\": %zu, \"median_ms\": %.2f, \"p95_ms\": %.2f, \"max_ms\": %.2f, "
                  "\"model_to_view_ms\": %lld, \"snapshots_shown\": %zu, \"model_to_view_median_ms\": %lld, "
                  "\"model_to_view_max_ms\": %lld}\n",
                  static_cast<long long>(options_.benchScrub), density->usesOpenGl() ? "opengl" : "qpainter",
                  QGuiApplication::platformName().toUtf8().constData(), ms.size(), pct(0.5), pct(0.95),
                  ms.empty() ? 0.0 : ms.back(), static_cast<long long>(density->lastModelToViewMs()),
                  latency.size(), static_cast<long long>(latencyMedian), static_cast<long long>(latencyMax));
      std::fflush(stdout);
      phase_ = Phase::Export;
      break;
    }
    case Phase::ImageBench: {
      ImagePathView* view = nullptr;
      for (int i = 0; i < window_->viewTabs()->count(); ++i)
        if (auto* v = qobject_cast<ImagePathView*>(window_->viewTabs()->widget(i))) view = v;
      if (!view || settleClock_.elapsed() < 500 || view->isBusy()) break;
      std::vector<double> ms = view->benchmarkScrub(120);
      std::sort(ms.begin(), ms.end());
      const auto pct = [&](double q) { return ms.empty() ? 0.0 : ms[static_cast<size_t>(q * (ms.size() - 1))]; };
      std::vector<qint64> live;
      if (LiveSamples* l = window_->trainingMonitor()->liveSamples()) live = l->updateLatencies();
      std::sort(live.begin(), live.end());
      std::printf("{\"bench\": \"image_scrub\", \"images\": %d, \"platform\": \"%s\", \"frames\": %zu, "
                  "\"median_ms\": %.2f, \"p95_ms\": %.2f, \"max_ms\": %.2f, \"live_updates\": %zu, "
                  "\"live_update_median_ms\": %lld, \"live_update_max_ms\": %lld}\n",
                  options_.benchImageScrub, QGuiApplication::platformName().toUtf8().constData(), ms.size(), pct(0.5),
                  pct(0.95), ms.empty() ? 0.0 : ms.back(), live.size(),
                  static_cast<long long>(live.empty() ? -1 : live[live.size() / 2]),
                  static_cast<long long>(live.empty() ? -1 : live.back()));
      std::fflush(stdout);
      phase_ = Phase::Export;
      break;
    }
    case Phase::Export: {
      if (!options_.exportDir.isEmpty() && window_->exportAll(options_.exportDir) == 0) exitCode_ = 1;
      // A panel whose worker failed exports what it has; the run must not look successful.
      for (Exportable* e : window_->exportables())
        if (const QString why = e->failure(); !why.isEmpty()) {
          window_->log()->error(QString("%1: %2").arg(e->exportName(), why));
          exitCode_ = 1;
        }
      if (!options_.screenshot.isEmpty()) {
        const QPixmap shot = window_->grab();
        if (!shot.save(options_.screenshot)) {
          window_->log()->error("cannot write screenshot " + options_.screenshot);
          exitCode_ = 1;
        } else {
          window_->log()->info("screenshot " + (options_.screenshotShownAs.isEmpty()
                                                     ? options_.screenshot
                                                     : options_.screenshotShownAs));
        }
      }
      phase_ = Phase::Done;
      break;
    }
    case Phase::Done:
      finish();
      break;
  }
}

ScriptedRun::Phase ScriptedRun::afterTraining() const {
  // The panels are computed only for what is exported, shown on screen or benchmarked: a
  // scripted training job (--train --quit on a server) does not wait for every view to solve.
  const bool panelsNeeded = !options_.exportDir.isEmpty() || !options_.screenshot.isEmpty() || options_.sweep ||
                            options_.benchScrub > 0 || options_.benchImageScrub > 0 || !options_.quit;
  return panelsNeeded ? Phase::Settle : Phase::Done;
}

void ScriptedRun::finish() {
  timer_.stop();
  stallProbe_.stop();
  if (options_.measureStall)
    std::printf("{\"bench\": \"event_loop_stall\", \"max_stall_ms\": %lld, \"ticks\": %lld, \"runs\": %lld, \"wall_s\": %.1f}\n",
                static_cast<long long>(maxStallMs_), static_cast<long long>(stallTicks_),
                static_cast<long long>(runIds_.size()), clock_.elapsed() / 1000.0);
  if (window_->log()->errorCount() > 0 && exitCode_ == 0) exitCode_ = 1;
  Q_EMIT finished(exitCode_);
  if (options_.quit) QApplication::exit(exitCode_);
}

}  // namespace flowscope::gui
