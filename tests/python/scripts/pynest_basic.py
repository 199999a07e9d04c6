# A plain PyNEST script (supported calls only): spike_generator -> parrot_neuron -> iaf_psc_exp
# with a dc_generator; prints the spike counts and times. Run by tests/python/test_pynest_script.py
# with `import starling as nest`; with `import nest` (NEST 3.10) it prints the same lines.
import starling as nest

nest.ResetKernel()
nest.SetKernelStatus({"resolution": 0.1})

sg = nest.Create("spike_generator", params={"spike_times": [5.0, 10.0, 10.5, 30.0]})
parrots = nest.Create("parrot_neuron", 3)
neurons = nest.Create("iaf_psc_exp", 2, params={"I_e": 300.0, "tau_syn_ex": 2.0})
dc = nest.Create("dc_generator", params={"amplitude": 100.0, "start": 20.0})
sr = nest.Create("spike_recorder")
vm = nest.Create("voltmeter")

nest.Connect(sg, parrots)
nest.Connect(parrots, neurons, syn_spec={"weight": 400.0, "delay": 1.0})
nest.Connect(dc, neurons)
nest.Connect(parrots, sr)
nest.Connect(neurons, sr)
nest.Connect(vm, neurons)
nest.SetStatus(neurons, {"V_m": -60.0})
neurons[1].set(I_e=250.0)

nest.Simulate(60.0)

events = sr.get("events")
print("parrot spikes", sum(1 for s in events["senders"] if s in parrots.tolist()))
for gid in neurons.tolist():
    times = [float(round(t, 1)) for t, s in zip(events["times"], events["senders"]) if s == gid]
    print("neuron", gid - neurons.tolist()[0], "spikes", times)
v = vm.get("events")
print("voltmeter samples", len(v["times"]))
print("V_m at 60 ms", [float(round(x, 6)) for x in neurons.get("V_m")])
print("connections", nest.GetKernelStatus("num_connections"))
