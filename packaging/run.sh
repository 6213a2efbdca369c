#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: installs what is missing, builds, and opens the
# FlowScope desktop app training FM-OT (the default experiment) and FM-VP (the diffusion path of
# eq. 18) on the checkerboard for 3,000 steps each, side by side from the same noise; every other
# panel follows them live, and F5 continues training. Extra arguments go to the app.
# Without a display it runs the app offscreen instead: the same two runs, then the NFE vs quality
# sweep of both, and every panel and a screenshot exported to runs/demo/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/packaging/install-deps.sh"
"$root/packaging/build.sh"
app="$root/build/app/gui/flowscope"
presets=$root/resources/presets
demo=(--experiment "$presets/checkerboard-fm-ot.yaml" --experiment "$presets/checkerboard-fm-vp.yaml"
      --runs-dir "$root/runs/demo" --train --steps 3000 --view "Side by side")
mkdir -p "$root/runs/demo"
if [[ -n ${DISPLAY:-} || -n ${WAYLAND_DISPLAY:-} ]]; then
  exec "$app" "${demo[@]}" "$@"
fi
echo "run.sh: no display; running the app offscreen (figures in $root/runs/demo)"
QT_QPA_PLATFORM=offscreen "$app" "${demo[@]}" --sweep --export-all "$root/runs/demo/figures" \
  --screenshot "$root/runs/demo/flowscope.png" --quit "$@"
