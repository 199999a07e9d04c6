#!/usr/bin/env python3
"""NEST 3.10 reference data for Starling's synapse models (STDP), tests/data/nest/stdp.

Every case is one plastic connection between a presynaptic parrot_neuron and a postsynaptic
neuron, with spike times set exactly:

  * ResetKernel, resolution = case["resolution"], one thread;
  * a spike_generator at pre_times - DRIVE_DELAY -> pre parrot_neuron (static_synapse, weight 1,
    delay DRIVE_DELAY): the pre parrot spikes exactly at pre_times;
  * post "parrot_neuron": a spike_generator at post_times - DRIVE_DELAY -> post parrot (port 0),
    and the plastic connection enters the post parrot on receptor_type 1, where a parrot takes
    spikes in (its spike history is kept for STDP) but does not repeat them: the post parrot
    spikes exactly at post_times whatever the weight;
  * post "iaf_psc_alpha": a spike_generator at post_drive times -> the neuron (static_synapse,
    weight post_drive_weight pA, delay DRIVE_DELAY); the plastic connection enters on port 0
    with a small weight; the post spike times are those the neuron makes (recorded);
  * the post neuron's tau_minus (and other params) set with SetStatus;
  * the synapse model copied (CopyModel) with the case's synapse params and a weight_recorder
    (stdp_pl_synapse_hom's params are common properties and can only be set this way), the
    connection made with the case's initial weight and delay;
  * Simulate to the last spike + delay + 10 ms, rounded up to a multiple of min_delay.

Writes tests/data/nest/stdp/<case>.csv (header t_pre_ms,weight: one row per pre spike, the
weight the weight_recorder saw for it, i.e. the weight after the update at that pre spike) and
tests/data/nest/stdp/cases.json: for every case the synapse model and params, the initial
weight, delay, resolution, neuron models and params, the driving generators, the recorded pre
and post spike times, the final weight (GetConnections) and the file; every float as written
by Python's repr, so that the text gives back the exact double.

A sanity section then compares stdp_synapse's single pairings with the closed form and replays
every case with a plain re-implementation of each model's rule (tests/data/nest/stdp/README.md
says what NEST does); it prints the comparisons and exits with an error where a weight differs
by more than 1e-12 (relative).

Usage: scripts/nest_stdp_reference.sh (creates the venv with NEST via scripts/nest_venv.sh),
or with NEST importable:  python3 scripts/nest_stdp_reference.py
"""

import json
import math
import os

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(REPO, "tests", "data", "nest", "stdp")
DRIVE_DELAY = 1.0  # ms, generator -> parrot / neuron

os.environ.setdefault("PYNEST_QUIET", "1")
import nest  # noqa: E402

STDP = ["stdp_synapse", "stdp_pl_synapse_hom", "stdp_nn_symm_synapse",
        "stdp_nn_pre_centered_synapse", "stdp_nn_restr_synapse"]
ALL = STDP + ["static_synapse"]
W0 = {m: 50.0 for m in ALL}          # initial weight, Wmax = 100 by default
W0["stdp_pl_synapse_hom"] = 10.0


def r(t, h=0.1):
    """t rounded to the grid of h (as NEST would read it), as a clean double."""
    return round(round(t / h) * h, 10)


def case(name, model, pre, post, delay=1.0, params=None, w0=None, h=0.1,
         post_model="parrot_neuron", post_params=None, post_drive=None, post_drive_weight=None):
    return {"name": name, "synapse_model": model, "synapse_params": params or {},
            "weight": W0[model] if w0 is None else w0, "delay": delay, "resolution": h,
            "pre_model": "parrot_neuron", "post_model": post_model,
            "post_params": dict({"tau_minus": 20.0}, **(post_params or {})), "pre_times": [r(t, h) for t in pre],
            "post_times": [r(t, h) for t in post] if post_drive is None else [],
            "post_drive": [r(t, h) for t in post_drive] if post_drive is not None else None,
            "post_drive_weight": post_drive_weight}


