// The Brunel ring: one Brunel network (iaf_psc_exp, 80% excitatory) per process, each driven by
// its own Poisson generator, connected in a feed-forward ring: 60% of a network's excitatory and
// 10% of its inhibitory inputs come from the previous process in the ring, so in-degrees do not
// depend on the number of processes. After 500 ms the Poisson rate of process 0 drops by 25% for
// 100 ms and the effect travels around the ring.
//   mpirun -np N brunel_ring [--neurons N_PER_PROCESS] [--t-sim MS] [--output DIR]
//                            [--bind auto|cores|none] [--verbose 1] [--slice-steps S]
//                            [--record 0] (timing only: no spikes recorded, no rates)
//                            [--exchange point_to_point|all_to_all|neighbourhood|hierarchical]
// Prints the excitatory rate of every process in 20 ms bins, the exchange's share of wall time
// and bytes per slice; writes all spikes to DIR/brunel_ring_spikes.csv (process,index,time_ms).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "io/csv.hpp"
#include "io/hdf5_file.hpp"
#include "starling/simulator.hpp"

namespace {

struct options {
  std::size_t neurons = 5000;  // per process
  double t_sim = 1200.0;       // ms
  std::string output = "out/brunel_ring";
  starling::binding bind = starling::binding::automatic;
  bool verbose = false;
  std::int64_t slice_steps = 0;  // 0: automatic
  bool record = true;            // record spikes (else print only the timing)
  starling::exchange_strategy exchange = starling::exchange_strategy::point_to_point;
};

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--neurons")
      o.neurons = std::stoul(v);
    else if (k == "--t-sim")
      o.t_sim = std::stod(v);
    else if (k == "--output")
      o.output = v;
    else if (k == "--bind" && (v == "auto" || v == "cores" || v == "none"))
      o.bind = v == "auto"    ? starling::binding::automatic
               : v == "cores" ? starling::binding::cores
                              : starling::binding::none;
    else if (k == "--exchange" && v == "point_to_point")
      o.exchange = starling::exchange_strategy::point_to_point;
    else if (k == "--exchange" && v == "all_to_all")
      o.exchange = starling::exchange_strategy::all_to_all;
    else if (k == "--exchange" && v == "neighbourhood")
      o.exchange = starling::exchange_strategy::neighbourhood;
    else if (k == "--exchange" && v == "hierarchical")
      o.exchange = starling::exchange_strategy::hierarchical;
    else if (k == "--verbose")
      o.verbose = v != "0";
    else if (k == "--slice-steps")
      o.slice_steps = std::stoll(v);
    else if (k == "--record")
      o.record = v != "0";
    else
      throw starling::invalid_argument("brunel_ring: unknown option " + k);
  }
  if (o.t_sim < 700.0)
    throw starling::invalid_argument("brunel_ring: --t-sim below 700 ms misses the rate drop");
  return o;
}

constexpr double poisson_rate = 28000.0;  // Hz, per neuron
constexpr double bin = 20.0;              // ms

}  // namespace

