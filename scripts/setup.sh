#!/usr/bin/env bash
# Installs the dependencies (scripts/install_deps.sh), the Python environment of the analysis
# (scripts/py_venv.sh: h5py, Elephant, matplotlib) and builds Starling in build/.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
bash "$repo/scripts/install_deps.sh"
mkdir -p "$repo/build"
bash "$repo/scripts/py_venv.sh"
cmake -S "$repo" -B "$repo/build" -DCMAKE_BUILD_TYPE=Release >"$repo/build/configure.log" 2>&1 ||
  { tail -40 "$repo/build/configure.log"; exit 1; }
grep -E "StarPU|CUDA codelets" "$repo/build/configure.log" || true
cmake --build "$repo/build" -j"$(nproc)"
