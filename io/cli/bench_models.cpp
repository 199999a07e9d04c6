// `starling bench models`: for each neuron model, a population of N members (default 1 M) with
// NEST's default parameters, driven by one Poisson generator through all-to-all synapses of
// weight W in the model's units (receptor 1 for multisynapse models), simulated for T ms after a
// warm-up, nothing recorded; prints one JSON line per model with neuron updates per second
// (N x steps / wall time).
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "io/cli/commands.hpp"
#include "io/model_file.hpp"
#include "starling/simulator.hpp"

namespace starling::io::cli {

namespace {

struct models_arguments {
  double neurons = 1e6;
  double t_presim = 20.0;  // ms
  double t_sim = 200.0;    // ms
  double rate = 8000.0;    // spikes/s of the Poisson drive
  double weight = 1.0;     // model units
  backend where = backend::automatic;
  std::vector<std::string> only;
  bool help = false;
};

models_arguments parse_models(const std::vector<std::string>& args) {
  models_arguments a;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& opt = args[i];
    if (opt == "-h" || opt == "--help") {
      a.help = true;
      continue;
    }
    if (i + 1 >= args.size()) throw usage_error("bench models: " + opt + " needs a value");
    const std::string v = args[++i];
    if (opt == "--neurons") {
      a.neurons = number_of(opt, v);
      if (!(a.neurons >= 1.0 && a.neurons < 4294967296.0))
        throw usage_error("bench models: --neurons " + v + "; expected 1 to 2^32 - 1");
    } else if (opt == "--t-presim") {
      a.t_presim = number_of(opt, v);
    } else if (opt == "--t-sim") {
      a.t_sim = number_of(opt, v);
    } else if (opt == "--rate") {
      a.rate = number_of(opt, v);
    } else if (opt == "--weight") {
      a.weight = number_of(opt, v);
    } else if (opt == "--model") {
      a.only.push_back(v);
    } else if (opt == "--backend") {
      const auto b = backend_from_name(v);
      if (!b) throw usage_error("bench models: --backend " + v + "; expected cpu, cuda or auto");
      a.where = *b;
    } else {
      throw usage_error("bench models: unknown option " + opt);
    }
  }
  return a;
}

void bench_one(const models_arguments& a, const std::string& model) {
  kernel_options o;
  o.where = a.where;
  simulator sim(o);
  const auto n = static_cast<std::size_t>(a.neurons);
  const auto t0 = std::chrono::steady_clock::now();
  auto pop = sim.create(model, n);
  auto pg = sim.create("poisson_generator", 1, {{"rate", a.rate}});
  synapse s;
  s.weight = a.weight;
  s.delay = 1.0;
  std::string input = "poisson";
  try {
    sim.connect(pg, pop, {"all_to_all"}, s);
  } catch (const invalid_argument&) {
    // Receptor ports: the first one.
    s.receptor = 1;
    try {
      sim.connect(pg, pop, {"all_to_all"}, s);
    } catch (const invalid_argument&) {
      input = "none";
    }
  }
  const auto [build_s, sim_s] = timed_run(sim, t0, a.t_presim, a.t_sim);
  const double steps = a.t_sim / o.resolution;
  std::printf(
      "{\"bench\":\"models\",\"model\":\"%s\",\"device\":\"%s\",\"neurons\":%zu,\"input\":\"%s\","
      "\"rate_in\":%g,\"weight\":%g,\"t_sim_ms\":%g,\"build_s\":%.4f,\"sim_s\":%.4f,"
      "\"updates_per_s\":%.4g}\n",
      model.c_str(), sim.device().c_str(), n, input.c_str(), a.rate, a.weight, a.t_sim, build_s,
      sim_s, static_cast<double>(n) * steps / sim_s);
  std::fflush(stdout);
}

}  // namespace

int bench_models_main(const std::vector<std::string>& args) {
  const models_arguments a = parse_models(args);
  if (a.help) {
    std::fputs(
        "usage: starling bench models [options]\n"
        "  per neuron model: N members with NEST's defaults, driven by a Poisson generator\n"
        "  (all-to-all, receptor 1 where the model has ports); one JSON line each with neuron\n"
        "  updates per second over the measured interval\n"
        "  --neurons N        population size (default 1000000)\n"
        "  --t-presim MS      warm-up (default 20)\n"
        "  --t-sim MS         measured model time (default 200)\n"
        "  --rate HZ          Poisson rate (default 8000)\n"
        "  --weight W         synaptic weight in the model's units (default 1)\n"
        "  --model NAME       only this model (repeatable)\n"
        "  --backend cpu|cuda|auto  where to run (default auto)\n",
        stdout);
    return 0;
  }
  std::vector<std::string> names = a.only;
  if (names.empty())
    for (const std::string& m : models())
      if (describe(m).is_neuron) names.push_back(m);
  for (const std::string& m : names) bench_one(a, m);
  return 0;
}

}  // namespace starling::io::cli
