// `starling bench hpc`: NEST's HPC benchmark (examples/hpc_benchmark): a balanced network of
// 11,250 S iaf_psc_alpha neurons with 11,250 synapses onto each, E->E synapses
// stdp_pl_synapse_hom (or static_synapse with --plastic 0, the static baseline), simulated for
// a warm-up and a measured interval; prints one JSON line with construction and simulation time,
// real-time factor, rates and synaptic events per second.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "hpc_benchmark/hpc_benchmark.hpp"
#include "io/cli/commands.hpp"
#include "io/csv.hpp"
#include "io/hdf5_file.hpp"
#include "io/model_file.hpp"

namespace starling::io::cli {

namespace {

struct hpc_arguments {
  double scale = 1.0;
  // ms; the benchmark's usual 100 ms to equilibrium and 1000 ms measured (its script shortens
  // them to 50 and 250 for desktops).
  double t_presim = 100.0;
  double t_sim = 1000.0;
  std::uint64_t seed = kernel_options{}.seed;  // NEST's default seed: the benchmark sets none
  bool plastic = true;
  backend where = backend::automatic;
  std::int64_t slice_steps = 0;
  bool progress = false;
  std::string record;
  bool help = false;
};

const char* const hpc_help =
    "usage: starling bench hpc [options]\n"
    "  NEST's HPC benchmark (hpc_benchmark.py): 9000 S excitatory and 2250 S inhibitory\n"
    "  iaf_psc_alpha neurons, 9000 + 2250 synapses onto each whatever S, Poisson drive, E->E\n"
    "  synapses stdp_pl_synapse_hom; one JSON line with build and simulation time, rates and\n"
    "  synaptic events per second over the measured interval\n"
    "  --scale S                network size factor: floor(9000 S) + floor(2250 S) neurons\n"
    "                           (default 1)\n"
    "  --t-presim MS            warm-up before the measured interval (default 100)\n"
    "  --t-sim MS               measured model time (default 1000)\n"
    "  --seed N                 master seed (default 143202461, NEST's)\n"
    "  --plastic 0|1            E->E stdp_pl_synapse_hom (1, default) or static_synapse of the\n"
    "                           same weight (0, the static baseline)\n"
    "  --backend cpu|cuda|auto  where to run (default auto)\n"
    "  --slice-steps N          steps per slice (default automatic)\n"
    "  --progress               report the simulation's progress on stderr\n"
    "  --record DIR             write the spikes of the measured interval to DIR/E.csv and\n"
    "                           DIR/I.csv and, as SONATA, DIR/E.h5 and DIR/I.h5\n";

double time_of(const std::string& option, const std::string& text, bool zero_allowed) {
  const double t = number_of(option, text);
  if (!(std::isfinite(t) && (t > 0.0 || (zero_allowed && t == 0.0))))
    throw usage_error("bench hpc: " + option + " " + text + "; expected a finite number " +
                      (zero_allowed ? ">= 0" : "> 0") + " of ms");
  return t;
}

double whole_of(const std::string& option, const std::string& text, double low) {
  const double x = number_of(option, text);
  if (!(x >= low && x < 1.8e19 && x == std::floor(x)))
    throw usage_error("bench hpc: " + option + " " + text +
                      "; expected an integer >= " + std::to_string(static_cast<long long>(low)));
  return x;
}

hpc_arguments parse_hpc(const std::vector<std::string>& args) {
  hpc_arguments a;
  argument_reader in(args, "bench hpc");
  in.next();  // "hpc"
  while (in.next()) {
    const std::string& opt = in.name();
    if (opt == "-h" || opt == "--help") {
      a.help = true;
    } else if (opt == "--progress" && !in.attached()) {
      a.progress = true;
    } else if (opt == "--scale") {
      const std::string v = in.value();
      a.scale = number_of(opt, v);
      if (!(std::isfinite(a.scale) && a.scale > 0.0))
        throw usage_error("bench hpc: --scale " + v + "; expected a finite number > 0");
      try {
        std::uint64_t ne = 0, ni = 0;
        examples::hpc_sizes(a.scale, ne, ni);
      } catch (const invalid_argument& e) {
        throw usage_error(e.what());  // too few or too many neurons
      }
    } else if (opt == "--t-presim") {
      a.t_presim = time_of(opt, in.value(), true);
    } else if (opt == "--t-sim") {
      a.t_sim = time_of(opt, in.value(), false);
    } else if (opt == "--seed") {
      a.seed = static_cast<std::uint64_t>(whole_of(opt, in.value(), 0.0));
    } else if (opt == "--slice-steps") {
      a.slice_steps = static_cast<std::int64_t>(whole_of(opt, in.value(), 1.0));
    } else if (opt == "--plastic") {
      const std::string v = in.value();
      if (v != "0" && v != "1")
        throw usage_error("bench hpc: --plastic " + v + "; expected 0 or 1");
      a.plastic = v == "1";
    } else if (opt == "--backend") {
      const std::string v = in.value();
      const auto b = backend_from_name(v);
      if (!b) throw usage_error("bench hpc: --backend " + v + "; expected cpu, cuda or auto");
      a.where = *b;
    } else if (opt == "--record") {
      a.record = in.value();
    } else {
      throw usage_error("bench hpc: unknown option " + in.raw());
    }
  }
  return a;
}

}  // namespace

int bench_hpc_main(const std::vector<std::string>& args) {
  const hpc_arguments a = parse_hpc(args);
  if (a.help) {
    std::fputs(hpc_help, stdout);
    return 0;
  }
  kernel_options o;
  o.seed = a.seed;
  o.where = a.where;
  o.slice_steps = a.slice_steps;
  o.progress = a.progress;
  // Before the simulation: an unwritable folder must not cost a run.
  if (!a.record.empty()) check_output_dir(a.record);
  simulator sim(o);
  const auto t0 = std::chrono::steady_clock::now();
  examples::hpc_options ho;
  ho.scale = a.scale;
  ho.plastic = a.plastic;
  ho.record_spikes = true;
  ho.record_from = a.t_presim;  // only the measured interval is kept
  const examples::hpc_network net = examples::build_hpc_benchmark(sim, ho);
  const auto [build_s, sim_s] = timed_run(sim, t0, a.t_presim, a.t_sim);

  const spike_data& se = sim.spikes(net.spikes_e);
  const spike_data& si = sim.spikes(net.spikes_i);
  const double n_e = static_cast<double>(se.time.size()), n_i = static_cast<double>(si.time.size());
  const double ne = static_cast<double>(net.ne), ni = static_cast<double>(net.ni);
  const double ce = static_cast<double>(examples::hpc_indegree_e);
  const double ci = static_cast<double>(examples::hpc_indegree_i);
  // Synaptic events delivered: each spike times its source's out-degree. In-degrees are fixed,
  // so E's NE CE + NI CE synapses give each E neuron CE (NE + NI) / NE targets on average, and
  // each I neuron CI (NE + NI) / NI; the E->E (plastic) part of an E spike is CE. Means over the
  // sources, not each neuron's own out-degree; the Poisson drive's events are not counted.
  const double events = n_e * ce * (ne + ni) / ne + n_i * ci * (ne + ni) / ni;
  const double plastic_events = a.plastic ? n_e * ce : 0.0;
  const double seconds_model = a.t_sim * 1e-3;

  if (!a.record.empty()) {
    const std::filesystem::path dir(a.record);
    const std::pair<const char*, const spike_data*> pops[] = {{"E", &se}, {"I", &si}};
    for (const auto& [name, s] : pops) {
      write_file(dir / (std::string(name) + ".csv"),
                 [&](std::ostream& os) { write_spikes_csv(os, name, *s); });
      if (have_hdf5())
        write_spikes_h5(dir / (std::string(name) + ".h5"), {name, name[0] == 'E' ? net.ne : net.ni,
                                                            a.t_presim, a.t_presim + a.t_sim, *s});
    }
  }
  std::printf(
      "{\"bench\":\"hpc\",\"scale\":%g,\"plastic\":%s,\"seed\":%llu,\"device\":\"%s\","
      "\"neurons\":%llu,\"synapses\":%zu,\"plastic_synapses\":%llu,\"poisson_rate\":%.6g,"
      "\"je_pA\":%.6g,\"slice_steps\":%lld,\"t_presim_ms\":%g,\"t_sim_ms\":%g,\"build_s\":%.4f,"
      "\"sim_s\":%.4f,\"rtf\":%.4f,\"spikes\":%llu,\"rates\":{\"E\":%.4f,\"I\":%.4f},"
      "\"events_per_s\":%.4g,\"plastic_events_per_s\":%.4g}\n",
      a.scale, a.plastic ? "true" : "false", static_cast<unsigned long long>(a.seed),
      sim.device().c_str(), static_cast<unsigned long long>(net.ne + net.ni), sim.num_connections(),
      static_cast<unsigned long long>(net.plastic_synapses), net.poisson_rate, net.je,
      static_cast<long long>(sim.slice_steps()), a.t_presim, a.t_sim, build_s, sim_s,
      sim_s / seconds_model, static_cast<unsigned long long>(se.time.size() + si.time.size()),
      n_e / ne / seconds_model, n_i / ni / seconds_model, events / sim_s, plastic_events / sim_s);
  return 0;
}

}  // namespace starling::io::cli
