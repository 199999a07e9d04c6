"""The Python API against closed forms and exact counts (no test here can pass by accident)."""
import math
import os
import subprocess

import numpy as np
import pytest

import starling as nest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def test_iaf_psc_exp_membrane_under_dc_matches_closed_form():
    # Subthreshold: V(t) = E_L + I_e tau_m / C_m (1 - exp(-t / tau_m)), V_inf = -62 mV.
    n = nest.Create("iaf_psc_exp", 1, {"I_e": 200.0})
    mm = nest.Create("multimeter", params={"record_from": ["V_m"], "interval": 0.1})
    nest.Connect(mm, n)
    nest.Simulate(50.0)
    ev = mm.events
    t = ev["times"]
    assert len(t) == 499
    expected = -70.0 + 200.0 * 10.0 / 250.0 * (1.0 - np.exp(-t / 10.0))
    np.testing.assert_allclose(ev["V_m"], expected, rtol=0, atol=1e-9)
    assert n.V_m == pytest.approx(-70.0 + 8.0 * (1.0 - math.exp(-5.0)), abs=1e-9)


def test_first_spike_under_suprathreshold_dc_is_on_the_grid_after_the_crossing():
    # V_inf = -50 mV; V reaches V_th = -55 mV at t* = tau_m ln 4 = 13.863 ms -> step ending 13.9.
    n = nest.Create("iaf_psc_exp", 1, {"I_e": 500.0})
    sr = nest.Create("spike_recorder")
    nest.Connect(n, sr)
    nest.Simulate(100.0)
    times = sr.events["times"]
    assert times[0] == pytest.approx(13.9, abs=1e-9)
    isi = np.diff(times)
    assert len(times) == 6
    np.testing.assert_allclose(isi, isi[0], atol=1e-9)  # regular firing
    assert 15.8 <= isi[0] <= 16.0  # refractory 2 ms + the same climb from V_reset


def test_spike_generator_through_parrots_counts_and_times():
    sg = nest.Create("spike_generator", 2, {"spike_times": [[1.0, 2.5, 10.0], [4.0]]})
    parrots = nest.Create("parrot_neuron", 3)
    sr = nest.Create("spike_recorder")
    nest.Connect(sg, parrots, "all_to_all", {"weight": 1.0, "delay": 1.0})
    nest.Connect(parrots, sr)
    nest.Simulate(20.0)
    ev = sr.events
    assert sr.n_events == 12
    assert sorted(set(ev["senders"].tolist())) == parrots.tolist()
    for gid in parrots.tolist():
        np.testing.assert_allclose(np.sort(ev["times"][ev["senders"] == gid]),
                                   [2.0, 3.5, 5.0, 11.0], atol=1e-12)


def test_events_are_read_only_views_without_copies():
    sg = nest.Create("spike_generator", 1, {"spike_times": [1.0, 2.0, 3.0]})
    p = nest.Create("parrot_neuron", 1)
    sr = nest.Create("spike_recorder")
    nest.Connect(sg, p)
    nest.Connect(p, sr)
    nest.Simulate(10.0)
    a = sr.events["times"]
    b = sr.events["times"]
    assert not a.flags.owndata and a.base is not None
    assert not a.flags.writeable
    assert a.ctypes.data == b.ctypes.data  # both view the recorder's own buffer
    with pytest.raises(ValueError):
        a[0] = 0.0
    # Simulating on keeps an old view valid and unchanged; the new events include the old ones.
    nest.Simulate(10.0)
    np.testing.assert_allclose(a, [2.0, 3.0, 4.0])
    np.testing.assert_allclose(sr.events["times"], [2.0, 3.0, 4.0])


