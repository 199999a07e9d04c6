#!/usr/bin/env bash
# Runs on the GPU machine: one build (CUDA, MPI) of the GPU tests and the benchmarks, then in
# order: ctest -L gpu, the microcircuit (10 s, Poisson input), the large Brunel network
# (scripts/gpu_brunel_large.sh, unless $STARLING_SKIP_BRUNEL_LARGE is set) and the Brunel ring's
# exchange strategies (scripts/gpu_ring.sh with $STARLING_RING_PROCESSES, default 1 2 4).
# Logs go to ${OUT:-build-gpu}/.
set -uo pipefail
export STARLING_GPU_MPI=ON OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
source "$(dirname "$0")/gpu_env.sh"
status=0
configure_gpu_build || exit 1
targets="starling brunel_ring brunel_large test_codelet_parity test_gpu_determinism test_gpu_devices
  test_model_parity test_gpu_connect_parts test_stdp_parity test_gpu_slices"
# shellcheck disable=SC2086
make -C "$build" -j"$(nproc)" $targets >"$out/build.log" 2>&1 ||
  { grep -E "error" "$out/build.log" | head -30; exit 1; }
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
echo "== ctest -L gpu"
(cd "$build" && timeout 300 ctest -L gpu >"$out/ctest_gpu.log" 2>&1) || status=1
grep -E "tests passed|Failed|\*\*\*" "$out/ctest_gpu.log" | head -20
echo "== microcircuit"
timeout 120 "$build/bin/starling" bench microcircuit --scale 1.0 --backend cuda --t-presim 500 \
  --t-sim 10000 --seed 1 | tee "$out/microcircuit.jsonl" || status=1
if [ -z "${STARLING_SKIP_BRUNEL_LARGE:-}" ]; then
  echo "== large Brunel"
  timeout 300 bash "$(dirname "$0")/gpu_brunel_large.sh" || status=1
fi
echo "== ring"
STARLING_SKIP_BUILD=1 STARLING_RING_PROCESSES=${STARLING_RING_PROCESSES:-1 2 4} \
  timeout 300 bash "$(dirname "$0")/gpu_ring.sh" || status=1
exit $status
