#include <chrono>
#include <cstdio>
#include <map>

#include "io/cli/commands.hpp"
#include "io/csv.hpp"
#include "io/hdf5_file.hpp"
#include "io/model_file.hpp"
#include "microcircuit/microcircuit.hpp"

namespace starling::io::cli {

namespace {

struct bench_arguments {
  double scale = 1.0;
  double t_presim = 500.0;  // ms
  double t_sim = 1000.0;    // ms
  std::uint64_t seed = 55;
  examples::background input = examples::background::poisson;
  backend where = backend::automatic;
  std::int64_t slice_steps = 0;
  std::string record;
  bool help = false;
};

}  // namespace

double number_of(const std::string& option, const std::string& text) {
  try {
    std::size_t used = 0;
    const double x = std::stod(text, &used);
    if (used == text.size()) return x;
  } catch (const std::exception&) {
  }
  throw usage_error("bench: " + option + " " + text + "; expected a number");
}

namespace {

bench_arguments parse(const std::vector<std::string>& args) {
  bench_arguments a;
  if (args.empty())
    throw usage_error("bench: expected a benchmark name (microcircuit, hpc, models)");
  if (args[0] == "-h" || args[0] == "--help") {
    a.help = true;
    return a;
  }
  if (args[0] != "microcircuit")
    throw usage_error("bench: unknown benchmark " + args[0] +
                      "; expected microcircuit, hpc or models");
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& opt = args[i];
    if (opt == "-h" || opt == "--help") {
      a.help = true;
      continue;
    }
    if (i + 1 >= args.size()) throw usage_error("bench: " + opt + " needs a value");
    const std::string v = args[++i];
    if (opt == "--scale") {
      a.scale = number_of(opt, v);
    } else if (opt == "--t-presim") {
      a.t_presim = number_of(opt, v);
    } else if (opt == "--t-sim") {
      a.t_sim = number_of(opt, v);
    } else if (opt == "--seed") {
      a.seed = static_cast<std::uint64_t>(number_of(opt, v));
    } else if (opt == "--slice-steps") {
      a.slice_steps = static_cast<std::int64_t>(number_of(opt, v));
    } else if (opt == "--background") {
      if (v != "poisson" && v != "dc")
        throw usage_error("bench: --background " + v + "; expected poisson or dc");
      a.input = v == "dc" ? examples::background::dc : examples::background::poisson;
    } else if (opt == "--backend") {
      const auto b = backend_from_name(v);
      if (!b) throw usage_error("bench: --backend " + v + "; expected cpu, cuda or auto");
      a.where = *b;
    } else if (opt == "--record") {
      a.record = v;
    } else {
      throw usage_error("bench: unknown option " + opt);
    }
  }
  return a;
}

}  // namespace

bench_times timed_run(simulator& sim, std::chrono::steady_clock::time_point t0, double t_presim,
                      double t_sim) {
  auto seconds_since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  };
  sim.prepare();
  bench_times out;
  out.build_s = seconds_since(t0);
  sim.simulate(t_presim);
  const auto t1 = std::chrono::steady_clock::now();
  sim.simulate(t_sim);
  out.sim_s = seconds_since(t1);
  return out;
}

namespace {

int bench_main(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "models") return bench_models_main(args);
  if (!args.empty() && args[0] == "hpc") return bench_hpc_main(args);
  const bench_arguments a = parse(args);
  if (a.help) {
    std::fputs(usage_of(bench_command).c_str(), stdout);
    return 0;
  }
  kernel_options o;
  o.seed = a.seed;
  o.where = a.where;
  o.slice_steps = a.slice_steps;
  // Before the simulation: an unwritable folder must not cost a run.
  if (!a.record.empty()) check_output_dir(a.record);
  simulator sim(o);
  const auto t0 = std::chrono::steady_clock::now();
  examples::microcircuit_options mo;
  mo.scale = a.scale;
  mo.input = a.input;
  mo.record_spikes = true;
  const examples::microcircuit net = examples::build_microcircuit(sim, mo);
  const auto [build_s, sim_s] = timed_run(sim, t0, a.t_presim, a.t_sim);

