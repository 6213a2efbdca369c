#!/usr/bin/env bash
# End-to-end checks of the app's scripted mode (issue 4, item 7) on Qt's offscreen platform:
# experiment -> train -> NFE sweep -> export of every panel -> screenshot -> quit, the run folder
# usable by the CLI afterwards, and bad input reported with exit code and message.
# Usage: app_script_test.sh APP CLI
set -u
app=$1
cli=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen
export XDG_CONFIG_HOME="$work/config"  # the app keeps QSettings; not in the user's
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cat >"$work/tiny.yaml" <<'YAML'
name: tiny
model:
  width: 16
  depth: 1
training:
  steps: 40
  batch_size: 64
  threads: 1
  checkpoint_every: 20
evaluation:
  every: 1000
YAML

out=$("$app" --experiment "$work/tiny.yaml" --runs-dir "$work/runs" --train --sweep \
  --export-all "$work/fig" --screenshot "$work/shot.png" --quit 2>&1)
rc=$?
[[ $rc -eq 0 ]] || fail "scripted run exited $rc: $out"
# Every panel in every format, none empty.
for panel in training-monitor density-tiny field-learned-tiny side-by-side checkpoint-time nfe-quality data; do
  for ext in png svg pdf csv; do
    [[ -s $work/fig/$panel.$ext ]] || fail "missing or empty $panel.$ext"
  done
done
head -c 8 "$work/shot.png" | grep -q PNG || fail "screenshot is not a PNG"
# --sweep filled the NFE panel: one CSV row per solve, euler and dopri5 among them.
grep -q '^tiny,euler,1,' "$work/fig/nfe-quality.csv" || fail "no euler rows in nfe-quality.csv"
grep -q '^tiny,dopri5,' "$work/fig/nfe-quality.csv" || fail "no dopri5 rows in nfe-quality.csv"
grep -q '<svg' "$work/fig/nfe-quality.svg" || fail "nfe-quality.svg is not SVG"
# The run folder the app wrote is a CLI run: trained to the end, sampleable.
[[ -f $work/runs/tiny/checkpoints/step_00000040.pt ]] || fail "no step-40 checkpoint"
"$cli" sample --run "$work/runs/tiny" --n 10 --out "$work/s.npy" >/dev/null 2>&1 || fail "CLI cannot sample the app's run"
# Nothing half-written is left behind by the exports.
ls -a "$work/fig" | grep -Eq '\.tmp|~$' && fail "temporary files left in the export folder"

# --runs-dir holds every run the app creates, also the editor's experiment trained by --train
# (as F5 does), and it does not replace the runs folder saved in the settings.
out=$("$app" --runs-dir "$work/editor-runs" --train --steps 2 --quit 2>&1)
rc=$?
[[ $rc -eq 0 ]] || fail "--runs-dir --train exited $rc: $out"
ls "$work"/editor-runs/*/config.yaml >/dev/null 2>&1 || fail "the editor's run is not under --runs-dir: $(ls -R "$work/editor-runs" 2>&1 | head -5)"
grep -rqs "editor-runs" "$work/config" && fail "--runs-dir was saved in the settings"

# Bad input: a message naming the problem, a non-zero exit, no crash.
expect() {
  local code=$1 pattern=$2
  shift 3
  local o r
  o=$("$@" 2>&1)
  r=$?
  if [[ $r -ne $code ]] || ! grep -Eq -- "$pattern" <<<"$o"; then
    fail "$* -> exit $r (expected $code), output: $o"
  else
    echo "ok: $*"
  fi
}
printf 'model:\n  width: wide\n' >"$work/bad.yaml"
expect 1 "bad.yaml:2:10: key 'model.width': got 'wide'" -- "$app" --experiment "$work/bad.yaml" --quit
expect 1 "nope is not a FlowScope run" -- "$app" --run "$work/nope" --quit
# A damaged metrics line is skipped with a warning naming the file and line; the run still opens.
sed -i '1a 3,not a number,@@' "$work/runs/tiny/metrics.csv"
expect 0 "warning: .*metrics.csv:2: skipped a damaged row" -- "$app" --run "$work/runs/tiny" --quit
printf 'PK\x03\x04 truncated' >"$work/runs/tiny/checkpoints/latest.pt"
expect 1 "latest.pt" -- "$app" --run "$work/runs/tiny" --quit
expect 2 "--steps: got '0' \(expected an integer in \[1, 1000000000000\]\)" -- "$app" --steps 0 --quit
expect 2 "--steps: got '4294967297000000' \(expected an integer in \[1, 1000000000000\]\)" -- "$app" --steps 4294967297000000 --quit
expect 2 "unknown option '--bogus'" -- "$app" --bogus

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
