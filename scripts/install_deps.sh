#!/usr/bin/env bash
# Installs everything Starling needs to build and test on Debian 12.
# Where nvcc is found, StarPU 1.3.10 is built with CUDA from Debian's source
# package into a local prefix (default: <repo>/.deps/starpu); otherwise
# Debian's CPU-only libstarpu-dev is used.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
prefix=${STARLING_STARPU_PREFIX:-$repo/.deps/starpu}
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive

echo "== Debian packages"
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends \
  build-essential cmake pkg-config python3 python3-dev python3-venv \
  libopenmpi-dev openmpi-bin libhwloc-dev hwloc \
  libgtest-dev googletest libbenchmark-dev nlohmann-json3-dev \
  libstarpu-dev dpkg-dev libhdf5-dev python3-venv >/dev/null

nvcc_bin=$(command -v nvcc || true)
[ -n "$nvcc_bin" ] || [ ! -x /usr/local/cuda/bin/nvcc ] || nvcc_bin=/usr/local/cuda/bin/nvcc
if [ -z "$nvcc_bin" ]; then
  echo "== nvcc not found: using Debian's CPU-only StarPU"
  exit 0
fi
if [ -f "$prefix/lib/libstarpu-1.3.so" ] && [ -f "$prefix/.starling-cuda" ]; then
  echo "== StarPU with CUDA already in $prefix"
  exit 0
fi

echo "== building StarPU 1.3.10 with CUDA into $prefix"
cuda_dir=$(dirname "$(dirname "$(readlink -f "$nvcc_bin")")")
src_list=/etc/apt/sources.list.d/starling-deb-src.sources
if ! grep -rqs "deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  $sudo tee "$src_list" >/dev/null <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  $sudo apt-get update -qq
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get source -qq --download-only starpu=1.3.10+dfsg-2 >/dev/null 2>&1 \
  && dpkg-source -x --skip-patches starpu_1.3.10+dfsg-2.dsc src >/dev/null)
python3 "$repo/scripts/patch_starpu_cuda13.py" "$work/src"
cd "$work/src"
PATH="$cuda_dir/bin:$PATH" ./configure -q --prefix="$prefix" \
  --enable-cuda --with-cuda-dir="$cuda_dir" --enable-maxcudadev=8 \
  --disable-opencl --disable-mpi --disable-fortran --disable-socl --disable-starpufft \
  --disable-starpurm --disable-build-doc --disable-build-examples --disable-build-tests \
  --disable-static --disable-gcc-extensions --disable-hdf5 --without-fxt --disable-mlr \
  NVCCFLAGS="-arch=sm_90" >configure.log 2>&1 || { tail -40 configure.log; exit 1; }
grep -q "define STARPU_USE_CUDA 1" src/common/config.h || { echo "StarPU configure found no CUDA"; tail -40 configure.log; exit 1; }
make -j"$(nproc)" -s >make.log 2>&1 || { tail -60 make.log; exit 1; }
make -s install >/dev/null
rm -f "$prefix"/lib/*.la
strip --strip-unneeded "$prefix"/lib/libstarpu*.so.* 2>/dev/null || true
touch "$prefix/.starling-cuda"
echo "== StarPU with CUDA installed in $prefix"
