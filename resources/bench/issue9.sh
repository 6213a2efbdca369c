#!/usr/bin/env bash
# Reproduces docs/benchmarks.md's "BLAS kernel" and "Python peers" tables: every line is one JSON
# object printed by flowscope-cli bench, with the baseline measured in the same invocation.
# Needs the torch 2.x environment (packaging/install-torch2.sh) for --peers.
#   resources/bench/issue9.sh [BUILD_DIR] > bench.jsonl
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
cli=$build/app/flowscope-cli
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lscpu | grep -E "Model name|^CPU\(s\)" >&2
"$cli" --version >&2
"$cli" bench gemm --threads 1 --repeats 5 --blas-baseline
"$cli" bench gemm --repeats 5 --blas-baseline
"$cli" bench train --width 512 --depth 4 --batch 4096 --steps 30 --warmup 3 --python --peers --blas-baseline
"$cli" bench train --width 256 --depth 4 --batch 1024 --steps 200 --warmup 20 --python --peers --blas-baseline
# The default preset: training time and the fraction of samples on black squares.
start=$(date +%s.%N)
"$cli" train --config "$root/resources/presets/checkerboard-fm-ot.yaml" --out "$work/ot" >/dev/null
end=$(date +%s.%N)
python3 -c "import json; print(json.dumps({'bench': 'default_preset_train', 'seconds': $end - $start}))"
"$cli" eval --run "$work/ot" --n 20000
"$cli" bench sample --run "$work/ot" --n 100000 --steps 100 --solver euler --repeats 2 --peers
"$cli" bench sample --run "$work/ot" --n 100000 --steps 50 --solver midpoint --repeats 2 --peers
"$cli" bench sample --run "$work/ot" --n 100000 --solver dopri5 --repeats 2 --peers
"$cli" bench likelihood --run "$work/ot" --n 10000 --repeats 2 --peers
