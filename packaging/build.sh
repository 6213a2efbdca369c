#!/usr/bin/env bash
# Configures and builds FlowScope into build/ (Release, Ninja). Extra arguments go to CMake's
# configure step, e.g. packaging/build.sh -DFLOWSCOPE_BUILD_GUI=OFF
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$root/build" -j "$(nproc)"
