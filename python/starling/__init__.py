"""Starling from Python, with PyNEST's verbs: ``import starling as nest``.

The kernel is one simulator per process. Nodes have global ids from 1, in creation order, as in
NEST; a NodeCollection is a sorted set of them. Neurons and generators are Starling populations;
spike_recorder, voltmeter and multimeter are recorders attached by Connect; a weight_recorder is
given to plastic synapses (syn_spec, CopyModel or SetDefaults). Recorded spike ``times`` and
state values are read-only numpy arrays viewing Starling's memory (no copy). A weight_recorder's
events are gathered from every process: reading them is collective over MPI.
"""
import atexit
import math

import numpy as np

from . import _starling
from . import random  # noqa: F401  (nest.random.uniform, ...)
from .random import _as_value

__all__ = [
    "Create", "Connect", "Simulate", "Prepare", "Run", "Cleanup", "GetStatus", "SetStatus",
    "GetConnections", "RemoteCreate", "RemoteConnect", "ResetKernel", "SetKernelStatus",
    "GetKernelStatus", "NodeCollection", "SynapseCollection", "Models", "GetDefaults", "Rank",
    "NumProcesses", "LoadModelFile", "GatherEvents", "PrintNodes", "CopyModel", "SetDefaults",
    "set_verbosity",
]

_RECORDERS = ("spike_recorder", "voltmeter", "multimeter", "weight_recorder")
_KERNEL_DEFAULTS = {"resolution": 0.1, "rng_seed": 143202461, "backend": "auto",
                    "slice_steps": 0, "cpu_workers": 1, "stdp_history": 64}


class _Kernel:
    """Python side of the kernel: which global ids belong to which population or recorder, and
    the models made by CopyModel and defaults set by SetDefaults."""

    def __init__(self, options):
        self.options = dict(options)
        self.aliases = {}  # CopyModel name -> (base model, default parameters)
        self.entries = []  # per creation: dict(first, size, kind, ...)
        self.next_gid = 1
        self.device_connections = 0  # recorder attachments, counted as NEST counts them
        # Connect calls in order: (source id, target id, synapse model name, local connections),
        # which name the model of each row of get_connections (rows come by connect call).
        self.calls = []

    def add(self, entry):
        entry["first"] = self.next_gid
        self.next_gid += entry["size"]
        self.entries.append(entry)
        return NodeCollection(np.arange(entry["first"], entry["first"] + entry["size"]))

    def entry_of(self, gid):
        for e in self.entries:
            if e["first"] <= gid < e["first"] + e["size"]:
                return e
        raise ValueError(f"node {gid} does not exist (the network has {self.next_gid - 1} nodes)")

    def segments(self, nodes):
        """(entry, local indices) per creation that `nodes` touch, in id order."""
        gids = nodes._gids
        out = []
        i = 0
        while i < len(gids):
            e = self.entry_of(int(gids[i]))
            end = e["first"] + e["size"]
            j = i + int(np.searchsorted(gids[i:], end))
            out.append((e, gids[i:j] - e["first"]))
            i = j
        return out


_kernel = _Kernel(_KERNEL_DEFAULTS)


def _start(options):
    _starling.reset(float(options["resolution"]), int(options["rng_seed"]),
                    str(options["backend"]), int(options["slice_steps"]),
                    int(options["cpu_workers"]), int(options["stdp_history"]))


@atexit.register
def _shutdown():
    _starling.shutdown()


# ---------------------------------------------------------------------------------------------
# Node collections


class UnknownAttributeError(AttributeError, ValueError):
    """An unknown parameter read as an attribute (``nodes.no_such_name``): a ValueError with
    Starling's message, and an AttributeError for hasattr() and getattr()."""


