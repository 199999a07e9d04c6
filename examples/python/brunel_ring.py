"""The Brunel ring over MPI (as examples/brunel_ring/brunel_ring.cpp): one Brunel network per
process, each driven by its own Poisson generator, connected in a feed-forward ring (60% of a
network's excitatory and 10% of its inhibitory inputs come from the previous process). At
500 ms the Poisson rate of process 0 drops by 25% for 100 ms and the effect travels around the
ring. Process 0 prints the excitatory rate of every process in 20 ms bins and plots them.

    mpirun -np 4 python examples/python/brunel_ring.py [--neurons 5000] [--t-sim 1200] [--output out/python]
"""
import argparse
import os
import time

import numpy as np

import starling as nest

POISSON_RATE = 28000.0  # Hz
BIN = 20.0  # ms


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--neurons", type=int, default=5000, help="per process")
    ap.add_argument("--t-sim", type=float, default=1200.0)
    ap.add_argument("--backend", default="auto")
    ap.add_argument("--output", default="out/python")
    a = ap.parse_args()
    if a.t_sim < 700.0:
        raise SystemExit("brunel_ring: --t-sim below 700 ms misses the rate drop")

    nest.ResetKernel()
    nest.SetKernelStatus({"rng_seed": 1234, "backend": a.backend})
    n = nest.NumProcesses()
    ne = a.neurons * 4 // 5
    ni = a.neurons - ne
    ce, ci = ne // 10, ni // 10
    params = {"tau_syn_ex": 0.5, "tau_syn_in": 0.5, "V_m": nest.random.uniform(-70.0, -55.0)}
    exc, inh, noise = [], [], []
    for r in range(n):  # every process creates every population, in the same order
        exc.append(nest.RemoteCreate(r, "iaf_psc_exp", ne, params))
        inh.append(nest.RemoteCreate(r, "iaf_psc_exp", ni, params))
        noise.append(nest.RemoteCreate(r, "poisson_generator", 1, {"rate": POISSON_RATE}))
    t0 = time.perf_counter()
    je = {"weight": 30.0, "delay": 1.5}
    ji = {"weight": -150.0, "delay": 1.5}
    jx = {"weight": 30.0, "delay": 0.1}
    for r in range(n):
        prev = (r + n - 1) % n
        local_e = ce * 4 // 10
        local_i = ci * 9 // 10
        for target in (exc[r], inh[r]):
            nest.RemoteConnect(r, exc[r], r, target, {"rule": "fixed_indegree", "indegree": local_e}, je)
            nest.RemoteConnect(prev, exc[prev], r, target,
                               {"rule": "fixed_indegree", "indegree": ce - local_e}, je)
            nest.RemoteConnect(r, inh[r], r, target, {"rule": "fixed_indegree", "indegree": local_i}, ji)
            nest.RemoteConnect(prev, inh[prev], r, target,
                               {"rule": "fixed_indegree", "indegree": ci - local_i}, ji)
            nest.RemoteConnect(r, noise[r], r, target, "all_to_all", jx)
    recorders = []
    for e in exc:
        sr = nest.Create("spike_recorder")
        nest.Connect(e, sr)
        recorders.append(sr)
    nest.Prepare()
    t1 = time.perf_counter()
    nest.Simulate(500.0)
    noise[0].rate = 0.75 * POISSON_RATE
    nest.Simulate(100.0)
    noise[0].rate = POISSON_RATE
    nest.Simulate(a.t_sim - 600.0)
    t2 = time.perf_counter()

    spikes = [nest.GatherEvents(sr) for sr in recorders]  # collective
    connections = nest.GetKernelStatus("num_connections")
    if nest.Rank() != 0:
        return
    print(f"brunel_ring: {n} processes x {a.neurons} neurons, {connections} connections, "
          f"build {t1 - t0:.3f} s, simulate {t2 - t1:.3f} s (RTF {(t2 - t1) / (a.t_sim * 1e-3):.3f})")
    edges = np.arange(0.0, a.t_sim + BIN / 2, BIN)
    rates = np.array([np.histogram(s["times"] - 1e-9, edges)[0] / ne / (BIN * 1e-3)
                      for s in spikes])
    print(f"excitatory rate (spikes/s) per process, {BIN:g} ms bins; Poisson drive of process 0 "
          "lowered by 25% in [500, 600) ms")
    print("    t_ms" + "".join(f"  proc{r:<3d}" for r in range(n)))
    for b in range(len(edges) - 1):
        print(f"{edges[b]:8.0f}" + "".join(f"  {rates[r, b]:7.2f}" for r in range(n)))

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    os.makedirs(a.output, exist_ok=True)
    fig, ax = plt.subplots(figsize=(8, 4))
    centres = edges[:-1] + BIN / 2
    for r in range(n):
        ax.plot(centres, rates[r], label=f"process {r}")
    ax.axvspan(500.0, 600.0, color="0.9", label="drive of process 0 -25%")
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("excitatory rate (spikes/s)")
    ax.set_title(f"Brunel ring, {n} processes x {a.neurons} neurons")
    ax.legend(fontsize=8)
    fig.tight_layout()
    png = os.path.join(a.output, "brunel_ring_rates.png")
    fig.savefig(png, dpi=120)
    print(f"plot: {png}")


if __name__ == "__main__":
    main()
