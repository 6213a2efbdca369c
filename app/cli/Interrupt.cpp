#include "Interrupt.h"

#include <csignal>
#include <cstdlib>
#include <unistd.h>

namespace flowscope::cli {
namespace {

std::atomic<bool> gStop{false};
std::atomic<int> gSignal{0};

extern "C" void onSignal(int sig) {
  if (gStop.exchange(true)) std::_Exit(128 + sig);
  gSignal = sig;
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
