# A PyNEST script in the shape of NEST's Brunel delta example (supported calls only): model
# copies with defaults, fixed in-degree, Poisson drive, spike recorders. Prints what does not
# depend on the simulator's random numbers: sizes, connection counts, whether both populations
# fire at a moderate rate. Run by tests/python/test_pynest_script.py with `import starling as
# nest`; with `import nest` (NEST 3.10) it prints the same lines.
import starling as nest

nest.set_verbosity("M_WARNING")
nest.ResetKernel()
dt, simtime, delay = 0.1, 300.0, 1.5
g, eta, epsilon = 5.0, 2.0, 0.1
order = 250
NE, NI = 4 * order, order
CE, CI = int(epsilon * NE), int(epsilon * NI)
tauMem, theta, J = 20.0, 20.0, 0.1
J_ex, J_in = J, -g * J
nu_th = theta / (J * CE * tauMem)
p_rate = 1000.0 * eta * nu_th * CE

nest.SetKernelStatus({"resolution": dt, "print_time": False})
neuron_params = {"C_m": 1.0, "tau_m": tauMem, "t_ref": 2.0, "E_L": 0.0, "V_reset": 10.0,
                 "V_m": 0.0, "V_th": theta}
nest.SetDefaults("iaf_psc_delta", neuron_params)
nodes_ex = nest.Create("iaf_psc_delta", NE)
nodes_in = nest.Create("iaf_psc_delta", NI)
noise = nest.Create("poisson_generator", params={"rate": p_rate})
espikes = nest.Create("spike_recorder")
ispikes = nest.Create("spike_recorder")
espikes.set(label="brunel-py-ex", record_to="memory")

nest.CopyModel("static_synapse", "excitatory", {"weight": J_ex, "delay": delay})
nest.CopyModel("static_synapse", "inhibitory", {"weight": J_in, "delay": delay})
nest.Connect(noise, nodes_ex, syn_spec="excitatory")
nest.Connect(noise, nodes_in, syn_spec="excitatory")
nest.Connect(nodes_ex[:50], espikes, syn_spec="excitatory")
nest.Connect(nodes_in[:50], ispikes, syn_spec="excitatory")
conn_params_ex = {"rule": "fixed_indegree", "indegree": CE}
nest.Connect(nodes_ex, nodes_ex + nodes_in, conn_params_ex, "excitatory")
conn_params_in = {"rule": "fixed_indegree", "indegree": CI}
nest.Connect(nodes_in, nodes_ex + nodes_in, conn_params_in, "inhibitory")

nest.Simulate(simtime)

events_ex = espikes.n_events
events_in = nest.GetStatus(ispikes, "n_events")[0]
rate_ex = events_ex / simtime * 1000.0 / 50
rate_in = events_in / simtime * 1000.0 / 50
print("neurons", len(nodes_ex) + len(nodes_in))
print("connections", nest.GetKernelStatus("num_connections"))
print("excitatory rate moderate", 2.0 < rate_ex < 100.0)
print("inhibitory rate moderate", 2.0 < rate_in < 100.0)
print("senders", sorted(set(espikes.get("events")["senders"].tolist())) == nodes_ex[:50].tolist())
print("default tau_m", nest.GetDefaults("iaf_psc_delta")["tau_m"])
