#!/usr/bin/env bash
# Builds and tests FlowScope's engine (core, CLI, tests; GUI off) against the CUDA LibTorch inside
# a Python torch install, on a GPU server without Qt or a package registry. yaml-cpp, GoogleTest
# and the image decoders' headers come from Debian .deb files unpacked into a folder (never into /).
#
# Usage: packaging/build-cuda.sh [DEBS_DIR] [LOG_DIR]
#   DEBS_DIR  folder with libyaml-cpp-dev, libyaml-cpp0.7, libgtest-dev, googletest, zlib1g-dev,
#             libpng-dev, libpng16-16, libjpeg62-turbo-dev, libjpeg62-turbo .debs (default: .deps);
#             skipped when they are already installed
#   LOG_DIR   where build.log, test.log and bench.log go (default: build-cuda/logs)
# Then: build-cuda/app/flowscope-cli bench train --device cuda
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
debs=${1:-$root/.deps}
build=$root/build-cuda
logs=${2:-$build/logs}
mkdir -p "$logs"

prefix=$(python3 -c "import torch; print(torch.utils.cmake_prefix_path)") || {
  echo "build-cuda: python3 with torch is required (its LibTorch is the CUDA build)" >&2; exit 1; }
deps=/tmp/flowscope-deps
if ls "$debs"/*.deb >/dev/null 2>&1; then
  mkdir -p "$deps"
  for f in "$debs"/*.deb; do dpkg -x "$f" "$deps"; done
  prefix="$prefix;$deps/usr"
fi
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)

{
  python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'no GPU')"
  cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DFLOWSCOPE_BUILD_GUI=OFF \
        -DCMAKE_PREFIX_PATH="$prefix" &&
  cmake --build "$build" -j "$(nproc)"
} 2>&1 | tee "$logs/build.log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || { echo "build-cuda: build failed, see $logs/build.log" >&2; exit 1; }

# Engine tests on the GPU machine (FLOWSCOPE_TEST_DEVICE=cuda makes device-aware tests use it).
(cd "$build" && FLOWSCOPE_TEST_DEVICE=cuda ctest --output-on-failure -j 4) 2>&1 | tee "$logs/test.log"
status=${PIPESTATUS[0]}
{
  "$build/app/flowscope-cli" bench train --device cuda --width 512 --depth 4 --batch 4096 --steps 200
  "$build/app/flowscope-cli" bench train --device cuda --width 256 --depth 4 --batch 1024 --steps 200
  "$build/app/flowscope-cli" bench sample --device cuda --n 100000 --steps 100
  "$build/app/flowscope-cli" bench sample --device cuda --n 100000 --solver dopri5
} 2>&1 | tee "$logs/bench.log"
exit "$status"
