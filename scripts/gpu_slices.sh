#!/usr/bin/env bash
# Runs on the GPU machine: the cost of short slices. The Brunel ring on one process at 15-step
# slices (the ring's delay, the slice length of its MPI runs) with STARLING_KERNEL_TIMES=slices
# (GPU idle and busy time per slice) and STARLING_TASK_TIMES=1 (StarPU's phases of each task):
# as it is, without spike recording, without the CPU worker, with other StarPU schedulers; then
# 2 processes. Logs go to ${OUT:-build-gpu}/.
set -uo pipefail
export STARLING_GPU_MPI=ON OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
source "$(dirname "$0")/gpu_env.sh"
if [ -z "${STARLING_SKIP_BUILD:-}" ]; then
  configure_gpu_build || exit 1
  make -C "$build" -j"$(nproc)" brunel_ring >"$out/build_slices.log" 2>&1 ||
    { grep -E "error" "$out/build_slices.log" | head -30; exit 1; }
fi
ring() {  # ring NAME PROCESSES ARGS...
  local name=$1 n=$2
  shift 2
  echo "== $name"
  timeout 120 mpirun --oversubscribe -np "$n" "$build/examples/brunel_ring" \
    --output "$out/slices_$name" "$@" 2>&1 |
    grep -E "^brunel_ring|^advance|^tasks (advance|deliver_remote)"
}
export STARLING_KERNEL_TIMES=slices STARLING_TASK_TIMES=1
ring 15 1 --slice-steps 15
ring 15_no_record 1 --slice-steps 15 --record 0
STARPU_NCPU=0 ring 15_ncpu0 1 --slice-steps 15
STARPU_SCHED=dmda ring 15_dmda 1 --slice-steps 15
STARPU_SCHED=lws ring 15_lws 1 --slice-steps 15
ring np2 2
ring np2_no_record 2 --record 0
