# Sourced by the scripts that run on the GPU machine: paths, the carried StarPU, and the
# configuration of build-gpu (CUDA for sm_90; MPI as $STARLING_GPU_MPI says, default OFF).
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${OUT:-$repo/build-gpu}
build=$repo/build-gpu
mkdir -p "$out"
export LD_LIBRARY_PATH="$repo/.deps/starpu/lib:${LD_LIBRARY_PATH:-}"
export PATH="/usr/local/cuda/bin:$PATH"
configure_gpu_build() {
  cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSTARLING_ENABLE_CUDA=ON \
    -DCMAKE_CUDA_ARCHITECTURES=90 -DSTARLING_STARPU_PREFIX="$repo/.deps/starpu" \
    -DSTARLING_ENABLE_MPI="${STARLING_GPU_MPI:-OFF}" >"$out/configure.log" 2>&1 ||
    { tail -30 "$out/configure.log"; return 1; }
}
