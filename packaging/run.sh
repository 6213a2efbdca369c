#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: installs what is missing, builds, then trains the
# default experiment (resources/presets/checkerboard-fm-ot.yaml) into runs/checkerboard-fm-ot and
# writes 20,000 dopri5 samples to runs/checkerboard-fm-ot/samples/samples.npy.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/packaging/install-deps.sh"
"$root/packaging/build.sh"
cli="$root/build/app/flowscope-cli"
run="$root/runs/checkerboard-fm-ot"
if [[ -f $run/checkpoints/latest.pt ]]; then
  "$cli" train --out "$run" --resume
else
  "$cli" train --config "$root/resources/presets/checkerboard-fm-ot.yaml" --out "$run"
fi
"$cli" sample --run "$run" --n 20000 --solver dopri5 --out "$run/samples/samples.npy"
