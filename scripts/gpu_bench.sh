#!/usr/bin/env bash
# Runs on the GPU machine after scripts/gpu_test.sh (which builds build-gpu/): the construction
# benchmark and the microcircuit benchmark on the GPU, and the same runs on the CPU where they
# fit in time. One JSON line per run in ${OUT:-build-gpu}/bench.jsonl.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$repo/build-gpu}
b=$repo/build-gpu
export LD_LIBRARY_PATH="$repo/.deps/starpu/lib:${LD_LIBRARY_PATH:-}"
run() { echo "+ $*" >&2; "$@" | tee -a "$out/bench.jsonl"; }
run "$b/bench/construction_bench" --scale 1.0 --backend cuda --repeat 3
run "$b/bench/construction_bench" --scale 0.1 --backend cuda --repeat 3
run "$b/bench/construction_bench" --scale 0.1 --backend cpu --repeat 1
for seed in 1 2 3; do
  run "$b/bin/starling" bench microcircuit --scale 1.0 --t-presim 500 --t-sim ${STARLING_T_SIM:-1000} --seed $seed --backend cuda
done
run "$b/bin/starling" bench microcircuit --scale 1.0 --t-presim 500 --t-sim ${STARLING_T_SIM:-1000} --seed 1 --backend cuda --background dc
run "$b/bin/starling" bench microcircuit --scale 1.0 --t-presim 10 --t-sim 20 --seed 1 --backend cuda --slice-steps 1
run "$b/bin/starling" run "$repo/examples/brunel/brunel.json" --output "$out/brunel" --backend cuda
