#!/usr/bin/env bash
# Runs on the GPU machine after scripts/gpu_test.sh: GPU time of each kernel from Nsight Compute
# (gpu__time_duration), for the microcircuit's steps (the kernels inside the slice graphs, 200
# launches after the first 500) and for its construction (every kernel of one build). Writes
# ${OUT:-build-gpu}/ncu_summary.txt: per kernel name, launches, total and mean microseconds.
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
ncu=$(command -v ncu || echo /usr/local/cuda/bin/ncu)
summary() {  # CSV of ncu on stdin -> one line per kernel
  python3 -c '
import csv, sys, collections
tot = collections.defaultdict(float); cnt = collections.Counter()
for row in csv.reader(sys.stdin):
    if len(row) < 15 or row[0] == "ID" or not row[-1].replace(".", "").replace(",", "").isdigit():
        continue
    name = row[4].split("(")[0].split("<")[0][-60:]
    unit = row[-2]
    v = float(row[-1].replace(",", ""))
    v = v / 1000.0 if unit in ("nsecond", "ns") else v * 1000.0 if unit in ("msecond", "ms") else v
    tot[name] += v; cnt[name] += 1
for name in sorted(tot, key=lambda n: -tot[n]):
    print(f"{name:60s} {cnt[name]:6d} launches {tot[name]:12.1f} us total {tot[name]/cnt[name]:10.2f} us mean")
'
}
{
  echo "== microcircuit steps (Poisson, seed 1): update and delivery kernels in the slice graphs"
  "$ncu" --csv --graph-profiling node --metrics gpu__time_duration.sum \
    -k regex:"update_batch|deliver_batch" --launch-skip 500 --launch-count 200 \
    "$build/bin/starling" bench microcircuit --scale 1.0 --t-presim 100 --t-sim 50 --seed 1 \
    --backend cuda 2>/dev/null | summary
  echo "== microcircuit construction (every kernel of one build)"
  "$ncu" --csv --metrics gpu__time_duration.sum \
    "$build/bench/construction_bench" --scale 1.0 --backend cuda --repeat 1 2>/dev/null | summary
} | tee "$out/ncu_summary.txt"
