"""First- and second-order statistics of the Brunel network (brunel.py): per-neuron firing
rates, the coefficient of variation of the inter-spike intervals (CV ISI) and pairwise spike
count correlations; prints their means and writes a figure with their distributions.

    python examples/python/brunel_statistics.py [--neurons 10000] [--t-sim 2000] [--output out/python]
"""
import argparse
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import starling as nest  # noqa: E402
from brunel import build  # noqa: E402


def rates(senders, first, n, duration):
    """Spikes/s of each of n neurons with ids first .. first+n-1 over `duration` ms."""
    return np.bincount(senders - first, minlength=n)[:n] / (duration * 1e-3)


def cv_isi(senders, times, first, n, min_spikes=3):
    """CV of the inter-spike intervals of each neuron with at least min_spikes spikes."""
    order = np.lexsort((times, senders))
    s, t = senders[order], times[order]
    cvs = []
    for i in range(n):
        lo, hi = np.searchsorted(s, [first + i, first + i + 1])
        if hi - lo >= min_spikes:
            isi = np.diff(t[lo:hi])
            cvs.append(isi.std() / isi.mean())
    return np.array(cvs)


def correlations(senders, times, first, n_pairs_neurons, t_start, t_stop, bin_ms=5.0):
    """Pearson correlation of the binned spike counts of every pair among the first neurons."""
    n_bins = int(round((t_stop - t_start) / bin_ms))
    sel = (senders < first + n_pairs_neurons) & (times > t_start) & (times <= t_stop)
    # Spikes stamped at a step's end: bin k holds (t_start + k bin, t_start + (k + 1) bin].
    b = np.ceil((times[sel] - t_start) / bin_ms - 1e-9).astype(int) - 1
    counts = np.zeros((n_pairs_neurons, n_bins))
    np.add.at(counts, (senders[sel] - first, b), 1)
    counts = counts[counts.std(axis=1) > 0]
    c = np.corrcoef(counts)
    return c[np.triu_indices(len(c), k=1)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--neurons", type=int, default=10000)
    ap.add_argument("--t-sim", type=float, default=2000.0)
    ap.add_argument("--t-transient", type=float, default=200.0)
    ap.add_argument("--backend", default="auto")
    ap.add_argument("--output", default="out/python")
    a = ap.parse_args()
    exc, inh, _ = build(a.neurons, backend=a.backend)
    nest.Simulate(a.t_transient)  # the start-up transient is not recorded
    sr = nest.Create("spike_recorder", params={"start": a.t_transient})
    nest.Connect(exc, sr)
    nest.Simulate(a.t_sim)
    ev = sr.events
    senders, times = ev["senders"], ev["times"]
    first, ne = exc.tolist()[0], len(exc)
    r = rates(senders, first, ne, a.t_sim)
    cv = cv_isi(senders, times, first, ne)
    cc = correlations(senders, times, first, min(200, ne), a.t_transient,
                      a.t_transient + a.t_sim)
    print(f"excitatory neurons: {ne}, {len(times)} spikes in {a.t_sim:g} ms")
    print(f"rate        mean {r.mean():.3f} spikes/s, sd {r.std():.3f}")
    print(f"CV ISI      mean {cv.mean():.3f} over {len(cv)} neurons")
    print(f"correlation mean {cc.mean():.4f}, sd {cc.std():.4f} over {len(cc)} pairs (5 ms bins)")

    os.makedirs(a.output, exist_ok=True)
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.5))
    step = 1000.0 / a.t_sim  # rates are whole spike counts over t_sim
    axes[0].hist(r, bins=np.arange(r.min() - step / 2, r.max() + step, step), color="0.3")
    axes[0].set_xlabel("rate (spikes/s)")
    axes[0].set_ylabel("neurons")
    axes[1].hist(cv, bins=40, color="0.3")
    axes[1].set_xlabel("CV ISI")
    axes[2].hist(cc, bins=60, color="0.3")
    axes[2].set_xlabel("spike count correlation (5 ms bins)")
    axes[2].set_ylabel("pairs")
    fig.suptitle(f"Brunel network, excitatory population ({ne} neurons)")
    fig.tight_layout()
    png = os.path.join(a.output, "brunel_statistics.png")
    fig.savefig(png, dpi=120)
    print(f"figure: {png}")


if __name__ == "__main__":
    main()
