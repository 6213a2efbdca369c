#include "Interrupt.h"

#include <csignal>
#include <cstdlib>
#include <unistd.h>

namespace flowscope::cli {
namespace {

std::atomic<bool> gStop{false};

extern "C" void onSignal(int) {
  if (gStop.exchange(true)) std::_Exit(130);
  const char msg[] = "\nstopping after this step (Ctrl-C again to quit at once)\n";
  [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, msg, sizeof msg - 1);
}

}  // namespace

const std::atomic<bool>& installInterruptHandler() {
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  return gStop;
}

}  // namespace flowscope::cli
