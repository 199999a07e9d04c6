"""The STDP window of stdp_synapse: the weight change after one pre-post pairing against the
spike-time difference dt = t_post - t_pre, printed next to the closed form of the additive rule
and plotted (if matplotlib is there).

One pair of parrot neurons per dt, driven by spike generators: the pre parrot spikes at 200 ms
and again at 1000 ms (that spike applies the facilitation; its own depression is negligible), the
post parrot at 200 + dt ms. The plastic synapse reaches the post parrot on receptor 1, where a
parrot does not repeat spikes, so the post spike times are the generator's. The delay d is
dendritic, as in NEST: the synapse sees the post spike at t_post + d, and the window is centred
on dt = -d. A weight_recorder records every weight change.

    python examples/python/stdp_pairing.py [--output out/python] [--backend auto]
"""
import argparse
import math
import os

import numpy as np

import starling as nest

W0, WMAX, LAMBDA, ALPHA = 50.0, 100.0, 0.01, 1.0  # pA, pA, -, -
TAU_PLUS, TAU_MINUS, DELAY = 20.0, 20.0, 1.0  # ms
T_PRE, T_READ = 200.0, 1000.0  # ms


def closed_form(dt):
    """Additive STDP (mu_plus = mu_minus = 0): the change after one pairing (pA)."""
    seen = dt + DELAY  # post spike as the synapse sees it, after the pre spike
    if seen >= 0.0:
        return LAMBDA * WMAX * math.exp(-seen / TAU_PLUS)
    return -LAMBDA * ALPHA * WMAX * math.exp(seen / TAU_MINUS)


def stdp_window(dts, backend="auto"):
    """Simulates one pairing per dt; returns the weight changes (pA) and the weight_recorder's
    events."""
    nest.ResetKernel()
    nest.SetKernelStatus({"backend": backend})
    n = len(dts)
    pre = nest.Create("parrot_neuron", n)
    post = nest.Create("parrot_neuron", n, {"tau_minus": TAU_MINUS})
    drive_pre = nest.Create("spike_generator", n, {
        "spike_times": [[T_PRE - 1.0, T_READ - 1.0]] * n})
    drive_post = nest.Create("spike_generator", n, {
        "spike_times": [[T_PRE + dt - 1.0] for dt in dts]})
    nest.Connect(drive_pre, pre, "one_to_one", {"delay": 1.0})
    nest.Connect(drive_post, post, "one_to_one", {"delay": 1.0})
    wr = nest.Create("weight_recorder")
    nest.CopyModel("stdp_synapse", "additive_stdp", {
        "tau_plus": TAU_PLUS, "lambda": LAMBDA, "alpha": ALPHA, "mu_plus": 0.0, "mu_minus": 0.0,
        "Wmax": WMAX, "weight_recorder": wr})
    nest.Connect(pre, post, "one_to_one", {"synapse_model": "additive_stdp", "weight": W0,
                                           "delay": DELAY, "receptor_type": 1})
    nest.Simulate(T_READ + 10.0)
    c = nest.GetConnections(pre, post)
    order = np.argsort(c.target)
    return c.weight[order] - W0, wr.events


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend", default="auto")
    ap.add_argument("--output", default="out/python")
    a = ap.parse_args()
    dts = np.arange(-50.0, 51.0, 5.0)  # ms; dt + d is never 0
    dw, events = stdp_window(dts, a.backend)
    expected = np.array([closed_form(dt) for dt in dts])
    print(f"stdp_synapse, additive: W0 {W0} pA, Wmax {WMAX} pA, lambda {LAMBDA}, "
          f"tau_plus {TAU_PLUS} ms, tau_minus {TAU_MINUS} ms, dendritic delay {DELAY} ms")
    print(f"{'dt (ms)':>8} {'dw (pA)':>12} {'closed form':>12}")
    for dt, got, want in zip(dts, dw, expected):
        print(f"{dt:8.1f} {got:12.6f} {want:12.6f}")
    print(f"weight_recorder: {len(events['times'])} events (2 per pair)")
    print(f"largest difference from the closed form: {np.max(np.abs(dw - expected)):.3g} pA")
    try:
        import matplotlib
    except ImportError:
        return
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    os.makedirs(a.output, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 4))
    for side in (np.linspace(dts[0], -DELAY - 1e-9, 400), np.linspace(-DELAY, dts[-1], 400)):
        ax.plot(side, [closed_form(dt) for dt in side], color="0.6",
                label="closed form" if side[0] == dts[0] else None)
    ax.plot(dts, dw, "o", color="k", label="Starling")
    ax.axhline(0.0, color="0.8", lw=0.8)
    ax.axvline(-DELAY, color="0.8", lw=0.8, ls="--")
    ax.set_xlabel("t_post - t_pre (ms)")
    ax.set_ylabel("weight change (pA)")
    ax.set_title("STDP window of stdp_synapse (one pairing)")
    ax.legend()
    png = os.path.join(a.output, "stdp_pairing.png")
    fig.tight_layout()
    fig.savefig(png, dpi=120)
    print(f"plot: {png}")


if __name__ == "__main__":
    main()
