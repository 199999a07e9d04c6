#!/usr/bin/env bash
# Runs on the GPU machine after scripts/gpu_test.sh: per-kernel GPU time of the microcircuit
# (full scale, Poisson input) from Nsight Systems, kernels inside the slice graphs included.
# Writes ${OUT:-build-gpu}/profile.txt; says so and stops where nsys is missing.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$repo/build-gpu}
export LD_LIBRARY_PATH="$repo/.deps/starpu/lib:${LD_LIBRARY_PATH:-}"
nsys=$(command -v nsys || ls /usr/local/cuda/bin/nsys /opt/nvidia/nsight-systems/*/bin/nsys 2>/dev/null | head -1)
[ -n "$nsys" ] || { echo "gpu_profile: nsys not found" | tee "$out/profile.txt"; exit 0; }
t_sim=${STARLING_PROFILE_T_SIM:-1000}
"$nsys" profile --cuda-graph-trace=node --trace=cuda -o /tmp/starling_profile --force-overwrite true \
  "$repo/build-gpu/bin/starling" bench microcircuit --scale 1.0 --t-presim 100 --t-sim "$t_sim" \
  --seed 1 --backend cuda >/tmp/starling_profile.log 2>&1
"$nsys" stats --report cuda_gpu_kern_sum --format csv /tmp/starling_profile.nsys-rep \
  >"$out/profile.txt" 2>&1
echo "steps profiled: $(( (100 + t_sim) * 10 ))" >>"$out/profile.txt"
head -c 3000 "$out/profile.txt"
