#pragma once
// SIGINT, SIGTERM, SIGHUP and SIGQUIT as stop requests, for the CLI and the app alike: the first
// sets a flag and prints `notice`; a repeat within a second is the same request delivered twice
// (timeout(1) and service managers signal the process and its group); a later one exits at once
// with 128 + the signal. Torch-free.

#include <atomic>

namespace flowscope {

/// Installs the handlers; `notice` must outlive the process (a string literal).
void installStopSignals(const char* notice);

/// Set by the first signal.
const std::atomic<bool>& stopRequested();

/// The signal that asked to stop (0 when none): exit with 128 + it, the shell's convention.
int stopSignal();

}  // namespace flowscope
