#!/usr/bin/env bash
# End-to-end checks of flowscope-cli: exit codes, error messages that name the bad argument, key
# or file, and a tiny train -> sample -> resume round trip. Usage: cli_test.sh CLI SOURCE_DIR
set -u
cli=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# expect CODE PATTERN -- command...: runs the command, checks exit code and that stdout+stderr
# match the extended regex PATTERN.
expect() {
  local code=$1 pattern=$2
  shift 3
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [[ $rc -ne $code ]] || ! grep -Eq -- "$pattern" <<<"$out"; then
    echo "FAIL: $* -> exit $rc (expected $code), output:"
    echo "$out" | sed 's/^/    /'
    echo "    (expected to match: $pattern)"
    failures=$((failures + 1))
  else
    echo "ok: $*"
  fi
}

preset=$src/resources/presets/checkerboard-fm-ot.yaml
tiny=(--set training.steps=30 --set training.checkpoint_every=10 --set model.width=16
      --set model.depth=1 --set training.batch_size=32 --set training.device=cpu
      --set evaluation.every=15 --set evaluation.n_samples=50 --set training.threads=1 --quiet)

expect 2 "usage: flowscope-cli" -- "$cli"
expect 0 "commands:" -- "$cli" --help
expect 2 "unknown command 'trian'" -- "$cli" trian
expect 0 "--resume" -- "$cli" train --help
expect 0 "--times" -- "$cli" sample --help
expect 0 "it_per_s" -- "$cli" bench --help
# The BLAS kernel in use is named; JSON through a library parses (non-finite values are null).
if "$cli" --version | grep -q "^BLAS: OpenBLAS"; then  # Debian's LibTorch; the pip wheel has MKL
  expect 0 "^BLAS: OpenBLAS .*chosen by" -- "$cli" --version
  expect 0 "chosen by user \\(OPENBLAS_CORETYPE\\)" -- env OPENBLAS_CORETYPE=Haswell "$cli" --version
  expect 0 '"bench":"gemm".*"blas_kernel":"[A-Za-z]+"' -- "$cli" bench gemm --size 64 --repeats 1
else
  expect 0 "^BLAS: not OpenBLAS" -- "$cli" --version
  expect 0 '"bench":"gemm".*"blas_kernel":""' -- "$cli" bench gemm --size 64 --repeats 1
fi
out=$("$cli" bench gemm --size 128 --repeats 1 --threads 1 --blas-baseline 2>&1)
if ! python3 -c 'import json,sys; j=json.loads(sys.argv[1]); assert j["max_abs_error_vs_float64"] < 1e-2, j; b=j["blas_baseline"]; assert b is None or (b["gflops"] > 0 and j["ratio_over_blas_baseline"] > 0), j' "$out"; then
  echo "FAIL: bench gemm --blas-baseline JSON: $out"; failures=$((failures + 1))
else
  echo "ok: bench gemm --blas-baseline JSON"
fi
# bench unet: one training step of the small U-Net at batch 2 prints its JSON line (a few seconds).
out=$("$cli" bench unet --steps 1 --warmup 0 --preset fashion_mnist28 --batch 2 --threads 1 2>&1)
if ! python3 -c 'import json,sys; j=json.loads(sys.argv[1]); assert j["bench"] == "unet" and j["mode"] == "train" and j["preset"] == "fashion_mnist28", j; assert j["parameters"] == 1191233 and j["batch"] == 2 and j["image_shape"] == [1, 28, 28], j; assert j["img_per_s"] > 0 and j["ms_per_step"] > 0 and j["peak_rss_mb"] > 0, j; assert "cpu" in j and "blas_kernel" in j, j' "$out"; then
  echo "FAIL: bench unet JSON: $out"; failures=$((failures + 1))
else
  echo "ok: bench unet JSON"
fi
expect 2 "--preset: unknown U-Net preset 'nope'" -- "$cli" bench unet --preset nope
expect 2 "--out is required" -- "$cli" train --config "$preset"
expect 2 "did you mean --config" -- "$cli" train --confg "$preset" --out "$work/x"
expect 1 "nope.yaml: cannot open" -- "$cli" train --config "$work/nope.yaml" --out "$work/x"

