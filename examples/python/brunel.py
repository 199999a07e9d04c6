"""The Brunel (2000) network of examples/brunel/brunel.json with PyNEST's verbs: 10,000
iaf_psc_exp neurons (80% excitatory), fixed in-degree, g = 5, Poisson drive; prints the rates
and writes a raster plot with the population rate below it.

    python examples/python/brunel.py [--neurons 10000] [--t-sim 1000] [--output out/python]
"""
import argparse
import os
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import starling as nest  # noqa: E402


def build(n_neurons, seed=143202461, backend="auto"):
    """The network of examples/brunel/brunel.json (the same one for 10,000 neurons: same
    populations, connections and order, so the same spikes); returns (excitatory, inhibitory,
    spike recorder of all neurons)."""
    nest.ResetKernel()
    nest.SetKernelStatus({"resolution": 0.1, "rng_seed": seed, "backend": backend})
    ne = n_neurons * 4 // 5
    ni = n_neurons - ne
    ce, ci = ne // 10, ni // 10  # in-degrees: 10% connectivity
    params = {"tau_syn_ex": 0.5, "tau_syn_in": 0.5, "t_ref": 2.0}
    exc = nest.Create("iaf_psc_exp", ne, params)
    inh = nest.Create("iaf_psc_exp", ni, params)
    noise = nest.Create("poisson_generator", params={"rate": 30000.0})
    (exc + inh).V_m = -65.0
    je, g = 30.0, 5.0  # pA, relative inhibition
    for target in (exc, inh):
        nest.Connect(exc, target, {"rule": "fixed_indegree", "indegree": ce},
                     {"weight": je, "delay": 1.5})
    for target in (exc, inh):
        nest.Connect(inh, target, {"rule": "fixed_indegree", "indegree": ci},
                     {"weight": -g * je, "delay": 0.8})
    for target in (exc, inh):
        nest.Connect(noise, target, "all_to_all", {"weight": je, "delay": 0.1})
    sr = nest.Create("spike_recorder")
    nest.Connect(exc + inh, sr)
    return exc, inh, sr


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--neurons", type=int, default=10000)
    ap.add_argument("--t-sim", type=float, default=1000.0)
    ap.add_argument("--backend", default="auto")
    ap.add_argument("--output", default="out/python")
    a = ap.parse_args()
    t0 = time.perf_counter()
    exc, inh, sr = build(a.neurons, backend=a.backend)
    nest.Prepare()
    t1 = time.perf_counter()
    nest.Simulate(a.t_sim)
    t2 = time.perf_counter()
    ev = sr.events  # numpy views of Starling's recording
    senders, times = ev["senders"], ev["times"]
    print(f"device {nest.GetKernelStatus('device')}, {a.neurons} neurons, "
          f"{nest.GetKernelStatus('num_connections')} connections")
    print(f"build {t1 - t0:.3f} s, simulate {t2 - t1:.3f} s (RTF {(t2 - t1) / (a.t_sim * 1e-3):.3f})")
    for name, pop in (("exc", exc), ("inh", inh)):
        ids = np.array(pop.tolist())
        n = np.count_nonzero((senders >= ids[0]) & (senders <= ids[-1]))
        print(f"{name}: {n} spikes, {n / len(ids) / (a.t_sim * 1e-3):.3f} spikes/s")

    os.makedirs(a.output, exist_ok=True)
    shown = min(500, a.neurons)  # neurons in the raster
    first = exc.tolist()[0]
    sel = senders < first + shown
    fig, (ax1, ax2) = plt.subplots(2, 1, sharex=True, figsize=(8, 6),
                                   gridspec_kw={"height_ratios": [3, 1]})
    ax1.plot(times[sel], senders[sel], ".", markersize=1.5, color="k")
    ax1.set_ylabel("neuron id")
    ax1.set_title(f"Brunel network, {a.neurons} neurons (first {shown} shown)")
    bins = np.arange(0.0, a.t_sim + 5.0, 5.0)
    counts, _ = np.histogram(times, bins)
    ax2.bar(bins[:-1], counts / a.neurons / 5e-3, width=5.0, align="edge", color="0.4")
    ax2.set_xlabel("time (ms)")
    ax2.set_ylabel("rate (spikes/s)")
    png = os.path.join(a.output, "brunel_raster.png")
    fig.tight_layout()
    fig.savefig(png, dpi=120)
    print(f"raster: {png}")


if __name__ == "__main__":
    main()
