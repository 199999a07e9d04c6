"""Model files (JSON, format in io/README.md) built into the kernel with the PyNEST verbs."""
import os

from . import _starling


class Model:
    """A model file built into the kernel: populations and recorders by name, and the file's
    simulation time (ms)."""

    def __init__(self, populations, recorders, simulate, connections):
        self.populations = populations
        self.recorders = recorders
        self.simulate = simulate
        self.connections = connections

    def run(self):
        import starling
        starling.Simulate(self.simulate)
        return self


def LoadModelFile(source, reset=True):
    """Reads a model file (a path, or its JSON text), resets the kernel with the file's kernel
    settings unless reset=False, builds its populations, connections and recorders, and returns
    a Model. Errors name the field, as `starling run` does."""
    import starling
    text = str(source)
    if text.lstrip().startswith("{"):
        spec = _starling.parse_model(text)
    else:
        spec = _starling.read_model_file(os.fspath(source))
    if reset:
        starling.ResetKernel()
        k = spec["kernel"]
        starling.SetKernelStatus({"resolution": k["resolution"], "rng_seed": k["rng_seed"],
                                  "backend": k["backend"], "slice_steps": k["slice_steps"],
                                  "cpu_workers": k["cpu_workers"],
                                  "stdp_history": k["stdp_history"]})
    nproc = starling.NumProcesses()
    pops = {}
    for p in spec["populations"]:
        params = dict(p["params"])
        for key, lists in p["lists"].items():
            params[key] = lists
        pops[p["name"]] = starling.RemoteCreate(p["rank"] % nproc, p["model"], p["size"], params)
        if p["state"]:
            pops[p["name"]].set(p["state"])
    recs = {}
    # Weight recorders before the synapses that name them.
    for r in spec["recorders"]:
        if r["type"] == "weight_recorder":
            recs[r["name"]] = starling.Create("weight_recorder")
    for i, c in enumerate(spec["connections"]):
        pre, post = pops[c["source"]], pops[c["target"]]
        syn = dict(c["syn_spec"])
        if c["weight_recorder"]:
            syn["weight_recorder"] = recs[c["weight_recorder"]]
        try:
            starling.RemoteConnect(_rank(pre), pre, _rank(post), post, c["conn_spec"], syn)
        except ValueError as e:
            raise ValueError(f"model file: connections[{i}]: {e}") from None
    conns = {}
    for r in spec["recorders"]:
        if r["type"] == "weight_recorder":
            continue
        if r["type"] == "connections":
            conns[r["name"]] = (pops[r["source"]], pops[r["target"]])
            continue
        if r["type"] == "spike_recorder":
            rec = starling.Create("spike_recorder", params={
                "start": r["start"], "stop": r["stop"], "origin": r["origin"]})
            starling.Connect(pops[r["population"]], rec)
        else:
            rec = starling.Create("multimeter", params={"interval": r["interval"],
                                                        "record_from": r["record_from"]})
            starling.Connect(rec, pops[r["population"]])
        recs[r["name"]] = rec
    return Model(pops, recs, spec["simulate"], conns)


def _rank(nodes):
    import starling
    e = starling._kernel.entry_of(nodes.tolist()[0])
    return _starling.rank_of(e["id"], e["size"])