class NodeCollection:
    """A sorted set of global node ids; parameters by attribute (``pop.V_m``), slicing."""

    def __init__(self, gids=()):
        object.__setattr__(self, "_gids", np.unique(np.asarray(gids, dtype=np.int64)))

    def __len__(self):
        return len(self._gids)

    def __iter__(self):
        for g in self._gids:
            yield NodeCollection([g])

    def __getitem__(self, key):
        if isinstance(key, (int, np.integer)):
            if not -len(self) <= key < len(self):
                raise IndexError(f"NodeCollection index {key} out of range for {len(self)} nodes")
            return NodeCollection([self._gids[key]])
        if isinstance(key, slice) and key.step is not None and key.step < 0:
            raise IndexError("NodeCollection: slices with negative steps are not supported")
        return NodeCollection(self._gids[key])

    def __add__(self, other):
        return NodeCollection(np.concatenate([self._gids, other._gids]))

    def __eq__(self, other):
        return isinstance(other, NodeCollection) and np.array_equal(self._gids, other._gids)

    def __hash__(self):
        return hash(self._gids.tobytes())

    def __contains__(self, gid):
        return int(gid) in set(self._gids.tolist())

    def __repr__(self):
        if len(self) == 0:
            return "NodeCollection(<empty>)"
        return f"NodeCollection(first={self._gids[0]}, last={self._gids[-1]}, n={len(self)})"

    def tolist(self):
        return self._gids.tolist()

    def index(self, gid):
        return int(np.searchsorted(self._gids, gid))

    @property
    def global_id(self):
        return self._gids.tolist() if len(self) != 1 else int(self._gids[0])

    def get(self, *keys, output=""):
        if len(keys) == 1 and isinstance(keys[0], (list, tuple)):
            keys = tuple(keys[0])
        if not keys:
            keys = tuple(_all_keys(self))
        values = {k: _get_values(self, k) for k in keys}
        if output == "pandas":
            import pandas
            return pandas.DataFrame(values, index=self._gids)
        one = len(self) == 1
        if len(keys) == 1:
            v = values[keys[0]]
            return v[0] if one else tuple(v)
        return {k: (v[0] if one else tuple(v)) for k, v in values.items()}

    def set(self, params=None, **kwargs):
        if params is None:
            params = {}
        if isinstance(params, (list, tuple)):
            if len(params) != len(self):
                raise ValueError(f"set: {len(params)} dicts for {len(self)} nodes")
            keys = set().union(*[p.keys() for p in params])
            params = {k: [p[k] for p in params] for k in keys}
        params = dict(params, **kwargs)
        for k, v in params.items():
            _set_values(self, k, v)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self.get(name)
        except ValueError as e:
            raise UnknownAttributeError(str(e)) from None

    def __setattr__(self, name, value):
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            self.set({name: value})


def _check_nodes(nodes, what):
    if not isinstance(nodes, NodeCollection):
        raise TypeError(f"{what}: expected a NodeCollection, got {type(nodes).__name__}")
    if len(nodes) == 0:
        raise ValueError(f"{what}: the NodeCollection is empty")


def _all_keys(nodes):
    keys = []
    for e, _ in _kernel.segments(nodes):
        if e["kind"] == "recorder":
            ks = ["model", "events", "n_events", "global_id"] + list(e["params"].keys())
        else:
            d = _starling.describe(e["model"])
            ks = ["model", "global_id"] + d["parameters"] + d["states"]
        keys += [k for k in ks if k not in keys]
    return keys


def _get_values(nodes, key):
    out = []
    for e, idx in _kernel.segments(nodes):
        if key == "global_id":
            out += (idx + e["first"]).tolist()
        elif key == "model":
            out += [e["model"]] * len(idx)
        elif key == "local":
            out += [e["kind"] == "recorder" or _starling.rank() == _starling.rank_of(e["id"], e["size"])] * len(idx)
        elif e["kind"] == "recorder":
            out += [_recorder_value(e, key)] * len(idx)
        elif key in _list_keys_of(e["model"]):
            # Receptor lists and device lists: Starling reads the first member's list.
            out += [_starling.get(e["id"], e["size"], key)] * len(idx)
        else:
            all_values = _starling.get(e["id"], e["size"], key)
            out += all_values[idx].tolist()
    return out


_LIST_KEYS_CACHE = {}


def _list_keys_of(model):
    if model not in _LIST_KEYS_CACHE:
        _LIST_KEYS_CACHE[model] = set(_starling.describe(model)["parameter_lists"])
    return _LIST_KEYS_CACHE[model]


