#include "Interrupt.h"

#include <csignal>
#include <initializer_list>
#include <cstdlib>
#include <time.h>
#include <unistd.h>

namespace flowscope::cli {
namespace {

std::atomic<bool> gStop{false};
std::atomic<int> gSignal{0};

std::atomic<long long> gFirstNs{0};

long long nowNs() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);  // async-signal-safe
  return static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

extern "C" void onSignal(int sig) {
  // A repeat within a second is the same request delivered twice (timeout(1) and service
  // managers signal the process and its group), not a user insisting.
  const long long now = nowNs();
  long long first = 0;
  if (!gFirstNs.compare_exchange_strong(first, now)) {
    if (now - first < 1000000000LL) return;
    std::_Exit(128 + sig);
  }
  gSignal = sig;
  gStop = true;
  const char msg[] = "\nstopping after this step (Ctrl-C again to quit at once)\n";
  [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, msg, sizeof msg - 1);
}

}  // namespace

const std::atomic<bool>& installInterruptHandler() {
  for (const int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) std::signal(sig, onSignal);
  return gStop;
}

int interruptSignal() { return gSignal.load(); }

}  // namespace flowscope::cli