def cases():
    out = []
    short = {"stdp_synapse": "stdp", "stdp_pl_synapse_hom": "pl", "stdp_nn_symm_synapse": "nn_symm",
             "stdp_nn_pre_centered_synapse": "nn_pre", "stdp_nn_restr_synapse": "nn_restr",
             "static_synapse": "static"}
    for m in ALL:
        s = short[m]
        # single pairings: pre at 100, post at 100 + dt, a read-out pre spike at 400
        for dt in [-50, -20, -10, -2, -1, 0, 1, 2, 10, 20, 50]:
            tag = f"m{-dt}" if dt < 0 else f"p{dt}"
            out.append(case(f"{s}_pair_{tag}", m, [100.0, 400.0], [100.0 + dt]))
        if m == "static_synapse":
            continue
        # repeated pairings, 15 pairs at 5, 20, 50 Hz, post 5 ms after / before pre
        for f in [5, 20, 50]:
            T = 1000.0 / f
            for dt in [5, -5]:
                tag = f"m{-dt}" if dt < 0 else f"p{dt}"
                pre = [100.0 + k * T for k in range(15)]
                out.append(case(f"{s}_train_{f}hz_{tag}", m, pre + [pre[-1] + 300.0],
                                [t + dt for t in pre]))
        # bursts: 3 post spikes between pre spikes, and 3 pre spikes between post spikes
        pre = [100.0 + 50.0 * k for k in range(6)]
        post = [t + d for t in pre[:-1] for d in (4.0, 9.0, 17.0)]
        out.append(case(f"{s}_post_bursts", m, pre, post))
        post = [100.0 + 50.0 * k for k in range(6)]
        pre = [t + d for t in post[:-1] for d in (3.0, 11.0, 20.0)] + [400.0]
        out.append(case(f"{s}_pre_bursts", m, pre, post))
        # dendritic delays: pairings at post - pre = -d - 0.1, -d, -d + 0.1, 3 (each 200 ms apart)
        for d in [0.1, 2.5, 7.0]:
            pre, post = [], []
            for k, dt in enumerate([-d - 0.1, -d, -d + 0.1, 3.0, -6.0]):
                pre.append(100.0 + 200.0 * k)
                post.append(100.0 + 200.0 * k + dt)
            pre.append(1200.0)
            out.append(case(f"{s}_delay_{str(d).replace('.', 'p')}", m, pre, post, delay=d))
        # tau_minus on the post neuron
        pre = [100.0 + 40.0 * k for k in range(8)]
        post = sorted([t + 6.0 for t in pre[:-1]] + [t - 8.0 for t in pre[1:]])
        for tm in [10.0, 40.0]:
            out.append(case(f"{s}_tau_minus_{int(tm)}", m, pre, post, post_params={"tau_minus": tm}))
        # an iaf_psc_alpha post neuron driven to spike by its own generator
        pre = [100.0 + 30.0 * k for k in range(10)]
        drive = [105.0 + 30.0 * k for k in range(4)] + [182.0 + 30.0 * k for k in range(4, 9)]
        out.append(case(f"{s}_iaf_psc_alpha", m, pre, [], post_model="iaf_psc_alpha",
                        post_params={"tau_minus": 25.0}, post_drive=drive, post_drive_weight=2000.0,
                        w0=W0[m] / 100.0 if m != "stdp_pl_synapse_hom" else 1.0))
    # clipping and the shape parameters
    pre = [100.0 + 20.0 * k for k in range(10)]
    pot = [t + 2.0 for t in pre[:-1]]
    dep = [t - 2.0 for t in pre[1:]]
    for m in ["stdp_synapse", "stdp_nn_symm_synapse", "stdp_nn_pre_centered_synapse",
              "stdp_nn_restr_synapse"]:
        s = short[m]
        out.append(case(f"{s}_clip_wmax_additive", m, pre, pot, w0=90.0,
                        params={"lambda": 0.05, "alpha": 0.0, "mu_plus": 0.0, "mu_minus": 0.0}))
        out.append(case(f"{s}_clip_zero_additive", m, pre, dep, w0=10.0,
                        params={"lambda": 0.05, "alpha": 2.0, "mu_plus": 0.0, "mu_minus": 0.0}))
        out.append(case(f"{s}_mult_mu_0p4", m, pre, sorted(pot + dep), w0=30.0,
                        params={"lambda": 0.2, "alpha": 1.3, "mu_plus": 0.4, "mu_minus": 0.7,
                                "Wmax": 60.0, "tau_plus": 15.0}))
        out.append(case(f"{s}_clip_wmax_lambda", m, pre, pot, w0=55.0,
                        params={"lambda": 0.9, "alpha": 0.5, "mu_plus": 0.0, "Wmax": 60.0}))
    m = "stdp_pl_synapse_hom"
    out.append(case("pl_clip_zero", m, pre, dep, w0=10.0, params={"lambda": 0.5, "alpha": 3.0}))
    out.append(case("pl_params", m, pre, sorted(pot + dep), w0=20.0,
                    params={"lambda": 0.05, "alpha": 0.8, "mu": 0.6, "tau_plus": 12.0}))
    # finer and coarser resolution
    pre = [100.0 + 25.0 * k for k in range(8)]
    post = sorted([t + 3.35 for t in pre[:-1]] + [t - 4.15 for t in pre[1:]])
    for m in ["stdp_synapse", "stdp_nn_symm_synapse"]:
        out.append(case(f"{short[m]}_res_0p05", m, pre, post, delay=1.35, h=0.05))
    pre = [100.0 + 25.0 * k for k in range(8)]
    post = sorted([t + 3.0 for t in pre[:-1]] + [t - 4.0 for t in pre[1:]])
    out.append(case("stdp_res_1p0", "stdp_synapse", pre, post, delay=2.0, h=1.0))
    return out