# Issue 10: config files and values that used to train the defaults, crash or be misread.
expect 1 "is a directory \(expected a regular file" -- "$cli" train --config "$work" --out "$work/x"
expect 1 "/dev/null: is a character device" -- "$cli" train --config /dev/null --out "$work/x"
expect 1 "/dev/zero: is a character device" -- timeout 20 "$cli" train --config /dev/zero --out "$work/x"
: >"$work/empty.yaml"
expect 1 "empty.yaml: holds no settings" -- "$cli" train --config "$work/empty.yaml" --out "$work/x"
printf '# only a comment\n' >"$work/comment.yaml"
expect 1 "comment.yaml: holds no settings" -- "$cli" train --config "$work/comment.yaml" --out "$work/x"
expect 2 "--out: got an empty value" -- "$cli" train --config "$preset" --out ''
printf 'model: {width: 32, width: 9999}\n' >"$work/dup.yaml"
expect 1 "dup.yaml:1:20: key 'model.width' appears twice" -- "$cli" train --config "$work/dup.yaml" --out "$work/x"
expect 1 "--set optimizer.lr=1e308: key 'optimizer.lr': got 1e\+308 \(expected a number in \(0, 10\]\)" -- \
  "$cli" train --config "$preset" --set optimizer.lr=1e308 --out "$work/x"
expect 1 "training.device: 'cuda:1' (requested but no CUDA device|but only 1 CUDA)" -- \
  "$cli" train --config "$preset" --set training.steps=2 --set training.device=cuda:1 --quiet --out "$work/cuda"
[[ ! -e $work/x ]] || { echo "FAIL: a rejected train left $work/x"; failures=$((failures + 1)); }
expect 0 "datasets \(data.name\):" -- "$cli" train --help
expect 0 "  two_moons  " -- "$cli" train --help
expect 0 "solvers \(sampling.solver\):" -- "$cli" train --help
expect 0 "models \(model.name\):" -- "$cli" train --help
expect 0 "up to date" -- "$cli" docs --check "$src/docs/configuration.md" "$src/docs/datasets.md"
expect 1 "--set model.width=wide: key 'model.width': got 'wide' \(expected an integer in \[1, 65536\]\)" -- \
  "$cli" train --config "$preset" --set model.width=wide --out "$work/x"
expect 1 "unknown key 'model.widht'" -- "$cli" train --config "$preset" --set model.widht=3 --out "$work/x"

printf 'model:\n  width: 64\n   depth: 2\n' >"$work/bad.yaml"
expect 1 "bad.yaml:3:.*YAML syntax error" -- "$cli" train --config "$work/bad.yaml" --out "$work/x"
printf 'data:\n  name: points\n  file: pts.npy\n' >"$work/points.yaml"
printf 'garbage' >"$work/pts.npy"
expect 1 "data.file.*pts.npy" -- "$cli" train --config "$work/points.yaml" --out "$work/x"

expect 0 "trained checkerboard-fm-ot to step 30" -- "$cli" train --config "$preset" "${tiny[@]}" --out "$work/run"
[[ -f $work/run/config.yaml && -f $work/run/metrics.csv && -f $work/run/checkpoints/step_00000020.pt ]] ||
  { echo "FAIL: run folder incomplete"; ls -R "$work/run"; failures=$((failures + 1)); }
grep -q "^step,loss,lr,it_per_s,elapsed_s,nfe,eval_s,sliced_w2,energy,kl_hist,js_hist,sample_nll,off_support,frac_black$" "$work/run/metrics.csv" ||
  { echo "FAIL: metrics.csv header"; head -2 "$work/run/metrics.csv"; failures=$((failures + 1)); }
expect 1 "already holds a run" -- "$cli" train --config "$preset" "${tiny[@]}" --out "$work/run"

expect 0 "nfe [0-9]+ .*wrote .*s.npy \[64, 2\]" -- "$cli" sample --run "$work/run" --n 64 --out "$work/s.npy"
head -c 128 "$work/s.npy" | grep -q "'shape': (64, 2)" || { echo "FAIL: npy header"; failures=$((failures + 1)); }
expect 0 "nfe 40 .*\[3, 10, 2\]" -- "$cli" sample --run "$work/run" --n 10 --solver rk4 --steps 10 \
  --times 0,0.5,1 --checkpoint 20 --no-ema --out "$work/traj.npy"
