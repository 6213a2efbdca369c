#pragma once
// Helpers for widget tests: temporary folders, a tiny trained run made through the engine's API,
// and waiting on the event loop for a condition.

#include <QString>

#include <functional>

#include "core/config/ExperimentConfig.h"

namespace flowscope::test {

/// A fresh temporary folder, removed by the destructor.
class TempFolder {
 public:
  TempFolder();
  ~TempFolder();
  QString path() const { return path_; }
  QString file(const QString& name) const;

 private:
  QString path_;
};

/// A small, fast experiment (MLP 32x2, 1 thread).
ExperimentConfig tinyExperiment(int64_t steps = 200);

/// Trains `config` to the end in `runDir` through core/api (blocking; test set-up only).
void trainRun(const ExperimentConfig& config, const QString& runDir);

/// Trained runs that tests only read, trained once for the whole suite.
enum class SharedRun {
  Tiny,          ///< tinyExperiment(300): FM-OT on the checkerboard, checkpoints every 50 steps
  TinyVp,        ///< the same on the VP path and eight_gaussians (another data range)
  Checkerboard,  ///< 64x3, 1500 steps: learns the squares (~0.77 of the mass on black)
  Images,        ///< FM-OT, a tiny U-Net on tinyImageData(), 30 steps, checkpoints every 10
  ImagesVp,      ///< the same on the VP path
};
/// The folder of a tiny MNIST-layout dataset (tests/common/TinyIdx.h), written once.
QString tinyImageData();
ExperimentConfig sharedRunConfig(SharedRun which);
/// The run folder: under $FLOWSCOPE_TEST_RUNS when ctest's fixture (gui.SharedRunsFixture) trained
/// it there, else trained into a temporary folder on first use in this process. Never write to
/// it: copy it first (copyRun) to train on.
QString sharedRun(SharedRun which);
/// Copies a run folder (config, metrics, checkpoints) to `to`.
void copyRun(const QString& from, const QString& to);

/// What an exported SVG holds, element by element (vector output must stay vector, text text).
struct SvgSummary {
  QString error;       ///< empty when the file opened and parsed as XML
  int paths = 0;       ///< <path>
  int polylines = 0;   ///< <polyline> (curves stroked with drawPolyline)
  int texts = 0;       ///< <text>
  int images = 0;      ///< <image>: rasterized content
  QString allText;     ///< the text elements' contents, space separated
  int vectors() const { return paths + polylines; }
};
SvgSummary summarizeSvg(const QString& file);

/// Processes events until `done()` or `timeoutMs`; returns done().
bool waitUntil(const std::function<bool()>& done, int timeoutMs = 20000);

}  // namespace flowscope::test