def test_attribute_access_slicing_getstatus_setstatus():
    n = nest.Create("iaf_psc_exp", 5, {"V_m": [-70.0, -69.0, -68.0, -67.0, -66.0]})
    assert n[1:3].V_m == (-69.0, -68.0)
    assert n[-1].V_m == -66.0
    n[1:3].V_m = -60.0
    assert n.V_m == (-70.0, -60.0, -60.0, -67.0, -66.0)
    n.set({"I_e": [1.0, 2.0, 3.0, 4.0, 5.0]})
    assert nest.GetStatus(n[::2], "I_e") == (1.0, 3.0, 5.0)
    nest.SetStatus(n[4], {"tau_m": 20.0})
    assert n.get("tau_m") == (10.0, 10.0, 10.0, 10.0, 20.0)
    status = nest.GetStatus(n[0])[0]
    assert status["model"] == "iaf_psc_exp" and status["global_id"] == n[0].global_id
    assert len(n[1:4]) == 3 and n[1:4].tolist() == n.tolist()[1:4]
    assert (n[0] + n[4]).tolist() == [n.tolist()[0], n.tolist()[4]]


def test_distribution_parameters_stay_in_range():
    n = nest.Create("iaf_psc_exp", 1000, {"V_m": nest.random.uniform(-70.0, -55.0)})
    v = np.array(n.V_m)
    assert v.min() >= -70.0 and v.max() <= -55.0
    assert v.std() > 3.0  # uniform over 15 mV: 4.33


def test_get_connections_fixed_indegree():
    pre = nest.Create("iaf_psc_exp", 20)
    post = nest.Create("iaf_psc_exp", 10)
    nest.Connect(pre, post, {"rule": "fixed_indegree", "indegree": 5},
                 {"synapse_model": "static_synapse", "weight": 2.5, "delay": 1.5})
    c = nest.GetConnections(pre, post)
    assert len(c) == 50
    np.testing.assert_array_equal(np.bincount(c.target - post.tolist()[0]), [5] * 10)
    assert np.all((c.source >= pre.tolist()[0]) & (c.source <= pre.tolist()[-1]))
    np.testing.assert_allclose(c.weight, 2.5)
    np.testing.assert_allclose(c.get("delay"), 1.5)
    assert nest.GetKernelStatus("num_connections") == 50


def test_errors_are_python_exceptions_and_the_kernel_stays_usable():
    with pytest.raises(ValueError, match="unknown model 'no_such_model'"):
        nest.Create("no_such_model", 3)
    sg = nest.Create("spike_generator", 1, {"spike_times": [1.0]})
    p = nest.Create("parrot_neuron", 2)
    with pytest.raises(ValueError, match="delay"):
        nest.Connect(sg, p, syn_spec={"delay": 0.01})
    with pytest.raises(ValueError, match="whole populations"):
        nest.Connect(sg, p[0])
    with pytest.raises(ValueError):
        nest.Connect(sg, p, {"rule": "fixed_indegree", "indegree": 5, "typo": 1})
    with pytest.raises(ValueError, match="before any node"):
        nest.SetKernelStatus({"resolution": 0.05})
    sr = nest.Create("spike_recorder")
    nest.Connect(sg, p)
    nest.Connect(p, sr)
    nest.Simulate(5.0)
    assert sr.n_events == 2  # the rejected calls left nothing behind


def test_resolution_and_seed_from_set_kernel_status():
    nest.ResetKernel()
    nest.SetKernelStatus({"resolution": 0.25, "rng_seed": 7, "backend": "cpu"})
    assert nest.GetKernelStatus("resolution") == 0.25
    n = nest.Create("iaf_psc_exp", 1, {"I_e": 200.0})
    mm = nest.Create("multimeter", params={"record_from": ["V_m"], "interval": 0.25})
    nest.Connect(mm, n)
    nest.Simulate(10.0)
    np.testing.assert_allclose(np.diff(mm.events["times"]), 0.25)
    assert nest.GetKernelStatus("biological_time") == pytest.approx(10.0)


def test_load_model_file_matches_the_command_line(tmp_path):
    model = os.path.join(REPO, "tests", "mpi", "ring_model.json")
    cli = os.path.join(REPO, "build", "bin", "starling")
    subprocess.run([cli, "run", model, "--output", str(tmp_path)], check=True,
                   stdout=subprocess.DEVNULL)
    m = nest.LoadModelFile(model)
    m.run()
    ev = m.recorders["spikes_c"].events
    lines = open(tmp_path / "spikes_c.csv").read().split()
    cols = lines[0].split(",")
    rows = [line.split(",") for line in lines[1:]]
    assert len(rows) > 100 and len(rows) == len(ev["times"])
    first = m.populations["c"].tolist()[0]
    got = sorted(zip(np.round(ev["times"], 6).tolist(), (ev["senders"] - first).tolist()))
    want = sorted((round(float(r[cols.index("time_ms")]), 6), int(r[cols.index("index")]))
                  for r in rows)
    assert got == want