head -c 128 "$work/traj.npy" | grep -q "'shape': (3, 10, 2)" || { echo "FAIL: traj header"; failures=$((failures + 1)); }
expect 2 "--solver: got 'rk45' \(expected one of: euler, midpoint, heun, rk4, dopri5\)" -- "$cli" sample --run "$work/run" --n 5 --solver rk45 --out "$work/a.npy"
expect 2 "--n: got 'ten'" -- "$cli" sample --run "$work/run" --n ten --out "$work/a.npy"
expect 2 "--times: got '1.5' \(expected a number in \[0, 1\]\)" -- "$cli" sample --run "$work/run" --n 5 --times 0,1.5 --out "$work/a.npy"
expect 1 "no checkpoint for step 7.*available: 10, 20, 30" -- "$cli" sample --run "$work/run" --n 5 --checkpoint 7 --out "$work/a.npy"
expect 1 "run folder does not exist" -- "$cli" sample --run "$work/none" --n 5 --out "$work/a.npy"
expect 2 "ending in .npy" -- "$cli" sample --run "$work/run" --n 5 --out "$work/a.txt"

# Measurements (issue 3): likelihood, eval and sweep on the tiny run.
expect 0 '"n":20,"nfe":[0-9]+,"nll":[0-9.e-]+' -- "$cli" likelihood --run "$work/run" --dataset checkerboard \
  --n 20 --solver rk4 --steps 8 --out "$work/logp.npy"
head -c 128 "$work/logp.npy" | grep -q "'shape': (20,)" || { echo "FAIL: logp header"; failures=$((failures + 1)); }
expect 0 '"nll":' -- "$cli" likelihood --run "$work/run" --data "$work/s.npy" --hutchinson 2 --solver midpoint \
  --steps 4 --out "$work/logp2.npy"
# likelihood streams in chunks (issue 10, item 14): a mapped float32 .npy read 8 points at a time
# gives the same per-point log p, bit for bit, as one chunk (same --batch), and the same summary.
one=$("$cli" likelihood --run "$work/run" --data "$work/s.npy" --solver rk4 --steps 4 --batch 8 --out "$work/l1.npy" 2>&1)
many=$("$cli" likelihood --run "$work/run" --data "$work/s.npy" --solver rk4 --steps 4 --batch 8 --chunk 8 --out "$work/l8.npy" 2>&1)
if cmp -s "$work/l1.npy" "$work/l8.npy" && python3 -c 'import json,sys; a,b=(json.loads(x) for x in sys.argv[1:]); assert a["n"]==b["n"]>8 and abs(a["nll"]-b["nll"])<1e-9 and abs(a["nll_stderr"]-b["nll_stderr"])<1e-9, (a,b)' "$one" "$many"; then
  echo "ok: likelihood in chunks of 8 equals one chunk"
else
  echo "FAIL: likelihood in chunks: $one / $many"; failures=$((failures + 1))
fi
expect 2 "--hutchinson: got '0' \(expected an integer in \[1, 4096\]\)" -- "$cli" likelihood --run "$work/run" --dataset checkerboard --n 5 \
  --hutchinson 0 --out "$work/a.npy"
expect 0 '"frac_black":[0-9.e-]+.*"nll_stderr":[0-9.e-]+' -- "$cli" eval --run "$work/run" --n 50 --likelihood \
  --solver rk4 --steps 8 --logp-out "$work/evallogp.npy" --out "$work/eval.json"
[[ -f $work/eval.json && -f $work/evallogp.npy ]] || { echo "FAIL: eval outputs"; failures=$((failures + 1)); }
expect 2 "--logp-out: needs --likelihood" -- "$cli" eval --run "$work/run" --n 5 --logp-out "$work/a.npy"
expect 0 "wrote .*sweep.csv \(1 runs\)" -- "$cli" sweep --run "$work/run" --solvers euler,midpoint --steps 1,2 \
  --tolerances 1e-2 --n 20 --reference rk4:20 --out "$work/sweep.csv"