def _set_values(nodes, key, value):
    segments = _kernel.segments(nodes)
    if all(e["kind"] == "recorder" for e, _ in segments):
        for e, _ in segments:
            _set_recorder(e, key, value)
        return
    if key not in _LIST_KEYS:
        value = _as_value(value)
    per_node = isinstance(value, list) and (key not in _LIST_KEYS or
                                            (len(value) and np.ndim(value[0]) == 1))
    if per_node and len(value) != len(nodes):
        raise ValueError(f"SetStatus: {len(value)} values of '{key}' for {len(nodes)} nodes")
    offset = 0
    for e, idx in segments:
        part = value[offset:offset + len(idx)] if per_node else value
        offset += len(idx)
        if e["kind"] == "recorder":
            _set_recorder(e, key, part)
            continue
        if key in _LIST_KEYS:
            if len(idx) != e["size"]:
                raise ValueError(f"SetStatus: '{key}' is set for a whole population only")
            lists = part if per_node else [part]
            _starling.set_lists(e["id"], e["size"], {key: [list(map(float, x)) for x in lists]})
            continue
        whole = len(idx) == e["size"] and np.array_equal(idx, np.arange(e["size"]))
        if whole:
            _starling.set(e["id"], e["size"], key, part)
            continue
        if isinstance(part, dict):
            raise ValueError(f"SetStatus: a distribution for '{key}' needs a whole population")
        current = _starling.get(e["id"], e["size"], key).copy()
        current[idx] = np.asarray(part, dtype=float)
        _starling.set(e["id"], e["size"], key, current.tolist())


def _spec_values(params, n, what):
    """Create's params: a dict (scalars, per-node lists, distributions) or a list of dicts."""
    if params is None:
        return {}
    if isinstance(params, (list, tuple)):
        if len(params) != n:
            raise ValueError(f"{what}: {len(params)} parameter dicts for {n} nodes")
        keys = set().union(*[p.keys() for p in params])
        params = {k: [p[k] for p in params] for k in keys}
    if not isinstance(params, dict):
        raise TypeError(f"{what}: params must be a dict or a list of dicts")
    return {k: (v if k in _LIST_KEYS else _as_value(v)) for k, v in params.items()}


_LIST_KEYS = ("spike_times", "spike_weights", "spike_multiplicities", "amplitude_times",
              "amplitude_values")


_SYNAPSE_MODELS = {}


def _synapse_models():
    """Synapse model name -> {'plastic', 'parameters' (NEST's defaults), 'units', 'keys'}."""
    if not _SYNAPSE_MODELS:
        _SYNAPSE_MODELS.update(_starling.synapse_models())
    return _SYNAPSE_MODELS


def _check_synapse_keys(model, params, what):
    keys = _synapse_models()[model]["keys"].split(", ")
    for k in params:
        if k not in keys and k != "weight_recorder":
            raise ValueError(f"{what}: unknown parameter '{k}' of {model} (expected "
                             f"{', '.join(keys)})")


def _known_model(base):
    return base in _starling.models() or base in _RECORDERS or base in _synapse_models()


def _resolve(model, params):
    """A model name made by CopyModel or with SetDefaults: (base model, merged parameters)."""
    if model not in _kernel.aliases:
        return model, params
    base, defaults = _kernel.aliases[model]
    if isinstance(params, (list, tuple)):
        return base, [dict(defaults, **p) for p in params]
    return base, dict(defaults, **(params or {}))


def CopyModel(existing, new, params=None):
    """A new model name for a neuron, device or synapse model with other default parameters."""
    if new in _kernel.aliases or _known_model(new):
        raise ValueError(f"CopyModel: model '{new}' exists already")
    base, defaults = _resolve(existing, {})
    if not _known_model(base):
        raise ValueError(f"CopyModel: unknown model '{existing}'")
    if base in _synapse_models():
        _check_synapse_keys(base, params or {}, "CopyModel")
    _kernel.aliases[new] = (base, dict(defaults, **(params or {})))


def SetDefaults(model, params, val=None):
    """Default parameters of a model for the nodes or connections made after it."""
    if isinstance(params, str):
        params = {params: val}
    base, defaults = _resolve(model, {})
    if not _known_model(base):
        raise ValueError(f"SetDefaults: unknown model '{model}'")
    if base in _synapse_models():
        _check_synapse_keys(base, params, "SetDefaults")
    _kernel.aliases[model] = (base, dict(defaults, **params))


def set_verbosity(level):
    """Accepted for PyNEST scripts; Starling prints nothing while it builds and simulates."""


