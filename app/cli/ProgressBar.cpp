#include "ProgressBar.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "core/train/Trainer.h"

namespace flowscope::cli {

ProgressBar::ProgressBar()
    : tty_(::isatty(STDERR_FILENO) != 0), lastLine_(std::chrono::steady_clock::now()) {}

void ProgressBar::update(const TrainProgress& p) {
  const double frac = p.totalSteps > 0 ? static_cast<double>(p.step) / p.totalSteps : 0;
  const double eta = p.itPerSec > 0 ? (p.totalSteps - p.step) / p.itPerSec : 0;
  char etaText[32];
  std::snprintf(etaText, sizeof etaText, "%d:%02d", static_cast<int>(eta) / 60,
                static_cast<int>(eta) % 60);
  if (tty_) {
    constexpr int width = 28;
    const int filled = static_cast<int>(std::round(frac * width));
    std::string bar(static_cast<size_t>(filled), '#');
    bar += std::string(static_cast<size_t>(width - filled), '.');
    std::fprintf(stderr, "\r[%s] %lld/%lld loss %.4f lr %.2e %.0f it/s ETA %s   ", bar.c_str(),
                 static_cast<long long>(p.step), static_cast<long long>(p.totalSteps), p.lossMean,
                 p.lr, p.itPerSec, etaText);
    std::fflush(stderr);
    drawn_ = true;
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now - lastLine_ < std::chrono::seconds(10) && p.step < p.totalSteps) return;
  lastLine_ = now;
  std::fprintf(stderr, "step %lld/%lld (%.0f%%) loss %.4f lr %.2e %.0f it/s ETA %s\n",
               static_cast<long long>(p.step), static_cast<long long>(p.totalSteps), 100 * frac,
               p.lossMean, p.lr, p.itPerSec, etaText);
}

void ProgressBar::finish() {
  if (tty_ && drawn_) std::fprintf(stderr, "\n");
  drawn_ = false;
}

}  // namespace flowscope::cli
