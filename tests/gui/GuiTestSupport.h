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

/// What an exported SVG holds, element by element (vector output must stay vector, text text).
struct SvgSummary {
  QString error;       ///< empty when the file opened and parsed as XML
  int paths = 0;       ///< <path>
  int polylines = 0;   ///< <polyline> (Qt Charts strokes curves with drawPolyline)
  int texts = 0;       ///< <text>
  int images = 0;      ///< <image>: rasterized content
  QString allText;     ///< the text elements' contents, space separated
  int vectors() const { return paths + polylines; }
};
SvgSummary summarizeSvg(const QString& file);

/// Processes events until `done()` or `timeoutMs`; returns done().
bool waitUntil(const std::function<bool()>& done, int timeoutMs = 20000);

}  // namespace flowscope::test
