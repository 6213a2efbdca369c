#pragma once
// Training progress on stderr: a redrawn bar on a terminal, a line every few seconds otherwise
// (logs of batch jobs stay readable).

#include <chrono>
#include <cstdint>
#include <string>

namespace flowscope {
struct TrainProgress;
}

namespace flowscope::cli {

class ProgressBar {
 public:
  ProgressBar();
  void update(const TrainProgress& p);
  void finish();

 private:
  bool tty_;
  std::chrono::steady_clock::time_point lastLine_;
  bool drawn_ = false;
};

}  // namespace flowscope::cli
