#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: installs what is missing, builds, runs ctest.
# GL tests need a display: the suite runs under a virtual X server (xvfb-run).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/packaging/install-deps.sh"
"$root/packaging/build.sh"
cd "$root/build"
xvfb-run -a -s "-screen 0 1280x800x24" ctest --output-on-failure -j "$(nproc)" "$@"