  // Rates over the measured interval; synaptic events from each population's mean out-degree.
  std::string rates;
  std::uint64_t spikes = 0;
  double events = 0.0;
  for (std::size_t p = 0; p < 8; ++p) {
    const spike_data& s = sim.spikes(net.spikes[p]);
    std::uint64_t n = 0;
    for (double t : s.time) n += t > a.t_presim ? 1 : 0;
    spikes += n;
    double out = 0.0;
    for (int t = 0; t < 8; ++t)
      out += examples::microcircuit_synapses(t, static_cast<int>(p), a.scale);
    events += static_cast<double>(n) * out / static_cast<double>(net.pops[p].size);
    char buf[64];
    std::snprintf(
        buf, sizeof buf, "%s\"%s\":%.4f", p ? "," : "", examples::microcircuit_populations[p],
        static_cast<double>(n) / static_cast<double>(net.pops[p].size) / (a.t_sim * 1e-3));
    rates += buf;
    if (!a.record.empty()) {
      const std::string name = examples::microcircuit_populations[p];
      const std::filesystem::path dir(a.record);
      write_file(dir / (name + ".csv"), [&](std::ostream& os) { write_spikes_csv(os, name, s); });
      if (have_hdf5())
        write_spikes_h5(dir / (name + ".h5"),
                        {name, net.pops[p].size, a.t_presim, a.t_presim + a.t_sim, s});
    }
  }
  std::printf(
      "{\"bench\":\"microcircuit\",\"scale\":%g,\"background\":\"%s\",\"seed\":%llu,\"device\":\"%"
      "s\","
      "\"neurons\":%llu,\"synapses\":%zu,\"slice_steps\":%lld,\"t_presim_ms\":%g,\"t_sim_ms\":%g,"
      "\"build_s\":%.4f,\"sim_s\":%.4f,\"rtf\":%.4f,\"spikes\":%llu,\"rates\":{%s},\"events_per_"
      "s\":%.4g}\n",
      a.scale, a.input == examples::background::dc ? "dc" : "poisson",
      static_cast<unsigned long long>(a.seed), sim.device().c_str(),
      static_cast<unsigned long long>(net.neurons), sim.num_connections(),
      static_cast<long long>(sim.slice_steps()), a.t_presim, a.t_sim, build_s, sim_s,
      sim_s / (a.t_sim * 1e-3), static_cast<unsigned long long>(spikes), rates.c_str(),
      events / sim_s);
  return 0;
}

}  // namespace

const command bench_command = {
    "bench", "microcircuit|hpc|models [options]",
    "microcircuit: build and simulate the Potjans & Diesmann microcircuit; print one JSON line of "
    "figures.\n  hpc: NEST's HPC benchmark (balanced network, E->E STDP), one JSON line (see "
    "`starling bench hpc --help`)\n  models: per neuron model, neuron updates per second of a "
    "large population (one JSON line each; see `starling bench models --help`)",
    "  --scale S                fraction of the 77,169 neurons, in-degrees kept (default 1)\n"
    "  --t-presim MS            warm-up before the measured interval (default 500)\n"
    "  --t-sim MS               measured model time (default 1000)\n"
    "  --seed N                 master seed (default 55)\n"
    "  --background poisson|dc  background input (default poisson)\n"
    "  --backend cpu|cuda|auto  where to run (default auto)\n"
    "  --slice-steps N          steps per slice (default automatic)\n"
    "  --record DIR             write each population's spikes to DIR/<population>.csv and, as\n"
    "                           SONATA, DIR/<population>.h5 (window: the measured interval)\n",
    &bench_main};

}  // namespace starling::io::cli
