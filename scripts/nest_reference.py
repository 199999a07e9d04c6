#!/usr/bin/env python3
"""NEST 3.10 reference data for Starling's neuron models.

Reads tests/data/nest/cases.json and, for every case, runs NEST on one neuron:

  * ResetKernel, resolution = case["resolution"];
  * the neuron, its params (SetStatus after Create, so that the lists of the receptor-array
    parameters of *_multisynapse models are taken whole) and its initial states;
  * one spike_generator per input (spike_times), connected one_to_one by a static_synapse
    with the input's weight and delay, and receptor_type k where receptor k >= 1
    (receptor 0: NEST's default port, receptor_type left out);
  * one dc_generator per dc entry (amplitude, start, stop), connected with weight 1 and the
    entry's delay (the resolution where none is given);
  * a multimeter (interval = resolution, record_from = case["record"]) where the list is not
    empty, and a spike_recorder;
  * Simulate(simtime).

Writes tests/data/nest/<name>.csv (header time_ms,<vars...>; one row per sample) where
something is recorded, and tests/data/nest/<name>_spikes.csv (header time_ms; one spike time
a line, repeated for a spike of multiplicity > 1), every float as format(x, '.17g') so that
the text gives back the exact double.

Also writes tests/data/nest/defaults.json: for each model of MODELS, NEST's defaults reduced
to the model's numeric parameters and states ("params"; bool -> 0/1, arrays -> lists,
non-finite numbers as the strings "inf", "-inf", "nan"), its "recordables", and the numeric
entries every NEST neuron has through its archiving/structural-plasticity base
("common": Ca, tau_Ca, beta_Ca, tau_minus, tau_minus_triplet, ...).

Usage: scripts/nest_reference.sh (creates the venv with NEST), or with NEST importable:
  python3 scripts/nest_reference.py [case-name ...]
"""

import json
import math
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(REPO, "tests", "data", "nest")

MODELS = [
    "iaf_psc_exp", "iaf_psc_alpha", "iaf_psc_delta",
    "iaf_psc_exp_multisynapse", "iaf_psc_alpha_multisynapse",
    "iaf_cond_exp", "iaf_cond_alpha", "iaf_cond_beta",
    "aeif_cond_alpha", "aeif_cond_exp", "aeif_cond_beta_multisynapse",
    "aeif_psc_alpha", "aeif_psc_exp", "aeif_psc_delta",
    "izhikevich", "hh_psc_alpha", "parrot_neuron",
]

# Entries of GetDefaults that are not a model's parameters or states.
NOT_PARAMS = {
    "recordables", "element_type", "elementsize", "frozen", "global_id", "local", "model",
    "model_id", "type_id", "node_uses_wfr", "thread", "thread_local_id", "vp",
    "synaptic_elements", "instantiations", "available", "capacity", "has_connections",
    "archiver_length",
}

os.environ.setdefault("PYNEST_QUIET", "1")
import nest  # noqa: E402


def fmt(x):
    return format(float(x), ".17g")


def json_number(v):
    """A GetDefaults value as a JSON number (or list of numbers); None where it is not one."""
    if isinstance(v, str) or isinstance(v, dict):
        return None
    if hasattr(v, "tolist"):  # numpy arrays and scalars
        v = v.tolist()
    if isinstance(v, (list, tuple)):
        out = [json_number(x) for x in v]
        return None if any(x is None or isinstance(x, list) for x in out) else out
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return v
    return None


def on_grid(t, h):
    k = round(t / h)
    return k >= 1 and abs(k * h - t) <= 1e-9 * max(1.0, abs(t))


def check_case(c):
    h = c["resolution"]
    for i, inp in enumerate(c.get("inputs", [])):
        for t in inp["spike_times"]:
            if not on_grid(t, h):
                raise ValueError(f"{c['name']}: input {i} spike time {t} not a positive multiple of {h}")
        if not on_grid(inp["delay"], h):
            raise ValueError(f"{c['name']}: input {i} delay {inp['delay']} not a multiple of {h}")
        if list(inp["spike_times"]) != sorted(inp["spike_times"]):
            raise ValueError(f"{c['name']}: input {i} spike times not sorted")
    for i, dc in enumerate(c.get("dc", [])):
        if not on_grid(dc.get("delay", h), h):
            raise ValueError(f"{c['name']}: dc {i} delay not a multiple of {h}")


def same(a, b):
    if hasattr(a, "tolist"):
        a = a.tolist()
    if isinstance(b, list):
        return isinstance(a, (list, tuple)) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(b, bool):
        return bool(a) == b
    return float(a) == float(b)