[[ $(wc -l <"$work/sweep.csv") -eq 6 ]] || { echo "FAIL: sweep rows"; cat "$work/sweep.csv"; failures=$((failures + 1)); }
expect 2 "unknown solver 'rk5'" -- "$cli" sweep --run "$work/run" --solvers rk5 --out "$work/sweep2.csv"

# Resume: extend training; a different config is refused, naming the key.
expect 1 "model.width: 16 -> 32" -- "$cli" train --config "$preset" "${tiny[@]}" \
  --set model.width=32 --out "$work/run" --resume
expect 0 "to step 40" -- "$cli" train --out "$work/run" --resume --set training.steps=40 --quiet
expect 1 "nothing to resume|has no checkpoint" -- "$cli" train --out "$work/empty" --resume

# Issue 10. flip FILE OFFSET: changes one byte in place (hard links see it too, as with damage).
flip() {
  local b
  b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
  printf "\\x$(printf %02x $((b ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# Item 10: the guard compares with the checkpoint's experiment; what a user needs is allowed.
expect 0 "to step 50" -- "$cli" train --out "$work/run" --resume --set training.steps=50 \
  --set training.keep_checkpoints=3 --set training.checkpoint_every=5 --quiet
cp "$work/run/config.yaml" "$work/config.saved"
sed -i 's/^  lr: .*/  lr: 0.005/' "$work/run/config.yaml"
expect 1 "optimizer.lr: [0-9.e-]+ -> 0.005" -- "$cli" train --out "$work/run" --resume --set training.steps=60 --quiet
cp "$work/config.saved" "$work/run/config.yaml"
# Item 20: fewer steps than done is an error, and nothing is rewritten.
expect 1 "training.steps: 10 is below the step this run has reached \(50" -- \
  "$cli" train --out "$work/run" --resume --set training.steps=10 --quiet
cmp -s "$work/config.saved" "$work/run/config.yaml" || { echo "FAIL: refused resume rewrote config.yaml"; failures=$((failures + 1)); }
# Item 5: a damaged metrics.csv never blocks a resume; item 4: a damaged latest.pt falls back.
printf 'garbage\n51,1.05216792e-310,0,1,1,,,,,,,,,\n' >>"$work/run/metrics.csv"
latest=$work/run/checkpoints/latest.pt
flip "$latest" $(( $(stat -c %s "$latest") / 2 ))
expect 1 "latest.pt: damaged checkpoint \(CRC-32" -- "$cli" sample --run "$work/run" --n 5 --out "$work/a.npy"
out=$("$cli" train --out "$work/run" --resume --set training.steps=55 --quiet 2>&1)
rc=$?
[[ $rc -eq 0 && $out == *"skipped a damaged row"* && $out == *"latest.pt: damaged checkpoint"* &&
   $out == *"resuming from $work/run/checkpoints/step_00000045.pt (step 45)"* ]] ||
  { echo "FAIL: resume past damage: exit $rc:"; sed 's/^/    /' <<<"$out"; failures=$((failures + 1)); }
grep -q "1.05216792e-310\|^garbage" "$work/run/metrics.csv" && { echo "FAIL: metrics rows past the checkpoint kept"; failures=$((failures + 1)); }
expect 0 "nfe" -- "$cli" sample --run "$work/run" --n 5 --out "$work/a.npy"
# A lost config.yaml does not block a resume either: the checkpoint stores the experiment.
rm "$work/run/config.yaml"
expect 0 "config.yaml: cannot open.*using the experiment stored in .*latest.pt" -- \
  "$cli" train --out "$work/run" --resume --set training.steps=57 --quiet
[[ -f $work/run/config.yaml ]] || { echo "FAIL: config.yaml not rewritten"; failures=$((failures + 1)); }
# Item 20: likelihood of no points is an error, not "nll": null.
hdr="{'descr': '<f4', 'fortran_order': False, 'shape': (0, 2), }"
printf '\x93NUMPY\x01\x00\x76\x00%-117s\n' "$hdr" >"$work/none.npy"
expect 1 "none.npy.*(holds no points|no points|empty)" -- "$cli" likelihood --run "$work/run" --data "$work/none.npy" --out "$work/l.npy"

# Item 2: one writer per run folder. A second train or resume is refused naming the holder;
# once the holder is killed (-9), its lock is taken over and its temp files removed; item 20:
# SIGTERM checkpoints and exits 143.
long=(--set training.steps=1000000 --set training.checkpoint_every=7 --set model.width=16 --set model.depth=1
      --set training.batch_size=32 --set training.device=cpu --set training.threads=1 --set training.log_every=5 --quiet)
wait_rows() {
  for _ in $(seq 600); do
    [[ $(cat "$1" 2>/dev/null | wc -l) -ge $2 ]] && return 0
    sleep 0.1
  done
  return 1
}
"$cli" train --config "$preset" "${long[@]}" --out "$work/busy" >"$work/busy.log" 2>&1 &
holder=$!
wait_rows "$work/busy/metrics.csv" 4 || echo "FAIL: the first writer did not start: $(cat "$work/busy.log")"
expect 1 "busy: the run folder is in use by another writer \(pid $holder on .*flowscope-cli train" -- \
  "$cli" train --config "$preset" "${long[@]}" --set training.seed=1 --out "$work/busy"
expect 1 "in use by another writer \(pid $holder" -- "$cli" train --out "$work/busy" --resume --quiet
kill -9 "$holder"
wait "$holder" 2>/dev/null
: >"$work/busy/checkpoints/step_00000001.pt.tmp-99999-0"
: >"$work/busy/checkpoints/latest.pt.tmp-link"
: >"$work/busy/config.yaml.tmp-99999-1"
"$cli" train --out "$work/busy" --resume >"$work/resume.log" 2>&1 &
resumer=$!
for _ in $(seq 600); do grep -q "^resuming" "$work/resume.log" && break; sleep 0.1; done
sleep 1
kill -TERM "$resumer"
wait "$resumer"
rc=$?
[[ $rc -eq 143 ]] || { echo "FAIL: SIGTERM exit $rc (expected 143)"; failures=$((failures + 1)); }
grep -q "took over the lock of a writer that ended without releasing it (pid $holder" "$work/resume.log" &&
  grep -Eq "removed [3-9] temporary file\(s\).*config.yaml.tmp-99999-1" "$work/resume.log" &&
  grep -q "interrupted at step" "$work/resume.log" ||
  { echo "FAIL: resume after kill -9:"; sed 's/^/    /' "$work/resume.log"; failures=$((failures + 1)); }
ls "$work/busy" "$work/busy/checkpoints" | grep -q "tmp-" && { echo "FAIL: temp files left: $(ls "$work/busy/checkpoints")"; failures=$((failures + 1)); }
# timeout(1) delivers its SIGTERM twice (to the process and to its group): still one clean stop
# with a checkpoint (checkpoint_every is out of reach, so only the stop writes one).
timeout -s TERM 5 "$cli" train --config "$preset" "${long[@]}" --set training.checkpoint_every=900000 \
  --out "$work/timed" >"$work/timed.log" 2>&1
rc=$?
[[ $rc -eq 124 && -f $work/timed/checkpoints/latest.pt ]] && grep -q "interrupted at step" "$work/timed.log" ||
  { echo "FAIL: train under timeout: exit $rc, $(ls "$work/timed/checkpoints" 2>&1)"; sed 's/^/    /' "$work/timed.log"; failures=$((failures + 1)); }

# Item 14: out of memory is one plain line naming the argument, not LibTorch's backtrace.
# (A CUDA build's libraries alone need more address space than the limit: then say so and skip.)
if (ulimit -v 1500000; "$cli" --version >/dev/null 2>&1); then
  out=$(ulimit -v 1500000; "$cli" sample --run "$work/run" --n 20000000 --chunk 20000000 --solver euler --steps 2 --threads 1 --out "$work/big.npy" 2>&1)
  rc=$?
  [[ $rc -eq 1 && $out == *"error: out of memory"*"lower --chunk"* && $(wc -l <<<"$out") -eq 1 ]] ||
    { echo "FAIL: out of memory: exit $rc:"; sed 's/^/    /' <<<"$out" | head -5; failures=$((failures + 1)); }
  # The same N streamed in chunks fits under the same limit: memory is bounded by --chunk.
  out=$(ulimit -v 1500000; "$cli" sample --run "$work/run" --n 20000000 --solver euler --steps 2 --threads 1 --out "$work/streamed.npy" 2>&1)
  rc=$?
  [[ $rc -eq 0 && $(stat -c %s "$work/streamed.npy") -eq 160000128 ]] ||
    { echo "FAIL: chunked sample under ulimit: exit $rc:"; sed 's/^/    /' <<<"$out" | head -5; failures=$((failures + 1)); }
  rm -f "$work/streamed.npy"
else
  echo "skip: out of memory under ulimit -v (this build cannot even load its libraries under it)"
fi
[[ ! -e $work/big.npy ]] || { echo "FAIL: out of memory left big.npy"; failures=$((failures + 1)); }

printf 'PK\x03\x04 truncated' >"$work/run/checkpoints/latest.pt"
# Typed, ranged command-line integers and tolerances (issue 10, items 15 and 16).
expect 2 "--steps: got '4294967297' \(expected an integer in \[1, 1000000\]\)" -- \
  "$cli" sample --run "$work/run" --n 5 --solver euler --steps 4294967297 --out "$work/a.npy"
expect 2 "--threads: got '4096' \(expected an integer in \[0, 1024\]\)" -- \
  "$cli" sample --run "$work/run" --n 5 --threads 4096 --out "$work/a.npy"
expect 2 "--threads: got '-1' \(expected an integer in \[0, 1024\]\)" -- \
  "$cli" sample --run "$work/run" --n 5 --threads -1 --out "$work/a.npy"
expect 2 "--atol: got '1e-300' \(expected a number in \[1e-12, 1\]\)" -- \
  "$cli" sample --run "$work/run" --n 5 --atol 1e-300 --rtol 0 --out "$work/a.npy"
expect 2 "--n: got '99999999999999999999' \(expected an integer in \[1, 100000000\]\)" -- \
  "$cli" sample --run "$work/run" --n 99999999999999999999 --out "$work/a.npy"
expect 2 "--device: got 'gpu' \(expected one of: cpu, cuda, auto, or cuda:N\)" -- \
  "$cli" sample --run "$work/run" --n 5 --device gpu --out "$work/a.npy"
expect 2 "--reference: got 'rk4:0'" -- "$cli" sweep --run "$work/run" --reference rk4:0 --out "$work/sweep3.csv"

expect 1 "latest.pt: not a readable FlowScope checkpoint" -- "$cli" sample --run "$work/run" --n 5 --out "$work/a.npy"

# --- image runs: train -> sample (PNG grid) -> eval -> train-classifier -> eval/sweep --classifier
python3 - "$work/mnist" <<'PY'
import gzip, os, random, struct, sys
d = sys.argv[1]; os.makedirs(d, exist_ok=True); rng = random.Random(1)
for prefix, n in (("train", 48), ("t10k", 24)):
    px = bytearray(); lab = bytearray()
    for i in range(n):
        c = i % 10; lab.append(c)
        px += bytes(200 if 2 * c <= y < 2 * c + 6 else rng.randrange(30) for y in range(28) for x in range(28))
    with gzip.open(f"{d}/{prefix}-images-idx3-ubyte.gz", "wb") as f: f.write(struct.pack(">IIII", 0x803, n, 28, 28) + px)
    with gzip.open(f"{d}/{prefix}-labels-idx1-ubyte.gz", "wb") as f: f.write(struct.pack(">II", 0x801, n) + lab)
PY
cat >"$work/img.yaml" <<YAML
name: tiny-images
data: {name: mnist, root: mnist}
model: {name: unet, preset: fashion_mnist28, channels: 8, groups: 4, classes: 10}
training: {steps: 4, batch_size: 8, checkpoint_every: 2, device: cpu, threads: 1}
evaluation: {every: 0}
YAML
expect 0 "" -- "$cli" train --config "$work/img.yaml" --out "$work/imgrun" --quiet
expect 0 "" -- "$cli" sample --run "$work/imgrun" --n 6 --solver euler --steps 2 --label cycle --guidance 2 \
  --out "$work/img.npy" --grid "$work/img.png" --columns 3 --scale 2
python3 -c 'import sys; b=open(sys.argv[1],"rb").read(); assert b[:8]==b"\x89PNG\r\n\x1a\n"; import struct; w,h=struct.unpack(">II", b[16:24]); assert w % 2 == 0 and h % 2 == 0 and w > h > 2 * 2 * 28, (w, h)' "$work/img.png" &&
  echo "ok: sample --grid wrote a PNG" || { echo "FAIL: sample --grid PNG"; failures=$((failures + 1)); }
expect 0 '"nfe":2' -- "$cli" eval --run "$work/imgrun" --n 4 --solver euler --steps 2
expect 0 '"test_accuracy"' -- "$cli" train-classifier --config "$work/img.yaml" --out "$work/clf.pt" --epochs 1 --batch 16 --threads 1
expect 0 '"classifier_fd":[0-9.e+-]+.*"classifier_mean_max_prob"' -- "$cli" eval --run "$work/imgrun" --n 8 --solver euler --steps 2 --classifier "$work/clf.pt"
expect 0 "wrote" -- "$cli" sweep --run "$work/imgrun" --n 8 --solvers euler --steps 1,2 --tolerances 1e-2 --reference rk4:8 --classifier "$work/clf.pt" --out "$work/imgsweep.csv"
head -1 "$work/imgsweep.csv" | grep -q "classifier_fd.*mse_per_pixel" && echo "ok: image sweep columns" ||
  { echo "FAIL: image sweep columns: $(head -1 "$work/imgsweep.csv")"; failures=$((failures + 1)); }
expect 1 "img.npy: not a FlowScope classifier" -- "$cli" eval --run "$work/imgrun" --n 4 --classifier "$work/img.npy"
expect 1 "data.name 'checkerboard' is not an image dataset" -- "$cli" train-classifier --config "$preset" --out "$work/x.pt"

# --- torchrun's variables: two processes train one run (Gloo over loopback); rank 0 writes it
port=$((20000 + RANDOM % 20000))
dist=(--set training.steps=12 --set training.checkpoint_every=6 --set model.width=16 --set model.depth=1
      --set training.batch_size=32 --set training.device=cpu --set training.threads=1 --set evaluation.every=0)
for r in 0 1; do
  RANK=$r WORLD_SIZE=2 LOCAL_RANK=$r MASTER_ADDR=127.0.0.1 MASTER_PORT=$port \
    "$cli" train --config "$preset" "${dist[@]}" --out "$work/ddp" --dist-timeout 60 >"$work/ddp-$r.log" 2>&1 &
  pids[$r]=$!
done
wait "${pids[0]}"; rc0=$?
wait "${pids[1]}"; rc1=$?
if [[ $rc0 -eq 0 && $rc1 -eq 0 ]] && grep -q "x 2 processes (gloo)" "$work/ddp-0.log" && grep -q "trained .* to step 12" "$work/ddp-0.log" &&
   [[ ! -s "$work/ddp-1.log" ]] && [[ -f "$work/ddp/checkpoints/latest.pt" ]]; then
  echo "ok: two ranks trained one run; rank 1 printed nothing"
else
  echo "FAIL: two-rank train (exit $rc0, $rc1):"; sed 's/^/    /' "$work/ddp-0.log" "$work/ddp-1.log"; failures=$((failures + 1))
fi
expect 0 '"step":12' -- "$cli" eval --run "$work/ddp" --n 200 --solver euler --steps 4
# A batch that does not split evenly: every rank stops with the key named.
port=$((port + 1))
for r in 0 1; do
  RANK=$r WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=$port \
    "$cli" train --config "$preset" "${dist[@]}" --set training.batch_size=33 --out "$work/ddp-odd" --dist-timeout 60 >"$work/odd-$r.log" 2>&1 &
  pids[$r]=$!
done
wait "${pids[0]}"; rc0=$?
wait "${pids[1]}"; rc1=$?
if [[ $rc0 -ne 0 && $rc1 -ne 0 ]] && grep -q "training.batch_size: 33 does not split evenly over 2 processes" "$work/odd-0.log"; then
  echo "ok: an uneven batch stops every rank with the key named"
else
  echo "FAIL: uneven batch (exit $rc0, $rc1):"; sed 's/^/    /' "$work/odd-0.log" "$work/odd-1.log"; failures=$((failures + 1))
fi

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
