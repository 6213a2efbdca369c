#include "GuiTestSupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QThread>
#include <QUuid>
#include <QXmlStreamReader>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "core/api/TrainingJob.h"
#include "tests/common/TinyIdx.h"

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

ExperimentConfig sharedRunConfig(SharedRun which) {
  ExperimentConfig c = tinyExperiment(300);
  switch (which) {
    case SharedRun::Tiny: break;
    case SharedRun::TinyVp:
      c.name = "tiny-vp";
      c.path.name = "vp";
      c.data.name = "eight_gaussians";
      break;
    case SharedRun::Images:
    case SharedRun::ImagesVp:
      c.name = which == SharedRun::Images ? "tiny-images" : "tiny-images-vp";
      c.path.name = which == SharedRun::Images ? "cond_ot" : "vp";
      c.data.name = "mnist";
      c.data.root = tinyImageData().toStdString();
      c.data.loader_threads = 0;
      c.model.name = "unet";
      c.model.preset = "fashion_mnist28";
      c.model.channels = 8;
      c.model.groups = 4;
      c.training.steps = 30;
      c.training.batch_size = 8;
      c.training.checkpoint_every = 10;
      c.optimizer.lr = 3e-3;
      c.ema.decay = 0.5;
      c.sampling.solver = "midpoint";
      c.sampling.steps = 8;
      break;
    case SharedRun::Checkerboard:
      c = tinyExperiment(1500);
      c.name = "checkerboard";
      c.model.width = 64;
      c.model.depth = 3;
      c.training.batch_size = 256;
      c.optimizer.lr = 5e-3;
      break;
  }
  return c;
}

QString tinyImageData() {
  static TempFolder folder;
  const char* shared = std::getenv("FLOWSCOPE_TEST_RUNS");
  const QString dir = shared ? QDir(QString::fromLocal8Bit(shared)).filePath("tiny-idx") : folder.file("tiny-idx");
  if (!QFileInfo::exists(dir + "/t10k-labels-idx1-ubyte")) writeIdxFolder(dir.toStdString(), 40);
  return dir;
}

QString sharedRun(SharedRun which) {
  const QString name = QString::fromStdString(sharedRunConfig(which).name);
  if (const char* dir = std::getenv("FLOWSCOPE_TEST_RUNS")) {
    const QString path = QDir(QString::fromLocal8Bit(dir)).filePath(name);
    if (QFileInfo::exists(path + "/checkpoints/latest.pt")) return path;
  }
  static TempFolder folder;  // this process's own copies
  const QString path = folder.file(name);
  if (!QFileInfo::exists(path + "/checkpoints/latest.pt")) trainRun(sharedRunConfig(which), path);
  return path;
}

void copyRun(const QString& from, const QString& to) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(to.toStdString()).parent_path(), ec);
  std::filesystem::copy(from.toStdString(), to.toStdString(),
                        std::filesystem::copy_options::recursive | std::filesystem::copy_options::copy_symlinks, ec);
  if (ec) throw std::runtime_error("copyRun " + from.toStdString() + " to " + to.toStdString() + ": " + ec.message());
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
