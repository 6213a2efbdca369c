#!/usr/bin/env bash
# Installs the pip torch 2.x wheel (a complete CUDA LibTorch inside) and the Python peers the
# benchmarks measure against into FlowScope's own virtual environment, outside the checkout and
# never system-wide. Reused by later runs and by CI on the same machine.
#   FLOWSCOPE_VENV  where (default ~/.cache/flowscope/venv-torch2)
# Prints the venv path on success. Exit 3 when the package index cannot be reached.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${FLOWSCOPE_VENV:-$HOME/.cache/flowscope/venv-torch2}
req="$root/packaging/requirements-torch2.txt"
stamp="$venv/.flowscope-requirements"
if [[ -x $venv/bin/python ]] && cmp -s "$req" "$stamp"; then
  echo "$venv"
  exit 0
fi
python=$(command -v python3)
"$python" -m venv "$venv" >&2 || { echo "install-torch2: cannot create a venv at $venv" >&2; exit 1; }
if ! "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req" >&2; then
  echo "install-torch2: pip could not install $req (is the package index reachable?)" >&2
  exit 3
fi
cp "$req" "$stamp"
echo "$venv"
