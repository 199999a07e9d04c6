#!/usr/bin/env bash
# Runs on the GPU machine: builds build-gpu with MPI, then the Brunel ring (5,000 neurons per
# process, 1.2 s) on 1, 2, 4 and 8 processes sharing the GPU: point-to-point exchange with
# threads unbound (--bind none) and bound to the cores near the GPU (--bind auto), then the
# all_to_all, neighbourhood and hierarchical strategies (bound); prints build, RTF and the exchange's share of
# each run and checks that every variant gives the same spikes. Logs go to ${OUT:-build-gpu}/.
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
for n in ${STARLING_RING_PROCESSES:-1 2 4 8}; do
  variants="point_to_point:none point_to_point:auto all_to_all:auto neighbourhood:auto hierarchical:auto"
  [ "$n" = 1 ] && variants="point_to_point:none"
  for v in $variants; do
    x=${v%:*} bind=${v#*:}
    dir=$out/ring_${n}_${x}_${bind}
    line=$(timeout 120 mpirun --oversubscribe -np "$n" "$build/examples/brunel_ring" \
      --neurons "${STARLING_RING_NEURONS:-5000}" --output "$dir" --bind "$bind" --exchange "$x" \
      --verbose "$([ "$bind" = auto ] && [ "$x" = point_to_point ] && echo 1 || echo 0)" \
      2>"$dir.err" | grep -E "^brunel_ring:|^exchange" | tr '\n' ' ')
    echo "np $n $x bind $bind: $line"
    cmp -s "$out/ring_${n}_point_to_point_none/brunel_ring_spikes.csv" \
      "$dir/brunel_ring_spikes.csv" || { echo "np $n $x $bind: SPIKES DIFFER"; status=1; }
  done
done
exit $status
