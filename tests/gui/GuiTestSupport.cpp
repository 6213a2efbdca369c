#include "GuiTestSupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QThread>
#include <QUuid>
#include <QXmlStreamReader>

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

SvgSummary summarizeSvg(const QString& file) {
  SvgSummary s;
  QFile svg(file);
  if (!svg.open(QIODevice::ReadOnly)) {
    s.error = "cannot open " + file;
    return s;
  }
  QXmlStreamReader xml(&svg);
  while (!xml.atEnd()) {
    if (xml.readNext() != QXmlStreamReader::StartElement) continue;
    if (xml.name() == u"path") ++s.paths;
    if (xml.name() == u"polyline") ++s.polylines;
    if (xml.name() == u"image") ++s.images;
    if (xml.name() == u"text") {
      ++s.texts;
      s.allText += xml.readElementText(QXmlStreamReader::IncludeChildElements) + ' ';
    }
  }
  if (xml.hasError()) s.error = file + ": " + xml.errorString();
  return s;
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
