#!/usr/bin/env python3
"""PNG plots of `starling plot` (matplotlib): the statistics come from starling as JSON.

Usage: starling_plot.py OUTPUT_DIR STATS_A.json [STATS_B.json] [--label-a A] [--label-b B]
                        [--raster FILE.h5 ...]

- raster.png: for each population of set A, the spikes of its correlation sample (the first N
  neurons with spikes) over the window, populations stacked; below, each population's rate
  (spikes/s per neuron) in bins of the statistics' bin width;
- violins.png: the distributions of rates, CV ISI and pairwise correlations per population; with
  a second set, A on the left half and B on the right half of each violin.
"""
import argparse
import json
import os
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def load(path):
    with open(path) as f:
        return json.load(f)["populations"]


def pooled(pops):
    """Distributions per population name, pooled over runs, in the order first seen."""
    out = {}
    for p in pops:
        d = out.setdefault(p["population"], {"rates": [], "cv_isi": [], "correlations": []})
        for key in d:
            d[key] += [x for x in p[key] if x is not None]
    return out


def raster(out_dir, stats, files):
    by_name = {p["population"]: p for p in stats}
    spikes = []
    for f in files:
        with h5py.File(f, "r") as h:
            for name in h["spikes"]:
                if name in by_name:
                    g = h["spikes"][name]
                    spikes.append((name, g["timestamps"][:], g["node_ids"][:]))
    if not spikes:
        raise SystemExit("starling plot: no spikes of the analysed populations to draw")
    fig, (ax, axr) = plt.subplots(2, 1, figsize=(10, 8), sharex=True,
                                  gridspec_kw={"height_ratios": [3, 1]})
    offset = 0
    ticks, labels = [], []
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for k, (name, t, ids) in enumerate(spikes):
        p = by_name[name]
        start, stop, width = p["start_ms"], p["stop_ms"], p["bin_ms"]
        sample = np.array(p["sampled"], dtype=np.int64)
        row = np.full(int(p["size"]), -1, dtype=np.int64)
        row[sample] = np.arange(len(sample))
        inside = (t >= start) & (t <= stop)
        t_in, id_in = t[inside], ids[inside].astype(np.int64)
        shown = row[id_in] >= 0
        c = colors[k % len(colors)]
        ax.plot(t_in[shown], offset + row[id_in[shown]], ".", ms=1, color=c)
        ticks.append(offset + len(sample) / 2)
        labels.append(name)
        offset += len(sample) + 5
        n_bins = max(1, int(round((stop - start) / width)))
        counts, edges = np.histogram(t_in, bins=n_bins, range=(start, start + n_bins * width))
        axr.plot(edges[:-1], counts / p["size"] / (width / 1000.0), lw=0.8, color=c, label=name)
    ax.set_yticks(ticks, labels)
    ax.invert_yaxis()
    ax.set_ylabel("neurons (sample)")
    ax.set_title("spikes")
    axr.set_xlabel("time (ms)")
    axr.set_ylabel("rate (spikes/s)")
    axr.legend(fontsize="small", ncol=4)
    fig.tight_layout()
    path = os.path.join(out_dir, "raster.png")
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def violins(out_dir, a, b, label_a, label_b):
    names = list(a)
    keys = (("rates", "rate (spikes/s)"), ("cv_isi", "CV ISI"),
            ("correlations", "correlation coefficient"))
    fig, axes = plt.subplots(3, 1, figsize=(max(6, 1.2 * len(names)), 10))
    for ax, (key, title) in zip(axes, keys):
        for side, data, color, label in (("low" if b else "both", a, "tab:blue", label_a),
                                         ("high", b, "tab:orange", label_b)):
            if not data:
                continue
            pos = [i for i, n in enumerate(names) if n in data and len(data[n][key]) > 1]
            if not pos:
                continue
            parts = ax.violinplot([data[names[i]][key] for i in pos], positions=pos,
                                  side=side, showmeans=True, widths=0.8)
            for body in parts["bodies"]:
                body.set_facecolor(color)
                body.set_alpha(0.6)
            body.set_label(label)
        ax.set_xticks(range(len(names)), names)
        ax.set_ylabel(title)
        if b:
            ax.legend(fontsize="small")
    fig.tight_layout()
    path = os.path.join(out_dir, "violins.png")
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("output")
    ap.add_argument("stats", nargs="+")
    ap.add_argument("--label-a", default="A")
    ap.add_argument("--label-b", default="B")
    ap.add_argument("--raster", nargs="*", default=[])
    args = ap.parse_args()
    a = load(args.stats[0])
    b = load(args.stats[1]) if len(args.stats) > 1 else None
    written = []
    if args.raster:
        written.append(raster(args.output, a, args.raster))
    written.append(violins(args.output, pooled(a), pooled(b) if b else None, args.label_a,
                           args.label_b))
    for w in written:
        print("wrote", w)
    return 0


if __name__ == "__main__":
    sys.exit(main())