def test_load_model_file_errors_name_the_field():
    with pytest.raises(ValueError, match=r"populations\[0\]"):
        nest.LoadModelFile('{"populations": [{"name": "a", "model": "iaf_psc_exp", "size": "ten"}]}')
    n = nest.Create("parrot_neuron", 1)
    assert len(n) == 1


def test_copy_model_and_set_defaults():
    nest.SetDefaults("iaf_psc_exp", {"tau_m": 15.0})
    nest.CopyModel("iaf_psc_exp", "slow_neuron", {"tau_m": 30.0, "I_e": 5.0})
    nest.CopyModel("static_synapse", "strong", {"weight": 7.5, "delay": 2.0})
    a = nest.Create("iaf_psc_exp", 2)
    b = nest.Create("slow_neuron", 3, {"I_e": 1.0})
    assert a.tau_m == (15.0, 15.0)
    assert b.tau_m == (30.0, 30.0, 30.0) and b.I_e == (1.0, 1.0, 1.0)
    assert b[0].get("model") == "iaf_psc_exp"
    nest.Connect(a, b, syn_spec="strong")
    nest.Connect(b, a, syn_spec={"synapse_model": "strong", "weight": 1.0})
    c = nest.GetConnections(a, b)
    assert len(c) == 6 and set(c.weight.tolist()) == {7.5} and set(c.delay.tolist()) == {2.0}
    assert set(nest.GetConnections(b, a).weight.tolist()) == {1.0}
    assert nest.GetDefaults("strong", "weight") == 7.5
    with pytest.raises(ValueError, match="exists already"):
        nest.CopyModel("iaf_psc_exp", "slow_neuron")


def test_several_target_populations_with_fixed_indegree():
    pre = nest.Create("parrot_neuron", 30)
    e = nest.Create("iaf_psc_exp", 8)
    i = nest.Create("iaf_psc_exp", 2)
    nest.Connect(pre, e + i, {"rule": "fixed_indegree", "indegree": 4})
    c = nest.GetConnections(pre)
    np.testing.assert_array_equal(np.bincount(c.target - e.tolist()[0]), [4] * 10)
    with pytest.raises(ValueError, match="not supported"):
        nest.Connect(e + i, pre, {"rule": "fixed_indegree", "indegree": 2})


def test_bad_values_are_value_errors_naming_the_key():
    n = nest.Create("iaf_psc_exp", 2)
    with pytest.raises(ValueError, match="'indegree' = 'x'"):
        nest.Connect(n, n, {"rule": "fixed_indegree", "indegree": "x"})
    with pytest.raises(ValueError, match="tau_m = 0 ms"):
        n.tau_m = 0.0
    assert n.tau_m == (10.0, 10.0)
    with pytest.raises(ValueError, match="unknown parameter or state 'no_such'"):
        n.no_such
    assert not hasattr(n, "no_such")
    with pytest.raises(ValueError, match="1 values of 'V_m' for 2 nodes"):
        n.set(V_m=[1.0])
    with pytest.raises(ValueError, match="duration"):
        nest.Simulate(-1.0)


def test_get_status_of_every_model_and_list_parameters():
    for model in nest.Models("nodes"):
        status = nest.GetStatus(nest.Create(model, 2))
        assert len(status) == 2 and status[1]["model"] == model
    g = nest.Create("spike_generator", 1, {"spike_times": [1.0, 2.5]})
    np.testing.assert_array_equal(g.spike_times, [1.0, 2.5])
    m = nest.Create("iaf_psc_exp_multisynapse", 1, {"tau_syn": [2.0, 5.0]})
    np.testing.assert_array_equal(m.tau_syn, [2.0, 5.0])
