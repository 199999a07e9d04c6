#!/usr/bin/env bash
# Runs on the GPU machine (after scripts/gpu_pack.sh here, in a copy of the tree with .deps/):
# builds bench/brunel_large with CUDA (build-gpu/) and runs the Brunel network of 500,000 neurons
# with 10,000 synapses each (5e9 synapses; the excitatory connect call alone holds 3.2e9) for
# 1 s of model time on the GPU, after a small run of the same program that checks the set-up.
# JSON lines (build time, RTF, bytes per synapse, rates) go to ${OUT:-build-gpu}/brunel_large.jsonl;
# STARLING_BRUNEL_N, STARLING_BRUNEL_K and STARLING_BRUNEL_T change the size and model time.
#   gpu_brunel_large.sh build   only builds (a later call on the same machine then only runs)
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
configure_gpu_build || exit 1
make -C "$build" -j"$(nproc)" brunel_large >"$out/build_brunel_large.log" 2>&1 ||
  { grep -E "error" "$out/build_brunel_large.log" | head -30; exit 1; }
[ "${1:-}" = build ] && { echo "gpu_brunel_large: built $build/bench/brunel_large"; exit 0; }
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$out/gpu.txt"
run() { echo "+ $*" >&2; timeout 540 "$@" | tee -a "$out/brunel_large.jsonl"; }
status=0
run "$build/bench/brunel_large" --backend cuda --neurons 50000 --indegree 1000 --t-sim 200 || status=1
run "$build/bench/brunel_large" --backend cuda --neurons "${STARLING_BRUNEL_N:-500000}" \
  --indegree "${STARLING_BRUNEL_K:-10000}" --t-sim "${STARLING_BRUNEL_T:-1000}" || status=1
exit $status
