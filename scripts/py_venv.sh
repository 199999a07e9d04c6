#!/usr/bin/env bash
# Creates the Python environment in .venv, or in $STARLING_PY_VENV: the Python module's build
# tools (scikit-build-core, nanobind), numpy and pytest, and for the analysis tests and the plot
# command h5py, Elephant 1.2.1, matplotlib and libsonata. Needs python3-venv (install_deps.sh).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
venv=${STARLING_PY_VENV:-$repo/.venv}
stamp="$venv/.starling-3"
if [ -f "$stamp" ]; then
  echo "== Python environment in $venv"
  exit 0
fi
echo "== Python environment (module build tools, numpy, pytest, h5py, elephant 1.2.1, matplotlib, libsonata) into $venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check \
  "elephant==1.2.1" "h5py==3.16.0" "matplotlib==3.11.2" \
  "libsonata==0.2.2" "scikit-build-core>=0.10" "nanobind>=2.0" numpy pytest >"$venv.log" 2>&1 || { tail -30 "$venv.log"; exit 1; }
touch "$stamp"
