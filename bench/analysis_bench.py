#!/usr/bin/env python3
"""Spike files the size of 10 s of the full microcircuit, then the wall time of starling analyze.

Usage: analysis_bench.py STARLING DIR [T_MS]
Writes DIR/<population>.h5 (SONATA): the microcircuit's 77,169 neurons with Poisson spike trains
at the published rates of Potjans & Diesmann (2014), times on the 0.1 ms grid (about 2.5 million
spikes in 10 s, as the simulated microcircuit gives), then runs `starling analyze DIR` three times
and prints one JSON line with the wall times.
"""
import json
import os
import subprocess
import sys
import time

import h5py
import numpy as np

SIZES = {"L23E": 20683, "L23I": 5834, "L4E": 21915, "L4I": 5479,
         "L5E": 4850, "L5I": 1065, "L6E": 14395, "L6I": 2948}
RATES = {"L23E": 0.9, "L23I": 2.8, "L4E": 4.4, "L4I": 5.7,
         "L5E": 7.6, "L5I": 8.6, "L6E": 1.1, "L6I": 7.7}  # spikes/s


def main():
    starling, out = sys.argv[1], sys.argv[2]
    t_ms = float(sys.argv[3]) if len(sys.argv) > 3 else 10000.0
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(12)
    steps = int(round(t_ms / 0.1))
    total = 0
    for pop, n in SIZES.items():
        count = rng.poisson(RATES[pop] * t_ms / 1000.0 * n)
        step = rng.integers(1, steps + 1, size=count)
        ids = rng.integers(0, n, size=count)
        order = np.lexsort((ids, step))
        with h5py.File(os.path.join(out, pop + ".h5"), "w") as f:
            g = f.create_group("spikes/" + pop)
            g.create_dataset("timestamps", data=step[order] * 0.1)
            g.create_dataset("node_ids", data=ids[order].astype(np.uint64))
            g.attrs["n_nodes"] = np.uint64(n)
            g.attrs["t_stop"] = t_ms
        total += count
    walls = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([starling, "analyze", out], check=True, stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - t0)
    print(json.dumps({"bench": "analyze", "neurons": sum(SIZES.values()), "t_ms": t_ms,
                      "spikes": int(total), "wall_s": [round(w, 4) for w in walls]}))


if __name__ == "__main__":
    main()
