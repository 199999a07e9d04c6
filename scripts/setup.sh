#!/usr/bin/env bash
# Installs the dependencies (scripts/install_deps.sh) and the Python environment .venv (or
# $STARLING_PY_VENV; scripts/py_venv.sh), builds Starling in build/ and installs the Python module
# (`pip install .`) into that environment.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
venv=${STARLING_PY_VENV:-$repo/.venv}
bash "$repo/scripts/install_deps.sh"
STARLING_PY_VENV=$venv bash "$repo/scripts/py_venv.sh"
mkdir -p "$repo/build"
# A build directory configured for another generator (Ninja) is configured afresh.
if [ -f "$repo/build/CMakeCache.txt" ] &&
  ! grep -q "^CMAKE_GENERATOR:INTERNAL=Unix Makefiles$" "$repo/build/CMakeCache.txt"; then
  rm -rf "$repo/build/CMakeCache.txt" "$repo/build/CMakeFiles"
fi
# One build directory for the C++ targets and the extension: `pip install .` below (and any
# later one) reuses it and only builds what changed.
export CMAKE_GENERATOR="Unix Makefiles"
cmake -S "$repo" -B "$repo/build" -DCMAKE_BUILD_TYPE=Release -DSTARLING_BUILD_PYTHON=ON \
  -DPython_EXECUTABLE="$venv/bin/python" \
  -Dnanobind_DIR="$("$venv/bin/python" -m nanobind --cmake_dir)" >"$repo/build/configure.log" 2>&1 ||
  { tail -40 "$repo/build/configure.log"; exit 1; }
grep -E "StarPU|CUDA codelets" "$repo/build/configure.log" || true
cmake --build "$repo/build" -j"$(nproc)"
"$venv/bin/python" -m pip install -q --disable-pip-version-check --no-build-isolation \
  --config-settings=build-dir=build "$repo" \
  >"$repo/build/pip_install.log" 2>&1 || { tail -40 "$repo/build/pip_install.log"; exit 1; }
echo "== Python module installed in $venv (source $venv/bin/activate; import starling)"