def run_case(c):
    """Runs one case; returns (times, {var: values}, spike_times)."""
    check_case(c)
    h = c["resolution"]
    nest.ResetKernel()
    nest.verbosity = nest.VerbosityLevel.WARNING
    nest.local_num_threads = 1
    nest.resolution = h
    n = nest.Create(c["model"])
    params = c.get("params", {})
    if params:
        n.set(params)
    initial = c.get("initial", {})
    if initial:
        n.set(initial)
    status = n.get()
    for k, v in list(params.items()) + list(initial.items()):
        if not same(status[k], v):
            raise RuntimeError(f"{c['name']}: {k} reads back {status[k]}, set {v}")

    for inp in c.get("inputs", []):
        sg = nest.Create("spike_generator", params={"spike_times": [float(t) for t in inp["spike_times"]]})
        syn = {"synapse_model": "static_synapse", "weight": float(inp["weight"]),
               "delay": float(inp["delay"])}
        if inp.get("receptor", 0) >= 1:
            syn["receptor_type"] = int(inp["receptor"])
        nest.Connect(sg, n, "one_to_one", syn)
    for dc in c.get("dc", []):
        p = {"amplitude": float(dc["amplitude"])}
        for k in ("start", "stop"):
            if k in dc:
                p[k] = float(dc[k])
        g = nest.Create("dc_generator", params=p)
        nest.Connect(g, n, "one_to_one",
                     {"synapse_model": "static_synapse", "weight": 1.0,
                      "delay": float(dc.get("delay", h))})

    record = c.get("record", [])
    mm = None
    if record:
        mm = nest.Create("multimeter", params={"interval": h, "record_from": record})
        nest.Connect(mm, n)
    sr = nest.Create("spike_recorder")
    nest.Connect(n, sr)

    # NEST hands the multimeter the samples of the last min_delay only in the next Simulate
    # call: simulate a little longer and keep what was sampled and spiked up to simtime (the
    # neuron's course up to simtime does not depend on what comes after).
    simtime = float(c["simtime"])
    delays = [float(i["delay"]) for i in c.get("inputs", [])] + \
        [float(d.get("delay", h)) for d in c.get("dc", [])]
    min_delay = nest.min_delay
    steps = math.ceil((simtime + max(delays + [h]) + 1.0) / min_delay - 1e-9)
    nest.Simulate(steps * min_delay)  # a multiple of min_delay: no warning
    last = simtime + 0.5 * h

    times, values = [], {}
    if mm is not None:
        ev = mm.get("events")
        order = sorted((i for i in range(len(ev["times"])) if ev["times"][i] <= last),
                       key=lambda i: ev["times"][i])
        times = [float(ev["times"][i]) for i in order]
        values = {v: [float(ev[v][i]) for i in order] for v in record}
        if len(times) != round(simtime / h):
            raise RuntimeError(f"{c['name']}: {len(times)} samples, expected {round(simtime / h)}")
    spikes = sorted(float(t) for t in sr.get("events")["times"] if t <= last)
    return times, values, spikes


def write_case(c, times, values, spikes):
    name = c["name"]
    record = c.get("record", [])
    if record:
        with open(os.path.join(DATA, name + ".csv"), "w") as f:
            f.write(",".join(["time_ms"] + record) + "\n")
            for i, t in enumerate(times):
                f.write(",".join([fmt(t)] + [fmt(values[v][i]) for v in record]) + "\n")
    with open(os.path.join(DATA, name + "_spikes.csv"), "w") as f:
        f.write("time_ms\n")
        for t in spikes:
            f.write(fmt(t) + "\n")


def defaults():
    nest.ResetKernel()
    common_keys = set(nest.GetDefaults("parrot_neuron").keys())
    out = {"nest_version": nest.__version__, "models": {}}
    for m in MODELS:
        d = nest.GetDefaults(m)
        params, common = {}, {}
        for k in sorted(d):
            if k in NOT_PARAMS:
                continue
            v = json_number(d[k])
            if v is None:
                continue
            (common if k in common_keys else params)[k] = v
        out["models"][m] = {"params": params, "recordables": sorted(d.get("recordables", [])),
                            "common": common}
    return out


def main(argv):
    with open(os.path.join(DATA, "cases.json")) as f:
        cases = json.load(f)["cases"]
    names = [c["name"] for c in cases]
    if len(set(names)) != len(names):
        raise ValueError("duplicate case names in cases.json")
    wanted = set(argv)
    unknown = wanted - set(names)
    if unknown:
        raise ValueError(f"unknown cases: {sorted(unknown)}")
    for c in cases:
        if wanted and c["name"] not in wanted:
            continue
        times, values, spikes = run_case(c)
        write_case(c, times, values, spikes)
        extra = ""
        for v in c.get("record", []):
            if v == "V_m" and values[v]:
                extra = f", V_m in [{min(values[v]):.3f}, {max(values[v]):.3f}]"
        print(f"{c['name']:40s} {c['model']:28s} {len(spikes):4d} spikes, {len(times):5d} samples{extra}")
    if not wanted:
        with open(os.path.join(DATA, "defaults.json"), "w") as f:
            json.dump(defaults(), f, indent=1, sort_keys=False)
            f.write("\n")
        print("defaults.json:", len(MODELS), "models")


if __name__ == "__main__":
    main(sys.argv[1:])
