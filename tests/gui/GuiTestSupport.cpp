#include "GuiTestSupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QThread>
#include <QUuid>

#include <stdexcept>

#include "core/api/TrainingJob.h"

namespace flowscope::test {

TempFolder::TempFolder()
    : path_(QDir::temp().filePath("flowscope-gui-test-" + QUuid::createUuid().toString(QUuid::Id128))) {
  QDir().mkpath(path_);
}

TempFolder::~TempFolder() { QDir(path_).removeRecursively(); }

QString TempFolder::file(const QString& name) const { return QDir(path_).filePath(name); }

ExperimentConfig tinyExperiment(int64_t steps) {
  ExperimentConfig c;
  c.name = "tiny";
  c.model.width = 32;
  c.model.depth = 2;
  c.training.steps = steps;
  c.training.batch_size = 128;
  c.training.threads = 1;
  c.training.checkpoint_every = 50;
  c.training.log_every = 10;
  return c;
}

void trainRun(const ExperimentConfig& config, const QString& runDir) {
  TrainingJob job(config, runDir.toStdString(), StartPolicy::Fresh, {});
  const JobStatus s = job.wait();
  if (s.state != JobState::Finished) throw std::runtime_error("trainRun: " + s.message);
}

bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
  QElapsedTimer timer;
  timer.start();
  while (!done() && timer.elapsed() < timeoutMs) {
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QThread::msleep(5);
  }
  return done();
}

}  // namespace flowscope::test
