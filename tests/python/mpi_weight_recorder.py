"""One weight_recorder over plastic synapses whose targets live on two processes (a on process
0, b on process 1 when there are two): every process reads the gathered events (collective) and
writes them as text to OUT.<rank>; the files of 1 and 2 processes must be equal
(Python.WeightRecorderTwoProcesses in python/CMakeLists.txt).
    mpiexec -n N python mpi_weight_recorder.py OUT
"""
import sys

import numpy as np

import starling as nest


def main(out):
    nest.ResetKernel()
    nest.SetKernelStatus({"rng_seed": 21, "backend": "cpu", "stdp_history": 128})
    n = nest.NumProcesses()
    a = nest.RemoteCreate(0, "iaf_psc_alpha", 60)
    b = nest.RemoteCreate(1 % n, "iaf_psc_alpha", 60, {"tau_minus": 30.0})
    pa = nest.RemoteCreate(0, "poisson_generator", 1, {"rate": 9000.0})
    pb = nest.RemoteCreate(1 % n, "poisson_generator", 1, {"rate": 8000.0})
    drive = {"weight": 90.0, "delay": 0.5}
    nest.RemoteConnect(0, pa, 0, a, "all_to_all", drive)
    nest.RemoteConnect(1 % n, pb, 1 % n, b, "all_to_all", drive)
    wr = nest.Create("weight_recorder")
    indegree = {"rule": "fixed_indegree", "indegree": 10}
    nest.RemoteConnect(0, a, 1 % n, b, indegree,
                       {"synapse_model": "stdp_synapse", "weight": 40.0, "delay": 1.5,
                        "lambda": 0.05, "weight_recorder": wr})
    nest.RemoteConnect(1 % n, b, 0, a, indegree,
                       {"synapse_model": "stdp_nn_symm_synapse", "weight": 20.0, "delay": 1.0,
                        "weight_recorder": wr})
    nest.Simulate(150.0)
    ev = wr.events  # collective: every process gets every process's rows
    gathered = nest.GatherEvents(wr)
    assert all(np.array_equal(ev[k], gathered[k]) for k in ev)
    assert nest.GetStatus(wr, "n_events")[0] == len(ev["times"])
    ids_a, ids_b = set(a.tolist()), set(b.tolist())
    a_to_b = np.isin(ev["senders"], list(ids_a)) & np.isin(ev["targets"], list(ids_b))
    b_to_a = np.isin(ev["senders"], list(ids_b)) & np.isin(ev["targets"], list(ids_a))
    assert a_to_b.any() and b_to_a.any() and (a_to_b | b_to_a).all(), "rows of both directions"
    assert (ev["weights"][a_to_b] != 40.0).any() and (ev["weights"][b_to_a] != 20.0).any(), \
        "weights change"
    with open(f"{out}.{nest.Rank()}", "w") as f:
        for t, s, g, w in zip(ev["times"], ev["senders"], ev["targets"], ev["weights"]):
            f.write(f"{float(t)!r} {s} {g} {float(w)!r}\n")
    if nest.Rank() == 0:
        print(f"weight_recorder: {n} processes, {len(ev['times'])} events, "
              f"{int(a_to_b.sum())} from a to b, {int(b_to_a.sum())} from b to a")


if __name__ == "__main__":
    main(sys.argv[1])
