#!/usr/bin/env bash
# Regenerates docs/report/README.md (+ figures): trains the five checkerboard presets with the same
# budget and compares them the way Table 1 and Figure 7 of the paper do. Takes ~30 min on 2 CPU
# cores. Usage: docs/report/generate.sh [STEPS] (default: the presets' 10,000 steps)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
steps=${1:-10000}
out=$root/docs/report
runs=$root/runs/report
cli=$root/build/app/flowscope-cli
[[ -x $cli ]] || "$root/packaging/build.sh"
mkdir -p "$runs" "$out/figures"

presets=(checkerboard-fm-ot checkerboard-fm-vp checkerboard-ddpm checkerboard-sm checkerboard-scoreflow)
for p in "${presets[@]}"; do
  if [[ ! -f $runs/$p/checkpoints/latest.pt ]]; then
    echo "== training $p ($steps steps)"
    "$cli" train --config "$root/resources/presets/$p.yaml" --out "$runs/$p" \
      --set training.steps="$steps" --set training.device=cpu --set evaluation.every=1000 \
      --set evaluation.n_samples=2000 --quiet
  fi
  echo "== evaluating $p"
  "$cli" eval --run "$runs/$p" --n 10000 --likelihood --logp-out "$runs/$p/logp.npy" --out "$runs/$p/eval.json" >/dev/null
done

run_args=()
for p in "${presets[@]}"; do run_args+=(--run "$runs/$p"); done
echo "== NFE sweep (same noise for every run)"
"$cli" sweep "${run_args[@]}" --solvers euler,midpoint,rk4 --steps 1,2,4,8,16,32,64 \
  --tolerances 1e-2,1e-3,1e-4,1e-5 --n 2000 --reference rk4:1000 --out "$runs/sweep.csv"

echo "== Euler 8 steps against the reference along t (same noise)"
times=0,0.125,0.25,0.375,0.5,0.625,0.75,0.875,1
for p in "${presets[@]}"; do
  "$cli" sample --run "$runs/$p" --n 2000 --seed 0 --solver euler --steps 8 --times "$times" \
    --out "$runs/$p/euler8_path.npy" >/dev/null
  "$cli" sample --run "$runs/$p" --n 2000 --seed 0 --solver rk4 --steps 1000 --times "$times" \
    --out "$runs/$p/reference_path.npy" >/dev/null
done

/usr/bin/python3 "$out/render.py" "$runs" "$out" "$steps" "${presets[@]}"
echo "wrote $out/README.md"
