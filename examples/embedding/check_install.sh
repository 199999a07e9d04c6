#!/usr/bin/env bash
# Installs Starling from a build tree into a prefix, then builds examples/embedding against it
# with find_package(Starling) and with pkg-config, and runs both builds.
#   check_install.sh BUILD_DIR WORK_DIR
set -euo pipefail
build=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
test -f "$work/prefix/include/starling/simulator.hpp"
test -f "$work/prefix/lib/cmake/Starling/StarlingConfigVersion.cmake"
cmake -S "$here" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release >"$work/configure.log" 2>&1 ||
  { cat "$work/configure.log"; exit 1; }
cmake --build "$work/cmake" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
"$work/cmake/embedding"
if [ -x "$work/cmake/embedding_mpi" ]; then
  mpirun --oversubscribe -np 2 "$work/cmake/embedding_mpi"
fi
# pkg-config: the core headers compile without MPI's.
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
# shellcheck disable=SC2046
c++ -o "$work/embedding_pc" "$here/embedding.cpp" $(pkg-config --cflags --libs starling)
"$work/embedding_pc"
echo "installed package: find_package and pkg-config builds ran"
