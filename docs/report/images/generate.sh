#!/usr/bin/env bash
# Regenerates docs/report/images/README.md (+ sample grids): FM-OT, FM-VP, DDPM and score matching
# on Fashion-MNIST with the same U-Net (model.preset fashion_mnist28), steps and batch, compared as
# Table 1 (BPD, FD, dopri5 NFE) and Figure 7 (per-pixel error against NFE) of the paper do, with
# samples from the same noise. The full budget (3,000 steps each) takes about 2.5 hours on 2 CPU
# cores; STEPS and the sizes below shrink it.
# Usage: docs/report/images/generate.sh [STEPS] (default 3000)
#   env: FD_N (1000) samples for the classifier FD, BPD_N (100) test images for BPD,
#        SWEEP_N (64) samples for the NFE sweep, NFE_N (64) samples for the dopri5 NFE,
#        OUT (this folder) where the report goes, CLASSIFIER an existing classifier file to reuse.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
steps=${1:-3000}
fd_n=${FD_N:-1000}
bpd_n=${BPD_N:-100}
sweep_n=${SWEEP_N:-64}
nfe_n=${NFE_N:-64}
out=${OUT:-$root/docs/report/images}
runs=$root/runs/report-images-$steps
cli=$root/build/app/flowscope-cli
[[ -x $cli ]] || "$root/packaging/build.sh"
mkdir -p "$runs" "$out/figures"

presets=(fashion-mnist-fm-ot fashion-mnist-fm-vp fashion-mnist-ddpm fashion-mnist-sm)
classifier=${CLASSIFIER:-$runs/classifier.pt}
if [[ ! -f $classifier ]]; then
  echo "== training the classifier of the classifier FD"
  "$cli" train-classifier --config "$root/resources/images/${presets[0]}.yaml" --out "$classifier" --epochs 2 \
    >"$runs/classifier.json"
fi
for p in "${presets[@]}"; do
  if [[ ! -f $runs/$p/checkpoints/latest.pt ]]; then
    echo "== training $p ($steps steps)"
    "$cli" train --config "$root/resources/images/$p.yaml" --out "$runs/$p" \
      --set training.steps="$steps" --set training.device=cpu --quiet
  fi
  echo "== evaluating $p"
  [[ -f $runs/$p/nfe.json ]] || "$cli" eval --run "$runs/$p" --n "$nfe_n" --solver dopri5 --atol 1e-5 --rtol 1e-5 \
    --out "$runs/$p/nfe.json" >/dev/null
  [[ -f $runs/$p/fd.json ]] || "$cli" eval --run "$runs/$p" --n "$fd_n" --solver midpoint --steps 50 --chunk 500 \
    --classifier "$classifier" --out "$runs/$p/fd.json" >/dev/null
  [[ -f $runs/$p/bpd.json ]] || "$cli" eval --run "$runs/$p" --n "$bpd_n" --bpd --k 1 --probes 1 --chunk 100 \
    --out "$runs/$p/bpd.json" >/dev/null
  # Samples from the same noise (seed 0) for every run.
  "$cli" sample --run "$runs/$p" --n 32 --seed 0 --solver midpoint --steps 50 --out "$runs/$p/samples.npy" \
    --grid "$out/figures/$p.png" --columns 16 --scale 2 >/dev/null
done

run_args=()
for p in "${presets[@]}"; do run_args+=(--run "$runs/$p"); done
echo "== NFE sweep (same noise for every run; reference: RK4 with 1000 NFE)"
[[ -f $runs/sweep.csv ]] || "$cli" sweep "${run_args[@]}" --solvers euler,midpoint --steps 1,2,4,8,16,32 \
  --tolerances 1e-3 --n "$sweep_n" --reference rk4:250 --out "$runs/sweep.csv"

/usr/bin/python3 "$root/docs/report/images/render.py" "$runs" "$out" "$steps" "${presets[@]}"
echo "wrote $out/README.md"
