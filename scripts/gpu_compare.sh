#!/usr/bin/env bash
# Runs on the GPU machine: the microcircuit benchmark of this tree beside a baseline tree, in one
# run, alternating (baseline, this tree) for $STARLING_ROUNDS rounds (default 5), 10 s of model
# time after 0.5 s, seed 1, Poisson input; prints each JSON line and the median RTF of each.
# Usage: bash scripts/gpu_compare.sh BASELINE.tar.gz  (made here with
#   git archive -o .deps/baseline.tar.gz <commit>; carry .deps).
# Needs build-gpu/ of this tree (scripts/gpu_test.sh builds it).
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
base_src=/tmp/starling-baseline
rm -rf "$base_src" && mkdir -p "$base_src" && tar -xzf "$1" -C "$base_src"
ln -sfn "$repo/.deps" "$base_src/.deps"
cmake -S "$base_src" -B "$base_src/build-gpu" -DCMAKE_BUILD_TYPE=Release -DSTARLING_ENABLE_CUDA=ON \
  -DCMAKE_CUDA_ARCHITECTURES=90 -DSTARLING_STARPU_PREFIX="$repo/.deps/starpu" \
  -DSTARLING_ENABLE_MPI=OFF -DSTARLING_BUILD_TESTS=OFF >"$out/base_configure.log" 2>&1 &&
  make -C "$base_src/build-gpu" -j"$(nproc)" starling >"$out/base_build.log" 2>&1 ||
  { tail -30 "$out/base_build.log"; exit 1; }
make -C "$build" -j"$(nproc)" starling >/dev/null 2>&1 || exit 1
rounds=${STARLING_ROUNDS:-5}
for r in $(seq "$rounds"); do
  for which in base this; do
    bin=$build/bin/starling
    [ "$which" = base ] && bin=$base_src/build-gpu/bin/starling
    line=$(timeout 240 "$bin" bench microcircuit --scale 1.0 --backend cuda --t-presim 500 \
      --t-sim 10000 --seed 1)
    echo "$which $line" | tee -a "$out/compare.jsonl"
  done
done
python3 - "$out/compare.jsonl" <<'PY'
import json, statistics, sys
rtf = {}
for line in open(sys.argv[1]):
    which, _, js = line.partition(' ')
    rtf.setdefault(which, []).append(json.loads(js)['rtf'])
for which, v in rtf.items():
    print(f"{which}: median RTF {statistics.median(v):.4f} over {len(v)} runs: {v}")
PY
