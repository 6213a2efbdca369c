#pragma once
// Ctrl-C asks the running command to stop cleanly (the trainer checkpoints first); a second
// Ctrl-C exits at once.

#include <atomic>

namespace flowscope::cli {

/// Installs the SIGINT/SIGTERM handler and returns the flag it sets.
const std::atomic<bool>& installInterruptHandler();

}  // namespace flowscope::cli
