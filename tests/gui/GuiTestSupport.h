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

/// Processes events until `done()` or `timeoutMs`; returns done().
bool waitUntil(const std::function<bool()>& done, int timeoutMs = 20000);

}  // namespace flowscope::test
