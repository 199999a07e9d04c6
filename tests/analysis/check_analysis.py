#!/usr/bin/env python3
"""starling's SONATA files and spike statistics against h5py, libsonata and Elephant 1.2.1.

Usage: check_analysis.py STARLING WORKDIR

1. Runs a small network (tests/analysis/small_network.json) with `starling run`; its SONATA spike
   files must read with h5py in SONATA's layout and hold the spikes of the CSV files.
2. Writes spike files with h5py whose times sit on and next to bin edges and the window's ends.
3. Runs `starling analyze --json` on both with several windows, samples and bin widths and
   compares every rate, CV ISI and correlation with Elephant's on the same spikes (1e-9).
4. Bad input: a missing file, a file without /spikes, inconsistent datasets, bad options fail
   with a message naming the problem.
"""
import json
import logging
import os
import shutil
import subprocess
import sys
import warnings

import h5py
import libsonata
import numpy as np
import quantities as pq
import neo
import elephant
from elephant.conversion import BinnedSpikeTrain
from elephant.spike_train_correlation import correlation_coefficient
from elephant.statistics import cv, isi, mean_firing_rate

TOL = 1e-9
# Elephant logs each spike it moves across a bin edge (its rounding tolerance); the test means it.
logging.disable(logging.WARNING)
failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(cmd, expect_rc=0):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != expect_rc:
        print(p.stdout, p.stderr)
        raise SystemExit(f"{' '.join(cmd)}: exit {p.returncode}, expected {expect_rc}")
    return p


def elephant_stats(times, ids, size, start, stop, sample, bin_ms):
    """The statistics of starling analyze, computed by Elephant."""
    sel = (times >= start) & (times <= stop)
    times, ids = times[sel], ids[sel]
    trains = []
    for i in range(size):
        t = np.sort(times[ids == i])
        trains.append(neo.SpikeTrain(t * pq.ms, t_start=start * pq.ms, t_stop=stop * pq.ms))
    rates = [float(mean_firing_rate(st).rescale(pq.Hz).magnitude) for st in trains]
    cvs = [float(cv(isi(st).magnitude)) for st in trains if len(st) >= 3]
    sampled = [i for i in range(size) if len(trains[i]) > 0][:sample]
    corr = []
    if len(sampled) >= 2:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            binned = BinnedSpikeTrain([trains[i] for i in sampled], bin_size=bin_ms * pq.ms,
                                      t_start=start * pq.ms, t_stop=stop * pq.ms)
            c = correlation_coefficient(binned)
        iu = np.triu_indices(len(sampled), k=1)
        corr = list(c[iu])
    return rates, cvs, sampled, corr


def compare(label, pop, times, ids, size, start, stop, sample, bin_ms):
    rates, cvs, sampled, corr = elephant_stats(times, ids, size, start, stop, sample, bin_ms)
    check(pop["size"] == size, f"{label}: size {pop['size']} vs {size}")
    check(pop["sampled"] == sampled, f"{label}: sampled neurons differ")
    for key, ref in (("rates", rates), ("cv_isi", cvs), ("correlations", corr)):
        got = np.array([np.nan if x is None else x for x in pop[key]], dtype=float)
        ref = np.array(ref, dtype=float)
        if got.shape != ref.shape:
            check(False, f"{label}: {key}: {got.shape} values vs Elephant's {ref.shape}")
            continue
        diff = np.abs(got - ref)
        both_nan = np.isnan(got) & np.isnan(ref)
        worst = float(np.max(np.where(both_nan, 0.0, diff), initial=0.0))
        ok = bool(np.all(both_nan | (diff <= TOL)))
        check(ok, f"{label}: {key}: largest difference {worst:.3g} > {TOL}")
        print(f"  {label:40s} {key:13s} n={len(ref):6d} max |starling - elephant| = {worst:.3g}")
    m = np.mean(rates) if rates else float("nan")
    check(abs(pop["mean_rate"] - m) <= TOL, f"{label}: mean rate {pop['mean_rate']} vs {m}")


