#!/usr/bin/env bash
# Configures and builds FlowScope into build/ (Release, Ninja). Extra arguments go to CMake's
# configure step, e.g. packaging/build.sh -DFLOWSCOPE_BUILD_GUI=OFF; so does FLOWSCOPE_CMAKE_ARGS
# from the environment (CI sets -DFLOWSCOPE_WERROR=ON through it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
read -ra env_args <<<"${FLOWSCOPE_CMAKE_ARGS:-}"
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release "${env_args[@]}" "$@" >/dev/null
cmake --build "$root/build" -j "$(nproc)"
