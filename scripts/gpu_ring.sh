#!/usr/bin/env bash
# Runs on the GPU machine: builds build-gpu with MPI, then the Brunel ring (5,000 neurons per
# process, 1.2 s) on 1, 2, 4 and 8 processes sharing the GPU, with threads unbound (--bind none)
# and bound to the cores near the GPU (--bind auto), alternating for $STARLING_ROUNDS rounds
# (default 2); prints build, RTF and the exchange's share per run and checks that both bindings
# give the same spikes. Logs go to ${OUT:-build-gpu}/.
set -uo pipefail
STARLING_GPU_MPI=ON
source "$(dirname "$0")/gpu_env.sh"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
status=0
exec > >(tee "$out/gpu_ring.log") 2>&1
configure_gpu_build || exit 1
make -C "$build" -j"$(nproc)" brunel_ring starling >"$out/build_ring.log" 2>&1 ||
  { grep -E "error" "$out/build_ring.log" | head -30; exit 1; }
nvidia-smi --query-gpu=name --format=csv,noheader
for r in $(seq "${STARLING_ROUNDS:-2}"); do
  for n in ${STARLING_RING_PROCESSES:-1 2 4 8}; do
    for bind in none auto; do
      dir=$out/ring_${n}_${bind}
      verbose=0
      [ "$r" = 1 ] && [ "$bind" = auto ] && verbose=1
      line=$(timeout 120 mpirun --oversubscribe -np "$n" "$build/examples/brunel_ring" \
        --neurons "${STARLING_RING_NEURONS:-5000}" --output "$dir" --bind "$bind" \
        --verbose "$verbose" 2>"$out/ring_${n}_${bind}.err" | grep -E "^brunel_ring:|^exchange" | tr '\n' ' ')
      echo "round $r np $n bind $bind: $line"
    done
    cmp -s "$out/ring_${n}_none/brunel_ring_spikes.csv" "$out/ring_${n}_auto/brunel_ring_spikes.csv" &&
      echo "np $n: same spikes unbound and bound" || { echo "np $n: SPIKES DIFFER"; status=1; }
  done
done
exit $status