def _create(model, n, params, rank):
    model, params = _resolve(model, params)
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"Create: n must be an integer >= 1, got {n!r}")
    n = int(n)
    what = f"Create: {model}"
    if model == "weight_recorder":
        # One Starling weight recorder per node; plastic synapses name it.
        for k in params or {}:
            if k not in ("record_to", "label"):
                raise ValueError(f"{what}: unknown parameter '{k}' (a weight_recorder records "
                                 "the synapses that name it and takes no parameters)")
        gids = []
        for _ in range(n):
            entry = {"kind": "recorder", "model": model, "size": 1, "params": {}, "targets": [],
                     "recs": [], "wid": _starling.record_weights()}
            gids += _kernel.add(entry).tolist()
        return NodeCollection(gids)
    if model in _RECORDERS:
        p = {"start": 0.0, "stop": math.inf, "origin": 0.0}
        if model != "spike_recorder":
            p.update({"interval": 1.0, "record_from": ["V_m"] if model == "voltmeter" else []})
        for k, v in (params or {}).items():
            if k not in p and k not in ("record_to", "label"):
                raise ValueError(f"{what}: unknown parameter '{k}' (expected {', '.join(p)})")
            p[k] = v
        entry = {"kind": "recorder", "model": model, "size": n, "params": p, "targets": [],
                 "recs": []}
        return _kernel.add(entry)
    values = _spec_values(params, n, what)
    lists = {k: values.pop(k) for k in list(values) if k in _LIST_KEYS}
    if rank is None:
        pid = _starling.create(model, n, values)
    else:
        pid = _starling.remote_create(int(rank), model, n, values)
    nodes = _kernel.add({"kind": "population", "model": model, "size": n, "id": pid,
                         "rank": rank})
    if lists:
        converted = {}
        for k, v in lists.items():
            if isinstance(v, (list, tuple)) and len(v) and np.ndim(v[0]) == 1:
                converted[k] = [list(map(float, x)) for x in v]
            else:
                converted[k] = [list(map(float, np.atleast_1d(v)))]
        _starling.set_lists(pid, n, converted)
    return nodes


def Create(model, n=1, params=None, positions=None):
    """Creates n nodes of a model (a neuron, a generator, or a recorder)."""
    if positions is not None:
        raise ValueError("Create: spatial positions are not supported")
    return _create(model, n, params, None)


def RemoteCreate(rank, model, n=1, params=None):
    """Creates n nodes on process `rank`; collective: every process calls it in the same order."""
    if model in _RECORDERS:
        raise ValueError("RemoteCreate: recorders are created with Create on every process")
    return _create(model, n, params, rank)


# ---------------------------------------------------------------------------------------------
# Connections


def _conn_spec(conn_spec):
    if conn_spec is None:
        return {"rule": "all_to_all"}
    if isinstance(conn_spec, str):
        return {"rule": conn_spec}
    spec = dict(conn_spec)
    spec.setdefault("rule", "all_to_all")
    for key, kind in (("indegree", int), ("outdegree", int), ("N", int), ("p", float),
                      ("allow_autapses", bool), ("allow_multapses", bool)):
        if key not in spec:
            continue
        v = spec[key]
        ok = (isinstance(v, (bool, np.bool_)) if kind is bool else
              isinstance(v, (int, np.integer)) and not isinstance(v, bool) if kind is int else
              isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool))
        if not ok or (kind is int and v < 0):
            what = {int: "an integer >= 0", float: "a number", bool: "True or False"}[kind]
            raise ValueError(f"Connect: conn_spec '{key}' = {v!r}; expected {what}")
        spec[key] = kind(v)
    return spec


def _syn_spec(syn_spec, what):
    """(syn_spec for the kernel, the synapse model's name as given): CopyModel's and
    SetDefaults' defaults merged in, a weight_recorder node as its recorder."""
    if syn_spec is None:
        syn_spec = {}
    if isinstance(syn_spec, str):
        syn_spec = {"synapse_model": syn_spec}
    name = syn_spec.get("synapse_model", "static_synapse")
    model, merged = _resolve(name, dict(syn_spec))
    merged["synapse_model"] = model
    spec = {}
    for k, v in merged.items():
        if k in ("weight", "delay"):
            v = _as_value(v)
        elif k == "receptor_type":
            v = int(v)
        elif k == "weight_recorder":
            v = _weight_recorder_id(v, what)
        elif k != "synapse_model" and isinstance(v, (np.integer, np.floating)):
            v = float(v)
        spec[k] = v
    return spec, name


