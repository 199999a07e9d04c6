#!/usr/bin/env bash
# Runs on the GPU machine: builds build-gpu with MPI (after scripts/gpu_pack.sh here), then the
# decomposition-invariance check with 1, 2 and 4 processes sharing the GPU (reference written on
# CPU workers by one process), on slices of 1 step and one way, and the Brunel ring on 4
# processes. Logs go to ${OUT:-build-gpu}/.
set -uo pipefail
STARLING_GPU_MPI=ON
source "$(dirname "$0")/gpu_env.sh"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
status=0
exec > >(tee "$out/gpu_mpi.log") 2>&1
configure_gpu_build || exit 1
make -C "$build" -j"$(nproc)" decomposition brunel_ring >"$out/build_mpi.log" 2>&1 ||
  { grep -E "error" "$out/build_mpi.log" | head -30; exit 1; }
ref=$out/decomposition_reference.txt
mpi() { mpirun --oversubscribe -np "$@"; }
echo "== decomposition: reference on CPU workers, 1 process"
mpi 1 "$build/tests/mpi/decomposition" --write "$ref" || status=1
for n in 1 2 4; do
  echo "== decomposition: $n processes on the GPU against the CPU reference"
  mpi "$n" "$build/tests/mpi/decomposition" --compare "$ref" cuda || status=1
done
# The slice-end tasks follow the last step's recordings of the per-step graph, and spikes that go
# one way leave process 0 with outboxes and no inboxes (only its task order protects them).
echo "== decomposition: 2 processes on the GPU, slices of 1 step"
mpi 2 "$build/tests/mpi/decomposition" --compare "$ref" slice=1 cuda || status=1
one_way=$out/decomposition_one_way.txt
echo "== decomposition, one way: reference on CPU workers, then 2 processes on the GPU"
mpi 1 "$build/tests/mpi/decomposition" --write "$one_way" one_way || status=1
mpi 2 "$build/tests/mpi/decomposition" --compare "$one_way" one_way cuda || status=1
echo "== brunel_ring, 4 processes on the GPU"
mpi 4 "$build/examples/brunel_ring" --neurons "${STARLING_RING_NEURONS:-5000}" \
  --output "$build/ring" || status=1
exit $status
