// The Brunel network at scale: N neurons (80% excitatory), K synapses per neuron (fixed
// in-degree 0.8 K excitatory, 0.2 K inhibitory), Poisson drive; one connect call per pair of
// populations (the excitatory one holds 0.64 N K connections, beyond 2^31 from N K > 3.4e9).
// Prints one JSON line: build and simulation time, RTF, connections, bytes per synapse, rates.
//   brunel_large [--neurons N] [--indegree K] [--t-sim MS] [--backend cpu|cuda] [--seed N]
#include <chrono>
#include <cstdio>
#include <string>

#include "runtime/engine.hpp"
#include "starling/simulator.hpp"

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

double device_used_bytes(bool cuda) { return cuda ? starling::runtime::cuda_used_bytes(0) : 0.0; }

}  // namespace

int main(int argc, char** argv) {
  std::size_t n = 500000, k = 10000;
  double t_sim = 1000.0;
  std::uint64_t seed = 143202461;
  starling::backend where = starling::backend::automatic;
  for (int i = 1; i < argc; i += 2) {
    const std::string key = argv[i], v = i + 1 < argc ? argv[i + 1] : "";
    if (key == "--neurons" && !v.empty())
      n = std::stoull(v);
    else if (key == "--indegree" && !v.empty())
      k = std::stoull(v);
    else if (key == "--t-sim" && !v.empty())
      t_sim = std::stod(v);
    else if (key == "--seed" && !v.empty())
      seed = std::stoull(v);
    else if (key == "--backend" && (v == "cpu" || v == "cuda" || v == "auto"))
      where = v == "cpu"    ? starling::backend::cpu
              : v == "cuda" ? starling::backend::cuda
                            : starling::backend::automatic;
    else {
      std::fprintf(stderr,
                   "brunel_large: %s %s; expected --neurons N, --indegree K, --t-sim MS, "
                   "--seed S, --backend cpu|cuda|auto\n",
                   key.c_str(), v.c_str());
      return 2;
    }
  }
  try {
    starling::kernel_options o;
    o.where = where;
    o.seed = seed;
    const auto t0 = std::chrono::steady_clock::now();
    starling::simulator sim(o);
    const std::size_t n_exc = n * 4 / 5, n_inh = n - n_exc;
    const std::size_t k_exc = k * 4 / 5, k_inh = k - k_exc;
    // J scaled by 1000 / K from examples/brunel (K = 1000, J = 30 pA, g = 5).
    const double j = 30.0 * 1000.0 / static_cast<double>(k);
    const starling::value_map params{
        {"tau_syn_ex", 0.5}, {"tau_syn_in", 0.5}, {"t_ref", 2.0}, {"V_m", -65.0}};
    auto exc = sim.create("iaf_psc_exp", n_exc, params);
    auto inh = sim.create("iaf_psc_exp", n_inh, params);
    auto noise = sim.create("poisson_generator", 1, {{"rate", 30000.0}});
    starling::synapse e, i, p;
    e.weight = j;
    e.delay = 1.5;
    i.weight = -5.0 * j;
    i.delay = 0.8;
    p.weight = 30.0;
    p.delay = 0.1;
    starling::rule re{"fixed_indegree"}, ri{"fixed_indegree"};
    re.indegree = k_exc;
    ri.indegree = k_inh;
    for (const auto& post : {exc, inh}) {
      sim.connect(exc, post, re, e);
      sim.connect(inh, post, ri, i);
      sim.connect(noise, post, {"all_to_all"}, p);
    }
    auto rec_e = sim.record_spikes(exc);
    auto rec_i = sim.record_spikes(inh);
    const double connect_s = seconds_since(t0);
    sim.prepare();
    const double build_s = seconds_since(t0);
    const bool cuda = sim.device().rfind("cuda", 0) == 0;  // "cuda:<name>"
    const double used = device_used_bytes(cuda);
    const auto t1 = std::chrono::steady_clock::now();
    sim.simulate(t_sim);
    const double sim_s = seconds_since(t1);
    const double rate_e = static_cast<double>(sim.spikes(rec_e).time.size()) /
                          static_cast<double>(n_exc) / (t_sim * 1e-3);
    const double rate_i = static_cast<double>(sim.spikes(rec_i).time.size()) /
                          static_cast<double>(n_inh) / (t_sim * 1e-3);
    const double synapses = static_cast<double>(sim.num_connections());
    std::printf(
        "{\"bench\": \"brunel_large\", \"device\": \"%s\", \"neurons\": %zu, \"indegree\": %zu, "
        "\"connections\": %.0f, \"connect_s\": %.3f, \"build_s\": %.3f, \"t_sim_ms\": %g, "
        "\"simulate_s\": %.3f, \"rtf\": %.4f, \"synapse_bytes\": %zu, "
        "\"bytes_per_synapse\": %.3f, \"device_used_bytes\": %.0f, "
        "\"device_bytes_per_synapse\": %.3f, \"rate_exc_hz\": %.3f, \"rate_inh_hz\": %.3f}\n",
        sim.device().c_str(), n, k, synapses, connect_s, build_s, t_sim, sim_s,
        sim_s / (t_sim * 1e-3), sim.synapse_bytes(),
        static_cast<double>(sim.synapse_bytes()) / synapses, used, used / synapses, rate_e, rate_i);
  } catch (const starling::error& err) {
    std::fprintf(stderr, "brunel_large: error: %s\n", err.what());
    return 1;
  }
  return 0;
}