def _weight_recorder_id(nodes, what):
    if not isinstance(nodes, NodeCollection) or len(nodes) != 1:
        raise ValueError(f"{what}: weight_recorder = {nodes!r}; expected one node made by "
                         "Create('weight_recorder')")
    e = _kernel.entry_of(int(nodes._gids[0]))
    if e["model"] != "weight_recorder":
        raise ValueError(f"{what}: weight_recorder is a {e['model']} (node {nodes._gids[0]}); "
                         "expected one made by Create('weight_recorder')")
    return e["wid"]


def _connect_call(name, source, target, call):
    """Runs one kernel connect call and notes how many connections it made here."""
    before = _starling.num_connections()
    call()
    _kernel.calls.append((source["id"], target["id"], name,
                          _starling.num_connections() - before))


def _whole_populations(nodes, what):
    segs = _kernel.segments(nodes)
    for e, idx in segs:
        if e["kind"] == "recorder":
            raise ValueError(f"{what}: a recorder cannot be connected here")
        if len(idx) != e["size"]:
            raise ValueError(
                f"{what}: nodes {e['first'] + idx[0]}..{e['first'] + idx[-1]} are part of the "
                f"population {e['first']}..{e['first'] + e['size'] - 1} ({e['model']}); Starling "
                "connects whole populations (Create them separately)")
    return [e for e, _ in segs]


def _attach_recorder(rec, nodes):
    p = rec["params"]
    for e, idx in _kernel.segments(nodes):
        if e["kind"] == "recorder":
            raise ValueError("Connect: a recorder cannot record another recorder")
        if rec["model"] == "spike_recorder":
            rid = _starling.record_spikes(e["id"], e["size"], float(p["start"]), float(p["stop"]),
                                          float(p["origin"]))
        else:
            variables = list(p["record_from"])
            if not variables:
                raise ValueError("Connect: the multimeter records nothing (set record_from)")
            rid = _starling.record_states(e["id"], e["size"], variables, float(p["interval"]))
        rec["recs"].append((e, rid, idx))
        _kernel.device_connections += len(idx)


def Connect(pre, post, conn_spec=None, syn_spec=None, return_synapsecollection=False):
    """Connects pre to post by a rule (conn_spec) with a synapse (syn_spec), as PyNEST."""
    _check_nodes(pre, "Connect: pre")
    _check_nodes(post, "Connect: post")
    post_segs = _kernel.segments(post)
    pre_segs = _kernel.segments(pre)
    if any(e["model"] == "weight_recorder" for e, _ in pre_segs + post_segs):
        raise ValueError("Connect: a weight_recorder is not connected to nodes; plastic synapses "
                         "name it: syn_spec={'synapse_model': 'stdp_synapse', "
                         "'weight_recorder': wr}, or CopyModel('stdp_synapse', 'my_stdp', "
                         "{'weight_recorder': wr})")
    if len(post_segs) == 1 and post_segs[0][0]["kind"] == "recorder":
        rec = post_segs[0][0]
        if rec["model"] != "spike_recorder":
            raise ValueError(f"Connect: a {rec['model']} is the source: Connect({rec['model']}, neurons)")
        _attach_recorder(rec, pre)
        return None
    if len(pre_segs) == 1 and pre_segs[0][0]["kind"] == "recorder":
        rec = pre_segs[0][0]
        if rec["model"] == "spike_recorder":
            raise ValueError("Connect: a spike_recorder is the target: Connect(neurons, spike_recorder)")
        _attach_recorder(rec, post)
        return None
    rule = _conn_spec(conn_spec)
    syn, syn_name = _syn_spec(syn_spec, "Connect")
    sources = _whole_populations(pre, "Connect: pre")
    targets = _whole_populations(post, "Connect: post")
    name = rule["rule"]
    several = len(sources) > 1 or len(targets) > 1
    if several and any(isinstance(syn.get(k), list) for k in ("weight", "delay")):
        raise ValueError("Connect: per-connection lists need one source and one target population")
    # Several populations (one Create call each) connect pair by pair where the rule allows it.
    if name in ("all_to_all", "pairwise_bernoulli"):
        pairs = [(s, t) for s in sources for t in targets]
    elif name == "fixed_indegree" and len(sources) == 1:
        pairs = [(sources[0], t) for t in targets]
    elif name == "fixed_outdegree" and len(targets) == 1:
        pairs = [(s, targets[0]) for s in sources]
    elif name == "one_to_one" and len(sources) == len(targets) and all(
            s["size"] == t["size"] for s, t in zip(sources, targets)):
        pairs = list(zip(sources, targets))
    elif not several:
        pairs = [(sources[0], targets[0])]
    else:
        raise ValueError(f"Connect: rule '{name}' with {len(sources)} source and {len(targets)} "
                         "target populations (one Create call each) is not supported; call "
                         "Connect for each pair")
    for s, t in pairs:
        _connect_call(syn_name, s, t, lambda: _starling.connect(s["id"], s["size"], t["id"],
                                                                t["size"], rule, syn))
    if return_synapsecollection:
        return GetConnections(pre, post)
    return None


