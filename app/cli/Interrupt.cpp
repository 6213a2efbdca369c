#include "Interrupt.h"

#include "core/util/StopSignals.h"

namespace flowscope::cli {

const std::atomic<bool>& installInterruptHandler() {
  installStopSignals("\nstopping after this step (Ctrl-C again to quit at once)\n");
  return stopRequested();
}

int interruptSignal() { return stopSignal(); }

}  // namespace flowscope::cli
