#!/usr/bin/env bash
# Installs the Debian 12 packages FlowScope needs that are missing. Idempotent; uses sudo when not
# root. Usage: packaging/install-deps.sh [--no-gui] [--bench]
#   --no-gui  skip Qt and the display/test tools (engine, CLI and engine tests only)
#   --bench   also Debian's python3-torch, the same-version Python baseline of the benchmarks
set -euo pipefail

gui=1
bench=0
for arg in "$@"; do
  case $arg in
    --no-gui) gui=0 ;;
    --bench) bench=1 ;;
    *) echo "install-deps.sh: unknown option '$arg' (expected --no-gui or --bench)" >&2; exit 2 ;;
  esac
done

# libopenblas0-openmp must be named: without it LibTorch falls back to the reference BLAS and
# training is ~6x slower.
packages=(build-essential cmake ninja-build pkg-config libtorch-dev libopenblas0-openmp libgloo-dev
          libyaml-cpp-dev libgtest-dev nlohmann-json3-dev
          zlib1g-dev libpng-dev libjpeg-dev dataset-fashion-mnist)
if [[ $gui == 1 ]]; then
  packages+=(qt6-base-dev libqt6opengl6-dev qt6-svg-dev libgl-dev
             xvfb xauth libgl1-mesa-dri imagemagick librsvg2-bin poppler-utils fonts-dejavu-core)
fi
[[ $bench == 1 ]] && packages+=(python3-torch)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