def RemoteConnect(i_source_host, source, i_target_host, target, conn_spec=None, syn_spec=None):
    """Connects populations that may live on different processes (collective, as NEST GPU)."""
    _check_nodes(source, "RemoteConnect: source")
    _check_nodes(target, "RemoteConnect: target")
    rule = _conn_spec(conn_spec)
    syn, syn_name = _syn_spec(syn_spec, "RemoteConnect")
    sources = _whole_populations(source, "RemoteConnect: source")
    targets = _whole_populations(target, "RemoteConnect: target")
    if len(sources) != 1 or len(targets) != 1:
        raise ValueError("RemoteConnect: source and target must each be one population")
    s, t = sources[0], targets[0]
    _connect_call(syn_name, s, t, lambda: _starling.remote_connect(
        int(i_source_host), s["id"], s["size"], int(i_target_host), t["id"], t["size"], rule, syn))


class SynapseCollection:
    """Connections as parallel numpy arrays: source, target (global ids), weight, delay, ..."""

    def __init__(self, data):
        self._data = data

    def __len__(self):
        return len(self._data["source"])

    def __repr__(self):
        return f"SynapseCollection(n={len(self)})"

    def get(self, keys=None, output=""):
        if keys is None:
            return dict(self._data)
        if isinstance(keys, str):
            return self._data[keys]
        return {k: self._data[k] for k in keys}

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._data:
            raise AttributeError(f"SynapseCollection has no '{name}' (keys: {', '.join(self._data)})")
        return self._data[name]


def _models_of_rows(source, target, rows):
    """The synapse model of each row of get_connections(source, target) (population entries or
    None): its connect calls' names, each repeated by the connections it made here."""
    calls = [c for c in _kernel.calls if (source is None or c[0] == source["id"])
             and (target is None or c[1] == target["id"])]
    models = np.repeat(np.array([c[2] for c in calls], dtype=object), [c[3] for c in calls])
    if len(models) != rows:
        raise RuntimeError(f"GetConnections: {rows} connections, {len(models)} made by the "
                           "Connect calls noted")
    return models.astype(str) if rows else np.zeros(0, dtype=str)


def GetConnections(source=None, target=None, synapse_model=None):
    """The connections this process holds from `source` to `target` (either may be None), with
    their current weights (plastic synapses change them) and synapse_model, the name given to
    Connect (a CopyModel name included)."""
    def pops(nodes):
        if nodes is None:
            return [None]
        return [e for e, _ in _kernel.segments(nodes) if e["kind"] == "population"]

    first = {e["id"]: e["first"] for e in _kernel.entries if e["kind"] == "population"}
    parts = []
    for s in pops(source):
        for t in pops(target):
            c = _starling.get_connections(None if s is None else (s["id"], s["size"]),
                                          None if t is None else (t["id"], t["size"]))
            sf = np.array([first[p] for p in c["source_population"]], dtype=np.int64)
            tf = np.array([first[p] for p in c["target_population"]], dtype=np.int64)
            parts.append({"source": c["source"].astype(np.int64) + sf,
                          "target": c["target"].astype(np.int64) + tf,
                          "weight": c["weight"], "delay": c["delay"],
                          "receptor": c["receptor"],
                          "synapse_model": _models_of_rows(s, t, len(c["source"]))})
    keys = ("source", "target", "weight", "delay", "receptor", "synapse_model")
    data = {k: np.concatenate([p[k] for p in parts]) if parts else np.zeros(0) for k in keys}
    keep = np.ones(len(data["source"]), dtype=bool)
    if source is not None:
        keep &= np.isin(data["source"], source._gids)
    if target is not None:
        keep &= np.isin(data["target"], target._gids)
    if synapse_model is not None:
        keep &= data["synapse_model"] == synapse_model
    if not keep.all():
        data = {k: v[keep] for k, v in data.items()}
    return SynapseCollection(data)


# ---------------------------------------------------------------------------------------------
# Recorders


