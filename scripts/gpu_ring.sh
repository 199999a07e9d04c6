#!/usr/bin/env bash
# Runs on the GPU machine: builds build-gpu with MPI, then the Brunel ring (5,000 neurons per
# process, 1.2 s) on 1, 2, 4 and 8 processes sharing the GPU: point-to-point exchange with
# threads unbound (--bind none) and bound to the cores near the GPU (--bind auto), then the
# all_to_all, neighbourhood and hierarchical strategies (bound), one process at 15-step slices,
# and where nvidia-cuda-mps-control is at hand the strategies again under MPS; prints build, RTF
# and the exchange's share of each run and checks that every variant gives the same spikes. Logs go to ${OUT:-build-gpu}/.
set -uo pipefail
STARLING_GPU_MPI=ON
source "$(dirname "$0")/gpu_env.sh"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
status=0
exec > >(tee "$out/gpu_ring.log") 2>&1
if [ -z "${STARLING_SKIP_BUILD:-}" ]; then
  configure_gpu_build || exit 1
  make -C "$build" -j"$(nproc)" brunel_ring starling >"$out/build_ring.log" 2>&1 ||
    { grep -E "error" "$out/build_ring.log" | head -30; exit 1; }
fi
nvidia-smi --query-gpu=name --format=csv,noheader
ring() {  # ring NAME PROCESSES ARGS...: one run, its summary line, and its spikes against the reference
  local name=$1 n=$2
  shift 2
  local dir=$out/ring_${n}_$name
  line=$(timeout 120 mpirun --oversubscribe -np "$n" "$build/examples/brunel_ring" \
    --neurons "${STARLING_RING_NEURONS:-5000}" --output "$dir" "$@" 2>"$dir.err" |
    grep -E "^brunel_ring:|^exchange" | tr '\n' ' ')
  echo "np $n $name: $line"
  [ "$name" = point_to_point_none ] && return
  cmp -s "$out/ring_${n}_point_to_point_none/brunel_ring_spikes.csv" \
    "$dir/brunel_ring_spikes.csv" || { echo "np $n $name: SPIKES DIFFER"; status=1; }
}
processes=${STARLING_RING_PROCESSES:-1 2 4 8}
for n in $processes; do
  variants="point_to_point:none point_to_point:auto all_to_all:auto neighbourhood:auto hierarchical:auto"
  [ "$n" = 1 ] && variants="point_to_point:none"
  for v in $variants; do
    x=${v%:*} bind=${v#*:}
    ring "${x}_$bind" "$n" --bind "$bind" --exchange "$x" \
      --verbose "$([ "$bind" = auto ] && [ "$x" = point_to_point ] && echo 1 || echo 0)"
  done
done
# One process at the slice length of the runs above (15 steps: the ring's delay): the cost of the
# slices themselves, without a second process on the GPU.
ring slices_of_15 1 --slice-steps 15
# The same runs with the processes' GPU work from one context: NVIDIA's Multi-Process Service,
# a daemon of this script's own (its pipe and logs in a folder of its own), stopped at the end.
if command -v nvidia-cuda-mps-control >/dev/null; then
  export CUDA_MPS_PIPE_DIRECTORY=$out/mps/pipe CUDA_MPS_LOG_DIRECTORY=$out/mps/log
  mkdir -p "$CUDA_MPS_PIPE_DIRECTORY" "$CUDA_MPS_LOG_DIRECTORY"
  if nvidia-cuda-mps-control -d; then
    trap 'echo quit | nvidia-cuda-mps-control' EXIT
    for n in $processes; do
      [ "$n" = 1 ] && continue
      for x in point_to_point neighbourhood hierarchical; do ring "mps_$x" "$n" --exchange "$x"; done
    done
  fi
fi
exit $status
