#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: installs what is missing, builds, and opens the
# FlowScope desktop app with the default experiment (resources/presets/checkerboard-fm-ot.yaml)
# loaded in the editor, ready to train (F5). Extra arguments go to the app (flowscope --help).
# Without a display it runs the app offscreen instead: trains the default experiment for 3,000
# steps, runs the NFE vs quality sweep, and exports every panel and a screenshot to runs/demo/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/packaging/install-deps.sh"
"$root/packaging/build.sh"
app="$root/build/app/gui/flowscope"
if [[ -n ${DISPLAY:-} || -n ${WAYLAND_DISPLAY:-} ]]; then
  exec "$app" "$@"
fi
echo "run.sh: no display; running the app offscreen (figures in $root/runs/demo)"
mkdir -p "$root/runs/demo"
QT_QPA_PLATFORM=offscreen "$app" --experiment "$root/resources/presets/checkerboard-fm-ot.yaml" \
  --runs-dir "$root/runs/demo" --train --steps 3000 --sweep --export-all "$root/runs/demo/figures" \
  --screenshot "$root/runs/demo/flowscope.png" --quit "$@"