def _weight_events(rec):
    """A weight_recorder's events as NEST's: 'senders' and 'targets' (global ids), 'times' (of
    the presynaptic spikes) and 'weights' (after the update at each), gathered from the
    processes that hold the synapses (their targets'). Collective: every process reads them."""
    d = _starling.gather_weights(rec["wid"])
    pops = [e for e in _kernel.entries if e["kind"] == "population"]
    first = np.zeros(max([e["id"] for e in pops], default=-1) + 1, dtype=np.int64)
    for e in pops:
        first[e["id"]] = e["first"]

    def gids(pop, index):
        return first[pop.astype(np.int64)] + index.astype(np.int64)

    return {"senders": gids(d["source_population"], d["source"]),
            "targets": gids(d["target_population"], d["target"]),
            "times": d["times"], "weights": d["weights"]}


def _events(rec, gather=False):
    """The recorder's events: 'senders' (global ids), 'times' and recorded variables."""
    if rec["model"] == "weight_recorder":
        return _weight_events(rec)
    chunks = []
    for e, rid, idx in rec["recs"]:
        if rec["model"] == "spike_recorder":
            d = _starling.gather_spikes(rid) if gather else _starling.spikes(rid)
        else:
            d = _starling.samples(rid)
        if len(idx) != e["size"]:
            keep = np.isin(d["index"], idx)
            d = {k: v[keep] for k, v in d.items()}
        index = d.pop("index")
        d["senders"] = index.astype(np.int64) + e["first"]
        chunks.append(d)
    if not chunks:
        return {"senders": np.zeros(0, dtype=np.int64), "times": np.zeros(0)}
    if len(chunks) == 1:
        return chunks[0]
    order = np.argsort(np.concatenate([c["times"] for c in chunks]), kind="stable")
    keys = set().union(*chunks)
    return {k: np.concatenate([c[k] for c in chunks])[order] for k in keys}


def _recorder_value(rec, key):
    if key == "events":
        return _events(rec)
    if key == "n_events":
        return len(_events(rec)["times"])
    if key in rec["params"]:
        return rec["params"][key]
    raise ValueError(f"GetStatus: {rec['model']} has no '{key}' (keys: events, n_events, "
                     f"{', '.join(rec['params'])})")


def _set_recorder(rec, key, value):
    if key in ("label", "record_to"):
        return
    if key not in rec["params"]:
        raise ValueError(f"SetStatus: {rec['model']} has no parameter '{key}'")
    if rec["recs"]:
        raise ValueError(f"SetStatus: '{key}' of a {rec['model']} is set before it is connected")
    rec["params"][key] = value


def GatherEvents(recorder):
    """Every process's events of a spike_recorder or weight_recorder (collective), as a dict of
    numpy arrays."""
    _check_nodes(recorder, "GatherEvents")
    (e, _), = _kernel.segments(recorder)[:1]
    if e["model"] not in ("spike_recorder", "weight_recorder"):
        raise ValueError("GatherEvents: expected a spike_recorder or a weight_recorder")
    return _events(e, gather=True)


# ---------------------------------------------------------------------------------------------
# Status, simulation and kernel


def GetStatus(nodes, keys=None, output=""):
    """Status of each node: a list of dicts, or of values when `keys` is one key."""
    if isinstance(nodes, SynapseCollection):
        return nodes.get(keys)
    _check_nodes(nodes, "GetStatus")
    if keys is None:
        keys = _all_keys(nodes)
        values = {k: _get_values(nodes, k) for k in keys}
        return tuple({k: values[k][i] for k in keys} for i in range(len(nodes)))
    if isinstance(keys, str):
        return tuple(_get_values(nodes, keys))
    values = {k: _get_values(nodes, k) for k in keys}
    return tuple(tuple(values[k][i] for k in keys) for i in range(len(nodes)))


def SetStatus(nodes, params, val=None):
    """Sets parameters or states: SetStatus(nodes, {'V_m': -70.0}) or (nodes, 'V_m', -70.0)."""
    _check_nodes(nodes, "SetStatus")
    if isinstance(params, str):
        params = {params: val}
    nodes.set(params)


def Prepare():
    _starling.prepare()


def Run(t):
    Simulate(t)


def Cleanup():
    pass


