"""Plastic synapses from Python: NEST's syn_spec keys and models, weight_recorder events, the
weights of GetConnections, CopyModel and SetDefaults of synapse models, stdp_history, errors."""
import math

import numpy as np
import pytest

import starling as nest

W0, WMAX, LAMBDA, TAU_PLUS = 50.0, 100.0, 0.01, 20.0


def parrot_pair(t_pre, t_post, post_params=None):
    """A pre and a post parrot spiking at the given times (lists, ms), driven by spike
    generators through 1 ms."""
    pre = nest.Create("parrot_neuron")
    post = nest.Create("parrot_neuron", 1, post_params)
    gp = nest.Create("spike_generator", params={"spike_times": [t - 1.0 for t in t_pre]})
    gq = nest.Create("spike_generator", params={"spike_times": [t - 1.0 for t in t_post]})
    nest.Connect(gp, pre, "one_to_one")
    nest.Connect(gq, post, "one_to_one")
    return pre, post


def additive(**extra):
    """syn_spec of additive stdp_synapse (mu_plus = mu_minus = 0) onto a parrot's receptor 1,
    where it does not repeat the spikes."""
    return dict({"synapse_model": "stdp_synapse", "weight": W0, "receptor_type": 1,
                 "tau_plus": TAU_PLUS, "lambda": LAMBDA, "Wmax": WMAX, "mu_plus": 0.0,
                 "mu_minus": 0.0}, **extra)


def test_pair_weight_equals_the_additive_closed_form():
    # Pre at 100 and 300 ms, post at 110 ms, delay 1.5 ms (dendritic): the synapse sees the
    # post spike at 111.5 ms; the second pre spike facilitates by lambda Wmax exp(-11.5/20)
    # and depresses by the post trace at 298.5 ms (tau_minus 20 ms).
    d, t_pre, t_post, t2 = 1.5, 100.0, 110.0, 300.0
    pre, post = parrot_pair([t_pre, t2], [t_post])
    wr = nest.Create("weight_recorder")
    nest.Connect(pre, post, "one_to_one", additive(delay=d, weight_recorder=wr))
    nest.Simulate(320.0)
    expected = (W0 + LAMBDA * WMAX * math.exp(-(t_post + d - t_pre) / TAU_PLUS)
                - LAMBDA * WMAX * math.exp(-(t2 - d - t_post) / 20.0))
    c = nest.GetConnections(pre, post)
    assert len(c) == 1
    assert c.get("weight")[0] == pytest.approx(expected, rel=1e-12)
    assert c.get("synapse_model").tolist() == ["stdp_synapse"]
    assert c.delay[0] == pytest.approx(d)
    ev = wr.get("events")
    assert set(ev) == {"senders", "targets", "times", "weights"}
    np.testing.assert_array_equal(ev["senders"], [pre.global_id] * 2)
    np.testing.assert_array_equal(ev["targets"], [post.global_id] * 2)
    np.testing.assert_allclose(ev["times"], [t_pre, t2])
    assert ev["weights"][0] == W0  # no post spike before the first pre spike
    assert ev["weights"][1] == pytest.approx(expected, rel=1e-12)
    assert nest.GetStatus(wr, "events")[0]["weights"][1] == ev["weights"][1]
    assert wr.n_events == 2


def test_post_before_pre_depresses_with_the_targets_tau_minus():
    # Post at 95 ms, seen at 96.5 ms; the pre spike at 100 ms depresses by the post trace at
    # 98.5 ms with the post parrot's tau_minus.
    pre, post = parrot_pair([100.0], [95.0], {"tau_minus": 30.0})
    wr = nest.Create("weight_recorder")
    nest.Connect(pre, post, "one_to_one", additive(delay=1.5, weight_recorder=wr, alpha=2.0))
    nest.Simulate(110.0)
    expected = W0 - 2.0 * LAMBDA * WMAX * math.exp(-(100.0 - 1.5 - 95.0) / 30.0)
    assert wr.events["weights"].tolist() == pytest.approx([expected], rel=1e-12)
    assert nest.GetConnections(pre, post).weight[0] == pytest.approx(expected, rel=1e-12)


def test_copy_model_and_set_defaults_of_a_plastic_model():
    pre, post = parrot_pair([100.0, 300.0], [110.0])
    wr = nest.Create("weight_recorder")
    nest.SetDefaults("stdp_synapse", {"Wmax": 200.0})
    nest.CopyModel("stdp_synapse", "my_stdp", {"tau_plus": 15.0, "weight_recorder": wr,
                                               "mu_plus": 0.0, "mu_minus": 0.0})
    assert nest.GetDefaults("my_stdp", "tau_plus") == 15.0
    assert nest.GetDefaults("my_stdp", "Wmax") == 200.0
    assert nest.GetDefaults("my_stdp", "weight_recorder") == wr
    assert nest.GetDefaults("stdp_pl_synapse_hom", "mu") == 0.4
    nest.Connect(pre, post, "one_to_one", {"synapse_model": "my_stdp", "weight": W0,
                                           "receptor_type": 1})
    nest.Connect(pre, post, "one_to_one", {"weight": 2.0, "receptor_type": 1})
    nest.Simulate(320.0)
    expected = (W0 + 0.01 * 200.0 * math.exp(-11.0 / 15.0)
                - 0.01 * 200.0 * math.exp(-(300.0 - 1.0 - 110.0) / 20.0))
    c = nest.GetConnections(pre, post)
    assert c.synapse_model.tolist() == ["my_stdp", "static_synapse"]
    assert c.weight.tolist() == pytest.approx([expected, 2.0], rel=1e-12)
    mine = nest.GetConnections(synapse_model="my_stdp")
    assert len(mine) == 1 and mine.weight[0] == c.weight[0]
    assert len(nest.GetConnections(synapse_model="stdp_synapse")) == 0
    assert wr.events["weights"][-1] == c.weight[0]
    assert "stdp_synapse" in nest.Models("synapses")
    assert "weight_recorder" in nest.Models("nodes")


