#!/usr/bin/env bash
# Builds FlowScope's engine, CLI and tests (GUI off) against the CUDA LibTorch 2.x inside the pip
# torch wheel, with the CUDA toolkit, into build-torch2/, and runs the engine and CLI tests on the
# CPU. Nothing CUDA runs here; the point is that the GPU build compiles, links and computes the
# same numbers. Exit 3 (with a loud message) when the package index cannot be reached.
#   packaging/build-torch2.sh [extra CMake arguments]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-torch2
venv=$("$root/packaging/install-torch2.sh")
status=$?
if [[ $status -eq 3 ]]; then
  echo "build-torch2: SKIPPED: the Python package index is unreachable, torch 2.x not installed" >&2
  exit 3
fi
[[ $status -eq 0 ]] || exit "$status"
prefix=$("$venv/bin/python" -c "import torch; print(torch.utils.cmake_prefix_path)") || exit 1
cuda=${CUDA_HOME:-/usr/local/cuda}
cuda_args=()
if [[ -x $cuda/bin/nvcc ]]; then
  cuda_args=(-DCUDAToolkit_ROOT="$cuda" -DCMAKE_CUDA_COMPILER="$cuda/bin/nvcc" -DFLOWSCOPE_WITH_CUDA=ON)
else
  echo "build-torch2: no CUDA toolkit at $cuda; the CUDA parts are not compiled" >&2
fi
# TorchConfig.cmake looks for libc10 on the system paths before its own folder and would pick
# Debian's LibTorch 1.13 copy; name the wheel's.
torch_lib=$("$venv/bin/python" -c "import torch, os; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))") || exit 1
cuda_args+=(-Dc10_LIBRARY="$torch_lib/libc10.so")
read -ra env_args <<<"${FLOWSCOPE_CMAKE_ARGS:-}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLOWSCOPE_BUILD_GUI=OFF \
      -DCMAKE_PREFIX_PATH="$prefix" "${cuda_args[@]}" "${env_args[@]}" "$@" >/dev/null || exit 1
cmake --build "$build" -j "$(nproc)" || exit 1
"$build/app/flowscope-cli" --version
# The engine's tests on the CPU; the CUDA-only tests skip themselves without a GPU.
cd "$build" && ctest --output-on-failure -j "$(nproc)" -R "^(base|engine|cli|fuzz)\." 2>&1 | tail -40
exit "${PIPESTATUS[0]}"