def Simulate(t):
    """Advances the network by t ms (continues in time on repeated calls)."""
    t = float(t)
    if not t >= 0.0 or math.isinf(t):
        raise ValueError(f"Simulate: duration {t} ms must be finite and >= 0")
    _starling.simulate(t)


def ResetKernel():
    """Removes every node and connection; the kernel's settings return to their defaults."""
    global _kernel
    _kernel = _Kernel(_KERNEL_DEFAULTS)
    _start(_kernel.options)


def SetKernelStatus(params):
    """Sets resolution, rng_seed, backend ('cpu', 'cuda', 'auto'), slice_steps, cpu_workers or
    stdp_history (post spikes kept per neuron that plastic synapses target); only before nodes
    are created (the kernel restarts with them)."""
    unknown = [k for k in params if k not in _KERNEL_DEFAULTS]
    ignored = ("print_time", "local_num_threads", "total_num_virtual_procs", "overwrite_files",
               "data_path", "data_prefix")
    unknown = [k for k in unknown if k not in ignored]
    if unknown:
        raise ValueError(f"SetKernelStatus: unknown or unsupported key(s) {', '.join(unknown)} "
                         f"(supported: {', '.join(_KERNEL_DEFAULTS)})")
    changes = {k: v for k, v in params.items() if k in _KERNEL_DEFAULTS}
    if not changes:
        return
    history = changes.get("stdp_history", 1)
    if isinstance(history, bool) or not isinstance(history, (int, np.integer)) or history < 1:
        raise ValueError(f"SetKernelStatus: stdp_history = {history!r}; expected an integer >= 1 "
                         "(post spikes kept per neuron)")
    if _kernel.entries or (_starling.started() and _starling.time() > 0.0):
        raise ValueError("SetKernelStatus: resolution, rng_seed, backend and stdp_history are "
                         "set before any node is created (call ResetKernel first)")
    options = dict(_kernel.options, **changes)
    _start(options)
    _kernel.options = options


def GetKernelStatus(keys=None):
    status = dict(_kernel.options)
    status.update({
        "biological_time": _starling.time(),
        "time": _starling.time(),
        "network_size": _kernel.next_gid - 1,
        "num_connections": _starling.total_connections() + _kernel.device_connections,
        "local_num_connections": _starling.num_connections(),
        "num_processes": _starling.processes(),
        "mpi_rank": _starling.rank(),
        "device": _starling.device(),
        "node_models": _starling.models(),
        "synapse_models": tuple(_synapse_models()),
    })
    if keys is None:
        return status
    if isinstance(keys, str):
        return status[keys]
    return tuple(status[k] for k in keys)


def Rank():
    return _starling.rank()


def NumProcesses():
    return _starling.processes()


def Models(mtype="all", sel=None):
    """Model names: 'nodes' (neurons, devices, recorders), 'synapses', or 'all' of them."""
    if mtype not in ("all", "nodes", "synapses"):
        raise ValueError(f"Models: mtype '{mtype}'; expected 'all', 'nodes' or 'synapses'")
    names = []
    if mtype != "synapses":
        names += list(_starling.models()) + list(_RECORDERS)
    if mtype != "nodes":
        names += list(_synapse_models())
    if sel is not None:
        names = [n for n in names if sel in n]
    return tuple(sorted(names))


def GetDefaults(model, keys=None):
    name = model
    model, extra = _resolve(model, {})
    if model in _synapse_models():
        m = _synapse_models()[model]
        d = {"model": model, "synapse_model": name, "weight": 1.0, "delay": 1.0,
             "receptor_type": 0}
        d.update(m["parameters"])
        if m["plastic"]:
            d["weight_recorder"] = NodeCollection()
    elif model == "weight_recorder":
        d = {"model": model}
    elif model in _RECORDERS:
        d = {"model": model, "start": 0.0, "stop": math.inf, "origin": 0.0}
    else:
        desc = _starling.describe(model)
        d = dict(zip(desc["parameters"], desc["parameter_defaults"]))
        d.update(zip(desc["states"], desc["state_defaults"]))
        d.update(desc["parameter_lists"])
        d["model"] = model
        d["recordables"] = tuple(desc["states"])
    d.update(extra)
    if keys is None:
        return d
    return d[keys] if isinstance(keys, str) else tuple(d[k] for k in keys)


def PrintNodes():
    for e in _kernel.entries:
        print(f"{e['first']} .. {e['first'] + e['size'] - 1}  {e['model']}")


from .model_file import LoadModelFile  # noqa: E402