int main(int argc, char** argv) {
  try {
    const options o = parse(argc, argv);
    // Before the network is built: an unwritable folder must not cost the run.
    starling::io::check_output_dir(o.output);
    starling::kernel_options kernel;
    kernel.seed = 1234;
    kernel.bind = o.bind;
    kernel.verbose = o.verbose;
    kernel.slice_steps = o.slice_steps;
    kernel.exchange = o.exchange;
    starling::simulator sim(kernel);
    const int n = sim.processes();
    const std::size_t ne = o.neurons * 4 / 5, ni = o.neurons - ne;
    const std::size_t ce = ne / 10, ci = ni / 10;  // in-degrees
    const starling::value_map params{
        {"tau_syn_ex", 0.5},
        {"tau_syn_in", 0.5},
        {"V_m", starling::distribution{"uniform", {{"low", -70.0}, {"high", -55.0}}}}};
    std::vector<starling::population> exc, inh, noise;
    for (int r = 0; r < n; ++r) {
      exc.push_back(sim.remote_create(r, "iaf_psc_exp", ne, params));
      inh.push_back(sim.remote_create(r, "iaf_psc_exp", ni, params));
      noise.push_back(sim.remote_create(r, "poisson_generator", 1, {{"rate", poisson_rate}}));
    }
    const auto t0 = std::chrono::steady_clock::now();
    starling::synapse je, ji, jx;
    je.weight = 30.0;
    je.delay = 1.5;
    ji.weight = -150.0;
    ji.delay = 1.5;
    jx.weight = 30.0;
    jx.delay = 0.1;
    for (int r = 0; r < n; ++r) {
      const int prev = (r + n - 1) % n;
      const std::size_t u = static_cast<std::size_t>(r), p = static_cast<std::size_t>(prev);
      for (const auto& target : {exc[u], inh[u]}) {
        starling::rule local_e{"fixed_indegree"}, ring_e{"fixed_indegree"};
        local_e.indegree = ce * 4 / 10;
        ring_e.indegree = ce - local_e.indegree;
        starling::rule local_i{"fixed_indegree"}, ring_i{"fixed_indegree"};
        local_i.indegree = ci * 9 / 10;
        ring_i.indegree = ci - local_i.indegree;
        sim.remote_connect(r, exc[u], r, target, local_e, je);
        sim.remote_connect(prev, exc[p], r, target, ring_e, je);
        sim.remote_connect(r, inh[u], r, target, local_i, ji);
        sim.remote_connect(prev, inh[p], r, target, ring_i, ji);
        sim.remote_connect(r, noise[u], r, target, {"all_to_all"}, jx);
      }
    }
    std::vector<starling::recorder> recs;
    if (o.record)
      for (const auto& e : exc) recs.push_back(sim.record_spikes(e));
    sim.prepare();
    const double build_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    const auto t1 = std::chrono::steady_clock::now();
    sim.simulate(500.0);
    sim.set(noise[0], "rate", 0.75 * poisson_rate);
    sim.simulate(100.0);
    sim.set(noise[0], "rate", poisson_rate);
    sim.simulate(o.t_sim - 600.0);
    const double sim_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();

    // Each process writes the SONATA file of its own excitatory population, with no gathering.
    const int me = sim.rank();
    if (o.record && starling::io::have_hdf5())
      starling::io::write_spikes_h5(
          std::filesystem::path(o.output) / ("brunel_ring_" + std::to_string(me) + ".h5"),
          {"exc" + std::to_string(me), ne, 0.0, o.t_sim,
           sim.spikes(recs[static_cast<std::size_t>(me)])});
    std::vector<starling::spike_data> spikes;
    for (const auto& r : recs) spikes.push_back(sim.gather_spikes(r));
    const std::size_t total = sim.total_connections();
    const starling::exchange_stats ex = sim.exchange();
    if (sim.rank() != 0) return 0;

    std::printf(
        "brunel_ring: %d processes x %zu neurons, %zu connections, build %.3f s, simulate %.3f s "
        "(RTF %.3f)\n",
        n, o.neurons, total, build_s, sim_s, sim_s / (o.t_sim * 1e-3));
    std::printf(
        "exchange (process 0, %s): %.3f s = %.1f%% of simulate; %llu slices of %lld steps; %.0f "
        "bytes in %.1f messages sent per slice\n",
        o.exchange == starling::exchange_strategy::all_to_all      ? "all_to_all"
        : o.exchange == starling::exchange_strategy::neighbourhood ? "neighbourhood"
        : o.exchange == starling::exchange_strategy::hierarchical  ? "hierarchical"
                                                                   : "point_to_point",
        ex.seconds, sim_s > 0 ? 100.0 * ex.seconds / sim_s : 0.0,
        static_cast<unsigned long long>(ex.slices), static_cast<long long>(sim.slice_steps()),
        ex.slices ? static_cast<double>(ex.bytes_sent) / static_cast<double>(ex.slices) : 0.0,
        ex.slices ? static_cast<double>(ex.messages) / static_cast<double>(ex.slices) : 0.0);
    if (o.exchange == starling::exchange_strategy::hierarchical)
      std::printf("exchange levels (process 0): within the node %.3f s, between nodes %.3f s\n",
                  ex.node_seconds, ex.between_seconds);
    if (!o.record) return 0;
    std::printf(
        "excitatory rate (spikes/s) per process, %g ms bins; Poisson drive of process 0 "
        "lowered by 25%% in [500, 600) ms\n%8s",
        bin, "t_ms");
    for (int r = 0; r < n; ++r) std::printf("  proc%-3d", r);
    std::printf("\n");
    const auto bins = static_cast<std::size_t>(o.t_sim / bin);
    std::vector<std::vector<std::size_t>> counts(spikes.size(), std::vector<std::size_t>(bins, 0));
    for (std::size_t r = 0; r < spikes.size(); ++r)
      for (double t : spikes[r].time) {
        const auto b = static_cast<std::size_t>((t - 1e-9) / bin);
        if (b < bins) ++counts[r][b];
      }
    for (std::size_t b = 0; b < bins; ++b) {
      std::printf("%8.0f", static_cast<double>(b) * bin);
      for (std::size_t r = 0; r < spikes.size(); ++r)
        std::printf("  %7.2f",
                    static_cast<double>(counts[r][b]) / static_cast<double>(ne) / (bin * 1e-3));
      std::printf("\n");
    }
    const std::filesystem::path file = std::filesystem::path(o.output) / "brunel_ring_spikes.csv";
    starling::io::write_file(file, [&spikes](std::ostream& csv) {
      csv << "process,index,time_ms\n";
      for (std::size_t r = 0; r < spikes.size(); ++r)
        for (std::size_t k = 0; k < spikes[r].time.size(); ++k)
          csv << r << ',' << spikes[r].index[k] << ',' << spikes[r].time[k] << '\n';
    });
    std::printf("wrote %s\n", file.string().c_str());
    return 0;
  } catch (const std::exception& e) {
    starling::abort_run(std::string("brunel_ring: error: ") + e.what());
  }
}