def analyze(starling, files, json_path, extra):
    run([starling, "analyze", *files, "--json", json_path, *extra])
    with open(json_path) as f:
        return json.load(f)["populations"]


def main():
    starling, work = sys.argv[1], sys.argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    shutil.rmtree(work, ignore_errors=True)  # files of an earlier run would pass for new ones
    os.makedirs(work)
    print("elephant", elephant.__version__, "h5py", h5py.__version__)
    check(elephant.__version__ == "1.2.1", f"Elephant {elephant.__version__}, expected 1.2.1")

    # 1. A simulated network: SONATA layout, same spikes as the CSV.
    out = os.path.join(work, "run")
    run([starling, "run", os.path.join(here, "small_network.json"), "--output", out])
    sim = {}
    for rec, pop, size, t0 in (("exc_spikes", "exc", 300, 0.0), ("inh_spikes", "inh", 80, 100.0)):
        with h5py.File(os.path.join(out, rec + ".h5"), "r") as f:
            g = f["spikes"][pop]
            t, n = g["timestamps"][:], g["node_ids"][:]
            check(list(f["spikes"].keys()) == [pop], f"{rec}: populations {list(f['spikes'])}")
            check(g["node_ids"].dtype == np.uint64, f"{rec}: node_ids dtype {g['node_ids'].dtype}")
            check(g["timestamps"].dtype == np.float64, f"{rec}: timestamps dtype")
            check(g["timestamps"].attrs["units"] == "ms", f"{rec}: units")
            check(int(g.attrs["sorting"]) == 2, f"{rec}: sorting {g.attrs['sorting']} (by_time = 2)")
            check(h5py.check_enum_dtype(g.attrs.get_id("sorting").dtype) ==
                  {"none": 0, "by_id": 1, "by_time": 2}, f"{rec}: sorting enumeration")
            check(int(g.attrs["n_nodes"]) == size, f"{rec}: n_nodes")
            check(float(g.attrs["t_start"]) == t0, f"{rec}: t_start {g.attrs['t_start']}")
            check(float(g.attrs["t_stop"]) == 1000.0, f"{rec}: t_stop")
            check(bool(np.all(np.diff(t) >= 0)), f"{rec}: timestamps not sorted by time")
        # libsonata reads the same spikes, sorted by time.
        pop_reader = libsonata.SpikeReader(os.path.join(out, rec + ".h5"))[pop]
        check(pop_reader.sorting == "by_time", f"libsonata: sorting {pop_reader.sorting}")
        got = np.array(pop_reader.get())
        check(len(got) == len(t) and np.array_equal(got[:, 0], n) and np.array_equal(got[:, 1], t),
              f"libsonata: {rec} spikes differ from h5py's")
        csv = np.genfromtxt(os.path.join(out, rec + ".csv"), delimiter=",", skip_header=1,
                            usecols=(1, 2))
        check(len(t) > 1000, f"{rec}: only {len(t)} spikes")
        check(len(csv) == len(t) and np.array_equal(csv[:, 0], n) and
              np.allclose(csv[:, 1], t, rtol=0, atol=1e-9), f"{rec}: HDF5 and CSV spikes differ")
        check(bool(np.all(t > t0)), f"{rec}: spike before the window's start")
        sim[pop] = (t, n.astype(np.int64), size, t0)
    csv = np.genfromtxt(os.path.join(out, "inh_vm.csv"), delimiter=",", skip_header=1,
                        usecols=(1, 2, 3, 4))
    for k, var in enumerate(("V_m", "I_syn_ex")):
        with h5py.File(os.path.join(out, f"inh_vm.{var}.h5"), "r") as f:
            d = f["report/inh/data"]
            check(d.shape == (999, 80), f"inh_vm: data shape {d.shape}")
            check(d.attrs["variable_name"] == var, f"inh_vm: variable_name {d.attrs['variable_name']}")
            check(list(f["report/inh/mapping/time"][:]) == [1.0, 1000.0, 1.0], "inh_vm: time")
            check(list(f["report/inh/mapping/node_ids"][:]) == list(range(80)), "inh_vm: node_ids")
            check(d.dtype == np.float32, f"inh_vm: data {d.dtype}, SONATA has float32")
            check(np.array_equal(d[:].reshape(-1), csv[:, 2 + k].astype(np.float32)),
                  f"inh_vm: HDF5 and CSV {var} differ")
        # libsonata reads the report: node 1's values from 1 to 3 ms.
        r = libsonata.ElementReportReader(os.path.join(out, f"inh_vm.{var}.h5"))["inh"]
        sel = r.get(node_ids=[1], tstart=1.0, tstop=3.0)
        rows_1 = csv[(csv[:, 0] == 1) & (csv[:, 1] <= 3.0)]
        check(r.time_units == "ms" and r.data_units == ("mV" if var == "V_m" else "pA"),
              f"libsonata: units {r.time_units}, {r.data_units}")
        check(np.array_equal(np.array(sel.data).reshape(-1),
                             rows_1[:, 2 + k].astype(np.float32)),
              f"libsonata: {var} of node 1 differs from the CSV")

    # 2. Synthetic files: steps of 0.1 ms as float arithmetic gives them (k * 0.1), spikes on bin
    # edges, at the window's start and stop, a silent neuron and one of 2 spikes.
    rng = np.random.default_rng(1)
    size = 60
    ids, times = [], []
    for i in range(size):
        if i == 3:
            continue  # silent
        k = np.sort(rng.choice(np.arange(1, 5001), size=2 if i == 5 else rng.integers(3, 80),
                               replace=False))
        ids += [i] * len(k)
        times += list(k * 0.1)
    ids += [7, 8, 9, 10]
    times += [0.0, 500.0, 2.0 * 3 * 0.1 * 10, 499.99999999]
    order = np.lexsort((ids, times))
    syn_t = np.array(times)[order]
    syn_n = np.array(ids, dtype=np.int64)[order]
    syn = os.path.join(work, "synthetic.h5")
    with h5py.File(syn, "w") as f:
        g = f.create_group("spikes/syn")
        g.create_dataset("timestamps", data=syn_t)
        g.create_dataset("node_ids", data=syn_n.astype(np.uint64))
        g.attrs["n_nodes"] = np.uint64(size)
        g.attrs["t_stop"] = 500.0
    # A file from another tool: no n_nodes nor t_stop, 32-bit ids, timestamps as float32 times.
    plain = os.path.join(work, "plain.h5")
    with h5py.File(plain, "w") as f:
        g = f.create_group("spikes/plain")
        g.create_dataset("timestamps", data=syn_t)
        g.create_dataset("node_ids", data=syn_n.astype(np.uint32))

    cases = [([], 200, 2.0, None, None), (["--sample", "20", "--bin", "5"], 20, 5.0, None, None),
             (["--start", "100", "--stop", "400.3", "--bin", "0.1"], 200, 0.1, 100.0, 400.3),
             (["--bin", "0.3"], 10, 0.3, None, None)]
    for extra, sample, bin_ms, start, stop in cases:
        if extra == ["--bin", "0.3"]:
            extra = extra + ["--sample", "10"]
        label = " ".join(extra) or "defaults"
        pops = analyze(starling, [out], os.path.join(work, "sim.json"), extra)
        for p in pops:
            t, n, sz, t0 = sim[p["population"]]
            compare(f"sim {p['population']} {label}", p, t, n, sz,
                    t0 if start is None else start, 1000.0 if stop is None else stop, sample,
                    bin_ms)
        (p,) = analyze(starling, [syn], os.path.join(work, "syn.json"), extra)
        compare(f"synthetic {label}", p, syn_t, syn_n, size, 0.0 if start is None else start,
                500.0 if stop is None else stop, sample, bin_ms)
    # The same spikes in seconds (units "s", fixed-length text as other tools write it).
    secs = os.path.join(work, "seconds.h5")
    with h5py.File(secs, "w") as f:
        g = f.create_group("spikes/syn")
        ts = g.create_dataset("timestamps", data=syn_t / 1000.0)
        ts.attrs.create("units", np.bytes_("s"))
        g.create_dataset("node_ids", data=syn_n.astype(np.uint64))
        g.attrs["n_nodes"] = np.uint64(size)
        g.attrs["t_stop"] = 500.0
    (p,) = analyze(starling, [secs], os.path.join(work, "secs.json"), ["--sample", "20"])
    compare("seconds", p, syn_t / 1000.0 * 1000.0, syn_n, size, 0.0, 500.0, 20, 2.0)
    (p,) = analyze(starling, [plain], os.path.join(work, "plain.json"), [])
    check(p["size"] == int(syn_n.max()) + 1 and p["stop_ms"] == float(syn_t.max()),
          f"plain file: size {p['size']}, stop {p['stop_ms']}")
    compare("plain", p, syn_t, syn_n, int(syn_n.max()) + 1, 0.0, float(syn_t.max()), 200, 2.0)

    # 3a. run --stats prints the table of analyze, computed in the simulating process.
    rows = lambda text: [l for l in text.splitlines() if l.startswith(("exc ", "inh "))]
    p = run([starling, "run", os.path.join(here, "small_network.json"), "--output",
             os.path.join(work, "run_stats"), "--stats", "--format", "csv"])
    table = rows(run([starling, "analyze", out]).stdout)
    check(len(table) == 2 and rows(p.stdout)[-2:] == table,
          f"run --stats {rows(p.stdout)} differs from analyze {table}")

    # A spike recorder's CSV file gives the same table (window given: a CSV file has none).
    from_csv = rows(run([starling, "analyze", os.path.join(out, "exc_spikes.csv"),
                         "--start", "0", "--stop", "1000"]).stdout)
    check(from_csv == table[:1], f"analyze of the CSV file {from_csv} differs from {table[:1]}")

    # 3b. compare: Earth Mover's distance and KL divergence of KDEs against scipy, on the pooled
    # distributions of two sets of runs (set A: the run and the synthetic file's population
    # renamed; set B: a second seed).
    from scipy.stats import entropy, gaussian_kde, wasserstein_distance
    with open(os.path.join(here, "small_network.json")) as f:
        model = json.load(f)
    model["kernel"]["seed"] = 8
    model["simulate"] = 600
    other = os.path.join(work, "seed8.json")
    with open(other, "w") as f:
        json.dump(model, f)
    set_b = os.path.join(work, "set_b")
    run([starling, "run", other, "--output", os.path.join(set_b, "run1"), "--format", "hdf5"])
    run([starling, "run", other, "--output", os.path.join(set_b, "run2"), "--format", "hdf5",
         "--slice-steps", "7"])
    # --format hdf5: no CSV of spikes or states, but connections (no HDF5 form) still as CSV.
    written = sorted(os.listdir(os.path.join(set_b, "run1")))
    check(written == ["exc_inh.csv", "exc_spikes.h5", "inh_spikes.h5", "inh_vm.I_syn_ex.h5",
                      "inh_vm.V_m.h5"], f"--format hdf5 wrote {written}")
    cmp = os.path.join(work, "compare.json")
    run([starling, "compare", out, set_b, "--json", cmp])
    with open(cmp) as f:
        distances = {p["population"]: p for p in json.load(f)["populations"]}
    pa = {p["population"]: p for p in analyze(starling, [out], os.path.join(work, "a.json"), [])}
    pb = {}
    for p in analyze(starling, [set_b], os.path.join(work, "b.json"), []):
        d = pb.setdefault(p["population"], {"rates": [], "cv_isi": [], "correlations": []})
        for key in d:
            d[key] += [x for x in p[key] if x is not None]
    check(sorted(distances) == ["exc", "inh"], f"compare: populations {sorted(distances)}")
    for name, entry in distances.items():
        for key in ("rates", "cv_isi", "correlations"):
            a = np.array([x for x in pa[name][key] if x is not None])
            b = np.array(pb[name][key])
            check(entry[key]["n_a"] == len(a) and entry[key]["n_b"] == len(b),
                  f"compare {name} {key}: sizes")
            emd = wasserstein_distance(a, b)
            ka, kb = gaussian_kde(a), gaussian_kde(b)
            pad = 3 * max(ka.factor * np.std(a, ddof=1), kb.factor * np.std(b, ddof=1))
            grid = np.linspace(min(a.min(), b.min()) - pad, max(a.max(), b.max()) + pad, 512)
            kl = entropy(ka(grid), kb(grid))
            check(abs(entry[key]["emd"] - emd) <= TOL,
                  f"compare {name} {key}: EMD {entry[key]['emd']} vs scipy {emd}")
            check(abs(entry[key]["kl"] - kl) <= TOL,
                  f"compare {name} {key}: KL {entry[key]['kl']} vs scipy {kl}")
            check(emd > 0 and kl > 0, f"compare {name} {key}: distances of different runs are 0")
            print(f"  compare {name:4s} {key:13s} EMD {emd:.6g} (diff "
                  f"{abs(entry[key]['emd'] - emd):.2g}), KL {kl:.6g} (diff "
                  f"{abs(entry[key]['kl'] - kl):.2g})")
    same = os.path.join(work, "same.json")
    run([starling, "compare", out, out, "--json", same])
    with open(same) as f:
        for p in json.load(f)["populations"]:
            check(p["rates"]["emd"] == 0 and abs(p["rates"]["kl"]) < 1e-12,
                  f"compare of a set with itself: {p['rates']}")

    # 3c. plot: the two PNG files, of plausible size.
    plots = os.path.join(work, "plots")
    run([starling, "plot", out, "--against", set_b, "--output", plots])
    for name in ("raster.png", "violins.png"):
        path = os.path.join(plots, name)
        with open(path, "rb") as f:
            head = f.read(24)
        check(head[:8] == b"\x89PNG\r\n\x1a\n", f"plot: {name} is not a PNG")
        w, h = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
        check(w >= 600 and h >= 600 and os.path.getsize(path) > 20000,
              f"plot: {name} {w}x{h}, {os.path.getsize(path)} bytes")
    check(not [f for f in os.listdir(plots) if f.startswith(".")], "plot: temporary files left")

    # 4. Bad input: exit status 1 or 2 and a message naming the problem.
    bad = os.path.join(work, "bad.h5")
    with h5py.File(bad, "w") as f:
        g = f.create_group("spikes/p")
        g.create_dataset("timestamps", data=[1.0, 2.0])
        g.create_dataset("node_ids", data=[0])
    noreport = os.path.join(out, "inh_vm.V_m.h5")
    hours = os.path.join(work, "hours.h5")
    with h5py.File(hours, "w") as f:
        g = f.create_group("spikes/p")
        g.create_dataset("timestamps", data=[1.0, 2.0]).attrs["units"] = "h"
        g.create_dataset("node_ids", data=[0, 1])
    badcsv = os.path.join(work, "bad.csv")
    with open(badcsv, "w") as f:
        f.write("population,index,time_ms\nexc,1,2.5\nexc,x,3.0\n")
    for args, rc, text in (([os.path.join(work, "missing.h5")], 1, "no such file"),
                           ([bad], 1, "1 node_ids for 2 timestamps"),
                           ([noreport], 1, "no group /spikes"),
                           ([hours], 1, 'timestamps in units "h"; expected ms or s'),
                           ([badcsv], 1, "bad.csv:3: index is not an integer"),
                           ([os.path.join(out, "inh_vm.csv")], 1, "expected population,index,time_ms"),
                           ([syn, "--bin", "0"], 2, "--bin"),
                           ([syn, "--sample", "1"], 2, "--sample 1"),
                           ([syn, "--start", "600"], 1, "window [600, 500]")):
        p = run([starling, "analyze", *args], expect_rc=rc)
        check(text in p.stderr, f"analyze {args}: stderr {p.stderr!r} lacks {text!r}")
    # An unwritable output folder fails before the run.
    blocker = os.path.join(work, "a_file")
    open(blocker, "w").close()
    p = run([starling, "run", os.path.join(here, "small_network.json"), "--output",
             os.path.join(blocker, "sub")], expect_rc=1)
    check("cannot create the directory" in p.stderr and "simulate" not in p.stdout,
          f"unwritable output: {p.stderr!r}")

    print(f"{checks} checks, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
