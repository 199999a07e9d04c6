#!/usr/bin/env bash
# Runs on the GPU machine: NEST's HPC benchmark (`starling bench hpc`) with plastic E -> E
# synapses (stdp_pl_synapse_hom) and, right after at the same scale, static ones, for the scales
# in $STARLING_HPC_SCALES (default 1 10 30 60); prints each JSON line and, per scale, the GPU
# time per synaptic event of each and their ratio. Needs build-gpu/bin/starling (gpu_check.sh
# builds it). Logs go to ${OUT:-build-gpu}/.
set -uo pipefail
source "$(dirname "$0")/gpu_env.sh"
status=0
for s in ${STARLING_HPC_SCALES:-1 10 30 60}; do
  for plastic in 1 0; do
    line=$(timeout 200 "$build/bin/starling" bench hpc --scale "$s" --backend cuda \
      --t-presim "${STARLING_HPC_PRESIM:-50}" --t-sim "${STARLING_HPC_T:-200}" \
      --plastic "$plastic" 2>"$out/hpc_${s}_${plastic}.err") ||
      { echo "scale $s plastic $plastic: failed: $(tail -2 "$out/hpc_${s}_${plastic}.err")"; status=1; continue; }
    echo "$line" | tee -a "$out/hpc.jsonl"
  done
done
python3 - "$out/hpc.jsonl" <<'PY'
import json, sys
runs = {}
for line in open(sys.argv[1]):
    j = json.loads(line)
    runs.setdefault(j["scale"], {})[j["plastic"]] = j
for s, r in sorted(runs.items()):
    if True in r and False in r:
        p, q = r[True], r[False]
        ns = lambda j: 1e9 / j["events_per_s"]
        print(f"scale {s}: {p['synapses']:.3g} synapses; plastic RTF {p['rtf']:.3f} "
              f"({ns(p):.3f} ns per event), static RTF {q['rtf']:.3f} ({ns(q):.3f} ns per event); "
              f"plastic/static {ns(p) / ns(q):.2f}")
PY
exit $status
