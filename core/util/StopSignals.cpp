#include "core/util/StopSignals.h"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <time.h>
#include <unistd.h>

namespace flowscope {
namespace {

std::atomic<bool> gStop{false};
std::atomic<int> gSignal{0};
std::atomic<long long> gFirstNs{0};
const char* gNotice = "";

long long nowNs() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);  // async-signal-safe
  return static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

extern "C" void onStopSignal(int sig) {
  const long long now = nowNs();
  long long first = 0;
  if (!gFirstNs.compare_exchange_strong(first, now)) {
    if (now - first < 1000000000LL) return;
    std::_Exit(128 + sig);
  }
  gSignal = sig;
  gStop = true;
  [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, gNotice, std::strlen(gNotice));
}

}  // namespace

void installStopSignals(const char* notice) {
  gNotice = notice;
  for (const int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) std::signal(sig, onStopSignal);
}

const std::atomic<bool>& stopRequested() { return gStop; }

int stopSignal() { return gSignal.load(); }

}  // namespace flowscope