def run_case(c):
    h = c["resolution"]
    nest.ResetKernel()
    nest.verbosity = nest.VerbosityLevel.WARNING
    nest.local_num_threads = 1
    nest.resolution = h
    pre = nest.Create("parrot_neuron")
    post = nest.Create(c["post_model"])
    if c["post_params"]:
        post.set(c["post_params"])
    drive = {"synapse_model": "static_synapse", "weight": 1.0, "delay": DRIVE_DELAY}
    sg_pre = nest.Create("spike_generator", params={"spike_times": [r(t - DRIVE_DELAY, h) for t in c["pre_times"]]})
    nest.Connect(sg_pre, pre, "one_to_one", drive)
    if c["post_model"] == "parrot_neuron":
        sg_post = nest.Create("spike_generator",
                              params={"spike_times": [r(t - DRIVE_DELAY, h) for t in c["post_times"]]})
        nest.Connect(sg_post, post, "one_to_one", drive)
        receptor = 1
    else:
        sg_post = nest.Create("spike_generator", params={"spike_times": c["post_drive"]})
        nest.Connect(sg_post, post, "one_to_one", dict(drive, weight=c["post_drive_weight"]))
        receptor = 0
    wr = nest.Create("weight_recorder")
    nest.CopyModel(c["synapse_model"], "syn_under_test", dict(c["synapse_params"], weight_recorder=wr))
    syn = {"synapse_model": "syn_under_test", "weight": c["weight"], "delay": c["delay"]}
    if receptor:
        syn["receptor_type"] = receptor
    nest.Connect(pre, post, "one_to_one", syn)
    sr_pre, sr_post = nest.Create("spike_recorder"), nest.Create("spike_recorder")
    nest.Connect(pre, sr_pre)
    nest.Connect(post, sr_post)
    last = max(c["pre_times"] + c["post_times"] + (c["post_drive"] or []))
    md = nest.min_delay
    nest.Simulate(r(math.ceil((last + c["delay"] + 10.0) / md) * md, h))
    pre_spikes = sorted(float(t) for t in sr_pre.get("events")["times"])
    post_spikes = sorted(float(t) for t in sr_post.get("events")["times"])
    ev = wr.get("events")
    rec = sorted(zip((float(t) for t in ev["times"]), (float(w) for w in ev["weights"])))
    final = float(nest.GetConnections(pre, post).get("weight"))
    return pre_spikes, post_spikes, rec, final


def close(a, b):
    return len(a) == len(b) and all(abs(x - y) < 1e-9 for x, y in zip(a, b))


