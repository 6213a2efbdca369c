#pragma once
// SIGINT, SIGTERM, SIGHUP and SIGQUIT ask the running command to stop cleanly (the trainer
// checkpoints first); a second signal exits at once.

#include <atomic>

namespace flowscope::cli {

/// Installs the handler and returns the flag it sets.
const std::atomic<bool>& installInterruptHandler();

/// The signal that set the flag (0 when none): exit with 128 + it, the shell's convention.
int interruptSignal();

}  // namespace flowscope::cli
