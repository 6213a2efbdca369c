#!/usr/bin/env bash
# The desktop app as a process (issue 10, items 1, 8, 18, 19): --help without a display,
# --session reaching FlowScope past Qt's session management, signals that stop training with a
# checkpoint and exit 128 + signal, and the screenshot written only when complete.
# Usage: app_process_test.sh APP
set -u
app=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# 18: no display, no platform plugin that works: --help must still answer (it used to abort).
out=$(env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM=xcb "$app" --help 2>&1)
rc=$?
[[ $rc -eq 0 && $out == *"--session FILE"* ]] || fail "--help without a display: exit $rc: $out"

export QT_QPA_PLATFORM=offscreen
# 1: --session FILE (two words) must reach FlowScope: a missing session is an error, not a
# silent success (Qt used to take the option out of argv).
for form in "--session" "-session"; do
  out=$(timeout 60 "$app" $form "$work/missing.flowscope" --quit 2>&1)
  rc=$?
  [[ $rc -ne 0 && $out == *"missing.flowscope"* ]] || fail "$form FILE ignored: exit $rc: $out"
done
out=$(timeout 60 "$app" --session="$work/missing.flowscope" --quit 2>&1)
[[ $? -ne 0 ]] || fail "--session=FILE ignored: $out"

# 8: a signal while training checkpoints and stops, like the CLI (checkpoint_every is far away,
# so a checkpoint exists only if the signal wrote one).
cat >"$work/long.yaml" <<'YAML'
name: long
model:
  width: 16
  depth: 1
training:
  steps: 1000000
  batch_size: 32
  threads: 1
  log_every: 5
  checkpoint_every: 500000
YAML
for sig in TERM HUP INT; do
  runs="$work/runs-$sig"
  # A watchdog rather than timeout(1), whose double delivery is tested below. Its output goes
  # to /dev/null and its sleep is killed with it: an orphaned sleep holding ctest's pipe open
  # kept this test waiting 120 s after it had finished.
  "$app" --experiment "$work/long.yaml" --runs-dir "$runs" --train --quit >"$work/app-$sig.log" 2>&1 &
  pid=$!
  (exec >/dev/null 2>&1; sleep 120 & wait $!; [[ -e $work/done-$sig ]] || kill -9 "$pid") &
  watchdog=$!
  for _ in $(seq 600); do
    rows=$(cat "$runs"/*/metrics.csv 2>/dev/null | wc -l)
    [[ $rows -ge 4 ]] && break
    sleep 0.1
  done
  kill -s "$sig" "$pid"
  wait "$pid"
  rc=$?
  touch "$work/done-$sig"
  pkill -P "$watchdog" sleep
  want=$((128 + $(kill -l "$sig")))
  [[ $rc -eq $want ]] || fail "SIG$sig: exit $rc (expected $want): $(cat "$work/app-$sig.log")"
  ls "$runs"/*/checkpoints/latest.pt >/dev/null 2>&1 || fail "SIG$sig: no checkpoint written: $(ls -R "$runs")"
done

# Under timeout(1), whose SIGTERM arrives twice: still one clean stop with a checkpoint.
timeout -s TERM 15 "$app" --experiment "$work/long.yaml" --runs-dir "$work/runs-timeout" --train --quit \
  >"$work/app-timeout.log" 2>&1
rc=$?
[[ $rc -eq 124 ]] && ls "$work"/runs-timeout/*/checkpoints/latest.pt >/dev/null 2>&1 ||
  fail "under timeout: exit $rc, no checkpoint: $(cat "$work/app-timeout.log")"

# 19: a screenshot that cannot be written completely (writes past 16 KiB fail, as on a full disk)
# leaves no truncated PNG and no temporary file behind.
mkdir -p "$work/full"
bash -c 'ulimit -f 16; trap "" XFSZ; exec timeout 60 "$0" --screenshot "$1" --quit' "$app" "$work/full/shot.png" \
  >"$work/full.log" 2>&1 && fail "a screenshot past the file size limit succeeded"
[[ -z $(ls -A "$work/full") ]] || fail "a failed screenshot left files: $(ls -lA "$work/full")"
timeout 60 "$app" --screenshot "$work/shot.png" --quit >/dev/null 2>&1 || fail "screenshot failed"
head -c 8 "$work/shot.png" | grep -q PNG || fail "screenshot is not a PNG"
ls "$work" | grep -q "shot.png.tmp" && fail "screenshot left a temporary file"

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