def main():
    all_cases = cases()
    names = [c["name"] for c in all_cases]
    assert len(set(names)) == len(names), "duplicate case names"
    for f in os.listdir(DATA) if os.path.isdir(DATA) else []:
        if f.endswith(".csv"):
            os.remove(os.path.join(DATA, f))
    os.makedirs(DATA, exist_ok=True)
    for c in all_cases:
        pre_spikes, post_spikes, rec, final = run_case(c)
        if not close(pre_spikes, c["pre_times"]):
            raise RuntimeError(f"{c['name']}: pre parrot spiked at {pre_spikes}, wanted {c['pre_times']}")
        if c["post_model"] == "parrot_neuron" and not close(post_spikes, c["post_times"]):
            raise RuntimeError(f"{c['name']}: post parrot spiked at {post_spikes}, wanted {c['post_times']}")
        if [t for t, _ in rec] != pre_spikes:
            raise RuntimeError(f"{c['name']}: weight_recorder times {[t for t, _ in rec]} != pre spikes")
        if rec[-1][1] != final:
            raise RuntimeError(f"{c['name']}: last recorded weight {rec[-1][1]} != final {final}")
        c["pre_spikes"], c["post_spikes"], c["final_weight"] = pre_spikes, post_spikes, final
        c["weights"] = [w for _, w in rec]  # for the sanity section; not written to the index
        c["file"] = c["name"] + ".csv"
        with open(os.path.join(DATA, c["file"]), "w") as f:
            f.write("t_pre_ms,weight\n")
            for t, w in rec:
                f.write(f"{t!r},{w!r}\n")
        print(f"{c['name']:34s} {c['synapse_model']:30s} {len(pre_spikes):3d} pre {len(post_spikes):3d} post"
              f"  w {c['weight']!r} -> {final!r}")
    index = {"nest_version": nest.__version__,
             "generator": "scripts/nest_stdp_reference.py",
             "drive_delay": DRIVE_DELAY,
             "synapse_defaults": {m: {k: v for k, v in nest.GetDefaults(m).items()
                                      if isinstance(v, float) and k not in ("weight", "delay")}
                                  for m in ALL},
             "cases": [{k: v for k, v in c.items() if k != "weights"} for c in all_cases]}
    with open(os.path.join(DATA, "cases.json"), "w") as f:  # one case a line
        head = json.dumps({k: v for k, v in index.items() if k != "cases"}, indent=1)
        f.write(head[:-2] + ',\n "cases": [\n  ')
        f.write(",\n  ".join(json.dumps(c) for c in index["cases"]))
        f.write("\n ]\n}\n")
    sanity(all_cases, index["synapse_defaults"])


# ---- sanity: closed forms and a plain re-implementation of stdp_synapse -------------------

def rule(model, p):
    """(facilitate(w, k), depress(w, k)) of a model, as NEST 3.10 applies them."""
    if model == "stdp_pl_synapse_hom":
        return (lambda w, k: w + p["lambda"] * w ** p["mu"] * k,
                lambda w, k: max(w - p["lambda"] * p["alpha"] * w * k, 0.0))
    Wmax = p["Wmax"]
    return (lambda w, k: min(w / Wmax + p["lambda"] * (1 - w / Wmax) ** p["mu_plus"] * k, 1.0) * Wmax,
            lambda w, k: max(w / Wmax - p["alpha"] * p["lambda"] * (w / Wmax) ** p["mu_minus"] * k, 0.0) * Wmax)


def replay(c, p, tau_minus):
    """The weight after each pre spike, replayed from the recorded spikes. At a pre spike t (the
    last one at t_last, 0 before the first; d the delay): the post spikes s with
    t_last - d < s <= t - d ("window") facilitate, each seen at s + d; then depression by the post
    trace at t - d, made of the post spikes strictly before t - d."""
    model = c["synapse_model"]
    w = c["weight"]
    if model == "static_synapse":
        return [w for _ in c["pre_spikes"]]
    fac, dep = rule(model, p)
    tp, d, eps = p["tau_plus"], c["delay"], 1e-6
    kplus, tlast, out = 0.0, 0.0, []
    post = c["post_spikes"]
    for t in c["pre_spikes"]:
        window = [s for s in post if tlast - d + eps < s <= t - d + eps]
        before = [s for s in post if s < t - d - eps]
        k_all = sum(math.exp(-(t - d - s) / tau_minus) for s in before)
        k_nn = math.exp(-(t - d - before[-1]) / tau_minus) if before else 0.0
        if model in ("stdp_synapse", "stdp_pl_synapse_hom"):  # all-to-all
            for s in window:
                w = fac(w, kplus * math.exp((tlast - (s + d)) / tp))
            w = dep(w, k_all)
        elif model == "stdp_nn_symm_synapse":  # every post spike with the last pre spike only
            for s in window:
                w = fac(w, math.exp((tlast - (s + d)) / tp))
            w = dep(w, k_nn)
        elif model == "stdp_nn_pre_centered_synapse":  # first post spike with the pre trace, reset
            if window:
                w = fac(w, kplus * math.exp((tlast - (window[0] + d)) / tp))
                kplus = 0.0
            w = dep(w, k_nn)
        elif model == "stdp_nn_restr_synapse":  # only adjacent pre-post and post-pre pairs
            if window:
                w = fac(w, math.exp((tlast - (window[0] + d)) / tp))
                w = dep(w, k_nn)
        kplus = kplus * math.exp((tlast - t) / tp) + 1.0
        tlast = t
        out.append(w)
    return out


