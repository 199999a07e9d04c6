#!/usr/bin/env bash
# Runs on the GPU machine after scripts/gpu_test.sh (which builds build-gpu/): the construction
# benchmark on the GPU and on the CPU, the microcircuit benchmark (10 s of model time after
# 0.5 s, seeds 1-3, Poisson; DC for seed 1), the literal per-step graph (--slice-steps 1), the
# neuron updates per second of every model (bench models, 1 M neurons each), and
# the GPU time per batched kernel and per slice graph, and the floor of a step (step_floor). JSON
# lines go to ${OUT:-build-gpu}/bench.jsonl, the kernel times to bench_kernels.txt.
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
b=$build
t_sim=${STARLING_T_SIM:-10000}
run() { echo "+ $*" >&2; timeout 240 "$@" | tee -a "$out/bench.jsonl"; }
mc() { run "$b/bin/starling" bench microcircuit --scale 1.0 --backend cuda "$@"; }
run "$b/bench/construction_bench" --scale 1.0 --backend cuda --repeat 3
run "$b/bench/construction_bench" --scale 1.0 --backend cpu --repeat 1
for seed in 1 2 3; do mc --t-presim 500 --t-sim "$t_sim" --seed $seed; done
mc --t-presim 500 --t-sim "$t_sim" --seed 1 --background dc
mc --t-presim 10 --t-sim 20 --seed 1 --slice-steps 1
mc --t-presim 10 --t-sim 20 --seed 1
run "$b/bench/step_floor"
run "$b/bin/starling" bench models --backend cuda
for mode in kernels graph; do
  STARLING_KERNEL_TIMES=$mode mc --t-presim 100 --t-sim 1000 --seed 1 2>>"$out/bench_kernels.txt" >/dev/null
done
cat "$out/bench_kernels.txt"