def test_stdp_history_from_set_kernel_status():
    nest.SetKernelStatus({"stdp_history": 1})
    assert nest.GetKernelStatus("stdp_history") == 1
    # Two post spikes between the pre spikes: more than a history of one holds.
    pre, post = parrot_pair([100.0, 300.0], [110.0, 150.0])
    nest.Connect(pre, post, "one_to_one", additive())
    with pytest.raises(RuntimeError, match="stdp_history"):
        nest.Simulate(320.0)
    nest.ResetKernel()
    assert nest.GetKernelStatus("stdp_history") == 64
    with pytest.raises(ValueError, match="stdp_history = 0; expected an integer >= 1"):
        nest.SetKernelStatus({"stdp_history": 0})


def test_errors_name_the_key_and_leave_nothing_behind():
    pre, post = parrot_pair([100.0], [110.0])
    iaf = nest.Create("iaf_psc_alpha", 2)
    wr = nest.Create("weight_recorder")
    sr = nest.Create("spike_recorder")
    bad = [
        (additive(tau_pluss=1.0), "unknown syn_spec key 'tau_pluss' for stdp_synapse \\(expected "
         "synapse_model, weight, delay, receptor_type, weight_recorder, tau_plus, lambda"),
        (additive(mu=0.4), "unknown syn_spec key 'mu'"),
        ({"weight": 1.0, "tau_plus": 20.0}, "unknown syn_spec key 'tau_plus' for static_synapse"),
        (additive(tau_plus=-1.0), "stdp_synapse tau_plus = -1 ms; expected > 0"),
        (additive(Wmax=-100.0), "differ in sign"),
        (additive(tau_plus=[10.0, 20.0]), "expected one number for the Connect call"),
        ({"synapse_model": "stdp_synapses"}, "synapse model 'stdp_synapses'; expected one of"),
        ({"weight": 1.0, "weight_recorder": wr}, "does not change its weights"),
        (additive(weight_recorder=sr), "weight_recorder is a spike_recorder"),
        (additive(weight_recorder=wr + sr), "expected one node made by Create"),
    ]
    for spec, message in bad:
        with pytest.raises(ValueError, match=message):
            nest.Connect(pre, post, "one_to_one", spec)
    with pytest.raises(ValueError, match="plastic synapses name it"):
        nest.Connect(wr, iaf)
    with pytest.raises(ValueError, match="plastic synapses name it"):
        nest.Connect(iaf, wr)
    with pytest.raises(ValueError, match="unknown parameter 'tau_pluss' of stdp_synapse"):
        nest.CopyModel("stdp_synapse", "bad_stdp", {"tau_pluss": 1.0})
    with pytest.raises(ValueError, match="unknown parameter 'Wmax' of stdp_pl_synapse_hom"):
        nest.SetDefaults("stdp_pl_synapse_hom", {"Wmax": 1.0})
    with pytest.raises(ValueError, match="exists already"):
        nest.CopyModel("static_synapse", "stdp_synapse")
    with pytest.raises(ValueError, match="takes no parameters"):
        nest.Create("weight_recorder", params={"start": 1.0})
    # Nothing was connected by the rejected calls; the kernel still runs.
    assert len(nest.GetConnections(pre, post)) == 0
    nest.Connect(pre, post, "one_to_one", additive(weight_recorder=wr))
    nest.Simulate(120.0)
    assert wr.n_events == 1 and nest.GetConnections(pre, post).synapse_model[0] == "stdp_synapse"


MODEL_FILE = """{
  "kernel": {"backend": "cpu", "stdp_history": 8},
  "populations": [
    {"name": "gpre", "model": "spike_generator", "size": 1,
     "params": {"spike_times": [99.0, 299.0]}},
    {"name": "gpost", "model": "spike_generator", "size": 1, "params": {"spike_times": [109.0]}},
    {"name": "pre", "model": "parrot_neuron", "size": 1},
    {"name": "post", "model": "parrot_neuron", "size": 1}
  ],
  "connections": [
    {"source": "gpre", "target": "pre", "rule": "one_to_one"},
    {"source": "gpost", "target": "post", "rule": "one_to_one"},
    {"source": "pre", "target": "post", "rule": "one_to_one",
     "synapse": {"model": "stdp_synapse", "weight": 50.0, "receptor": 1, "mu_plus": 0.0,
                 "mu_minus": 0.0, "weight_recorder": "w"}}
  ],
  "recorders": [{"name": "w", "type": "weight_recorder"}],
  "simulate": 320
}"""


def test_load_model_file_with_a_plastic_connection():
    m = nest.LoadModelFile(MODEL_FILE).run()
    assert nest.GetKernelStatus("stdp_history") == 8
    expected = (50.0 + 1.0 * math.exp(-11.0 / 20.0) - 1.0 * math.exp(-189.0 / 20.0))
    ev = m.recorders["w"].events
    assert ev["weights"].tolist() == pytest.approx([50.0, expected], rel=1e-12)
    np.testing.assert_array_equal(ev["senders"], [m.populations["pre"].global_id] * 2)
    c = nest.GetConnections(m.populations["pre"], m.populations["post"])
    assert c.synapse_model.tolist() == ["stdp_synapse"] and c.receptor[0] == 1