def sanity(all_cases, defaults):
    print("\n== sanity: stdp_synapse single pairings against the closed form")
    p = defaults["stdp_synapse"]
    Wmax, lam, al, tp, tm = p["Wmax"], p["lambda"], p["alpha"], p["tau_plus"], 20.0
    worst = 0.0
    for c in all_cases:
        if c["synapse_model"] != "stdp_synapse" or "_pair_" not in c["name"]:
            continue
        w0, d = c["weight"], c["delay"]
        t1, t3 = c["pre_spikes"]
        (t2,) = c["post_spikes"]
        ddt = t2 + d - t1  # effective interval: the post spike reaches the synapse d later
        w1 = w0
        if ddt < 0:  # post before pre (as seen at the synapse): depression at the first pre spike
            w1 = w0 - al * lam * w0 * math.exp(ddt / tm)
        w3 = w1
        if ddt > 0:  # facilitation read out at the second pre spike, Kplus(t1) = 1
            w3 = w1 + lam * Wmax * (1 - w1 / Wmax) * math.exp(-ddt / tp)
        w3 = w3 - al * lam * w3 * math.exp(-(t3 - d - t2) / tm)  # the far pre spike sees the post trace
        got = c["weights"]
        rel = max(abs(got[0] - w1) / w1, abs(got[1] - w3) / w3)
        worst = max(worst, rel)
        print(f"  {c['name']:18s} post-pre {t2 - t1:+6.1f} ms (at the synapse {ddt:+6.1f})"
              f"  NEST {got[0]!r:>20s} {got[1]!r:>20s}  closed form {w1!r:>20s} {w3!r:>20s}  rel {rel:.1e}")
    print(f"  worst relative difference {worst:.2e}")
    bad = worst > 1e-12
    print("\n== sanity: every case against a plain re-implementation of the rules (replay)")
    worst = 0.0
    for c in all_cases:
        q = dict(defaults[c["synapse_model"]], **c["synapse_params"])
        ref = replay(c, q, c["post_params"].get("tau_minus", 20.0))
        rel = max(abs(a - b) / max(abs(b), 1e-300) if b else abs(a) for a, b in zip(c["weights"], ref))
        worst = max(worst, rel)
        print(f"  {c['name']:28s} {len(ref):3d} weights, max rel diff {rel:.1e}, final {c['weights'][-1]!r}")
    print(f"  worst relative difference {worst:.2e}")
    bad = bad or worst > 1e-12
    print("\n== sanity: static_synapse weights constant; clipping reached")
    for c in all_cases:
        if c["synapse_model"] == "static_synapse" and set(c["weights"]) != {c["weight"]}:
            print(f"  !! {c['name']}: static weight changed: {c['weights']}")
            bad = True
        if "clip" in c["name"]:
            top = dict(defaults.get(c["synapse_model"], {}), **c["synapse_params"]).get("Wmax")
            hit = [w for w in c["weights"] if w == 0.0 or (top is not None and w == top)]
            print(f"  {c['name']:34s} weights at a bound: {len(hit)} of {len(c['weights'])}"
                  f" ({hit[:1]}), min {min(c['weights'])!r}, max {max(c['weights'])!r}")
    if bad:
        raise SystemExit("sanity: NEST's weights differ from the closed form or the replay")


if __name__ == "__main__":
    main()
