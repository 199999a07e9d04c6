// Decomposition invariance over MPI processes: a network of four populations placed on ranks
// i mod N, built with remote_create / remote_connect, must give the same spikes for N = 1, 2, 4;
// generators (poisson, spike, dc, noise) on one process drive neurons on others.
//   decomposition --write FILE     (N = 1: the reference)
//   decomposition --compare FILE   (N > 1: every spike equal to the reference)
//   decomposition --mismatch       (a process skips a remote_connect: every process must get an
//                                   error, none may hang)
// A last argument "cuda" runs the processes on the GPU back end (the reference stays the same:
// CPU and GPU give the same spikes). Options before it: "slice=S" sets the slice length (1: the
// literal per-step graph, whose slice-end tasks follow and are followed by single operations);
// "one_way" keeps only the projections from even to odd populations and onto themselves (on 2
// processes every spike goes from process 0 to process 1: process 0 has outboxes and no
// inboxes, so only the order of its tasks keeps the next slice from overwriting an outbox
// that the exchange still reads); "workers=W" runs W CPU workers; "weights" records the plastic
// connections (targets on several processes) with one weight recorder and adds its gathered rows
// to the text, after checking that they are not empty, that weights changed and that this
// process's own rows are among them in the same order (all of them on one process).
// Prints "N passed, M failed" on rank 0; the exit status says the same.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "starling/simulator.hpp"

namespace {

/// Builds and runs the network; returns the gathered spikes as text and sets this process's rank.
struct setup {
  starling::backend where = starling::backend::cpu;
  std::int64_t slice = 0;  // automatic
  bool one_way = false;
  int workers = 1;
  bool weights = false;
};

using weight_row =
    std::tuple<double, std::size_t, std::uint32_t, std::size_t, std::uint32_t, double>;

std::vector<weight_row> rows_of(const starling::weight_data& w) {
  std::vector<weight_row> rows;
  for (std::size_t k = 0; k < w.time.size(); ++k)
    rows.emplace_back(w.time[k], w.source_population[k], w.source[k], w.target_population[k],
                      w.target[k], w.weight[k]);
  return rows;
}

/// The gathered rows of a weight recorder as text, after the checks named at the top.
std::string gathered_weights(const starling::simulator& sim, const starling::recorder& r,
                             double initial) {
  const std::vector<weight_row> all = rows_of(sim.gather_weights(r));
  const std::vector<weight_row> mine = rows_of(sim.weights(r));
  if (all.empty()) throw std::runtime_error("gather_weights: no rows");
  if (!std::is_sorted(all.begin(), all.end()))
    throw std::runtime_error("gather_weights: rows not sorted");
  std::size_t next = 0;  // this process's rows, a subsequence of the gathered ones
  for (const weight_row& row : all)
    if (next < mine.size() && row == mine[next]) ++next;
  if (next != mine.size() || (sim.processes() == 1 && mine.size() != all.size()))
    throw std::runtime_error("gather_weights: " + std::to_string(mine.size() - next) + " of the " +
                             std::to_string(mine.size()) + " rows of process " +
                             std::to_string(sim.rank()) + " are not among the " +
                             std::to_string(all.size()) + " gathered");
  std::string text;
  std::size_t changed = 0;
  char line[160];
  for (const auto& [t, sp, s, tp, tg, w] : all) {
    changed += w != initial ? 1 : 0;
    std::snprintf(line, sizeof line, "w %.12g %zu %u %zu %u %.17g\n", t, sp, s, tp, tg, w);
    text += line;
  }
  if (changed == 0) throw std::runtime_error("gather_weights: no weight changed");
  if (sim.rank() == 0)
    std::printf("%zu weight rows (%zu changed), %zu of them recorded by process 0\n", all.size(),
                changed, mine.size());
  return text;
}

std::string run_network(bool skip_one_connect, int& rank, const setup& how) {
  starling::kernel_options o;
  o.where = how.where;
  o.seed = 2024;
  o.slice_steps = how.slice;
  o.cpu_workers = how.workers;
  starling::simulator sim(o);
  const int n = sim.processes();
  rank = sim.rank();
  std::vector<starling::population> pops;
  const std::size_t sizes[4] = {400, 100, 400, 100};
  for (int i = 0; i < 4; ++i)
    pops.push_back(sim.remote_create(
        i % n, "iaf_psc_exp", sizes[i],
        {{"tau_syn_ex", 0.5},
         {"tau_syn_in", 0.5},
         {"V_m", starling::distribution{"uniform", {{"low", -70.0}, {"high", -56.0}}}}}));
  // A collective set with random values: every process must stay in step with the owner.
  sim.set(pops[1], "I_e", starling::distribution{"uniform", {{"low", 0.0}, {"high", 50.0}}});
  for (int i = 0; i < 4; ++i) {
    auto noise = sim.remote_create(i % n, "poisson_generator", 1, {{"rate", 28000.0}});
    starling::synapse s;
    s.weight = 30.0;
    s.delay = 0.1;
    sim.remote_connect(i % n, noise, i % n, pops[static_cast<std::size_t>(i)], {"all_to_all"}, s);
  }
  for (int t = 0; t < 4; ++t) {
    for (int s = 0; s < 4; ++s) {
      if (skip_one_connect && sim.rank() == 1 && t == 2 && s == 1) continue;
      if (how.one_way && s != t && !(s % 2 == 0 && t % 2 == 1)) continue;
      starling::rule r{"fixed_indegree"};
      r.indegree = s % 2 == 0 ? 40 : 10;
      starling::synapse syn;
      syn.weight =
          s % 2 == 0
              ? starling::value(starling::distribution{"normal", {{"mu", 30.0}, {"sigma", 3.0}}})
              : starling::value(-150.0);
      syn.delay =
          starling::distribution{"normal_clipped", {{"mu", 1.5}, {"sigma", 0.5}, {"low", 0.8}}};
      sim.remote_connect(s % n, pops[static_cast<std::size_t>(s)], t % n,
                         pops[static_cast<std::size_t>(t)], r, syn);
    }
  }
  // Plastic connections across processes: their weights change where the targets live, from
  // spikes received at the end of each slice, as from local spikes on one process.
  std::optional<starling::recorder> weights;
  if (how.weights) weights = sim.record_weights();
  const double initial_weight = 30.0;  // pA
  {
    starling::rule r{"fixed_indegree"};
    r.indegree = 20;
    starling::synapse stdp;
    stdp.model = "stdp_synapse";
    stdp.weight = initial_weight;
    stdp.weight_recorder = weights;
    stdp.delay = 1.5;
    stdp.params = {{"Wmax", 60.0}, {"lambda", 0.05}};
    sim.remote_connect(0, pops[0], 1 % n, pops[1], r, stdp);
    stdp.model = "stdp_nn_pre_centered_synapse";
    sim.remote_connect(2 % n, pops[2], 3 % n, pops[3], r, stdp);
    stdp.model = "stdp_pl_synapse_hom";
    stdp.params = {{"lambda", 0.05}};
    sim.remote_connect(1 % n, pops[1], 0, pops[0], r, stdp);
  }
  // Generators on process (i + 1) mod N drive population i, on process i mod N: NEST's devices
  // reach their targets anywhere, with the same draws whatever N is.
  {
    starling::synapse s;
    s.weight = 40.0;
    s.delay = 0.5;
    auto far_poisson = sim.remote_create(1 % n, "poisson_generator", 2, {{"rate", 3000.0}});
    sim.remote_connect(1 % n, far_poisson, 0, pops[0], {"all_to_all"}, s);
    auto far_spikes = sim.remote_create(2 % n, "spike_generator", 2);
    sim.set_spike_times(far_spikes, {{20.0, 20.5, 150.0}, {35.0, 150.0, 151.0}});
    sim.remote_connect(2 % n, far_spikes, 1 % n, pops[1], {"all_to_all"}, s);
    auto far_dc = sim.remote_create(3 % n, "dc_generator", 1, {{"amplitude", 120.0}});
    sim.remote_connect(3 % n, far_dc, 2 % n, pops[2], {"all_to_all"}, s);
    auto far_noise = sim.remote_create(0, "noise_generator", 1, {{"mean", 50.0}, {"std", 200.0}});
    sim.remote_connect(0, far_noise, 3 % n, pops[3], {"all_to_all"}, s);
  }
  std::vector<starling::recorder> recs;
  for (const auto& p : pops) recs.push_back(sim.record_spikes(p));
  sim.simulate(100.0);
  sim.simulate(100.0);
  std::ostringstream out;
  std::size_t total = 0;
  for (std::size_t i = 0; i < recs.size(); ++i) {
    const starling::spike_data d = sim.gather_spikes(recs[i]);
    total += d.time.size();
    for (std::size_t k = 0; k < d.time.size(); ++k)
      out << i << ' ' << d.time[k] << ' ' << d.index[k] << '\n';
  }
  if (weights) out << gathered_weights(sim, *weights, initial_weight);
  if (sim.rank() == 0)
    std::printf(
        "%d processes: %zu spikes, exchange %.3f s, %llu bytes sent by rank 0 in %llu slices "
        "(slice %lld steps)\n",
        n, total, sim.exchange().seconds,
        static_cast<unsigned long long>(sim.exchange().bytes_sent),
        static_cast<unsigned long long>(sim.exchange().slices),
        static_cast<long long>(sim.slice_steps()));
  return out.str();
}

int report(bool ok, int rank) {
  if (rank == 0) std::printf("%d passed, %d failed\n", ok ? 1 : 0, ok ? 0 : 1);
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  setup how;
  if (std::string(argv[argc - 1]) == "cuda") how.where = starling::backend::cuda;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("slice=", 0) == 0) how.slice = std::stoll(a.substr(6));
    if (a.rfind("workers=", 0) == 0) how.workers = std::stoi(a.substr(8));
    if (a == "one_way") how.one_way = true;
    if (a == "weights") how.weights = true;
  }
  if (mode == "--mismatch") {
    int rank = 0;
    bool caught = false;
    try {
      run_network(true, rank, how);
    } catch (const starling::invalid_argument& e) {
      caught = std::string(e.what()).find("disagree") != std::string::npos;
      if (rank == 0) std::printf("expected error: %s\n", e.what());
    }
    return report(caught, rank);
  }
  if (argc < 3 || (mode != "--write" && mode != "--compare")) {
    std::fprintf(stderr, "usage: decomposition --write FILE | --compare FILE | --mismatch\n");
    return 2;
  }
  int rank = 0;
  try {
    const std::string spikes = run_network(false, rank, how);
    bool ok = true;
    // Every process holds the gathered spikes; each compares them.
    if (mode == "--write") {
      std::ofstream(argv[2]) << spikes;
      ok = !spikes.empty();
    } else {
      std::ifstream in(argv[2]);
      std::stringstream ref;
      ref << in.rdbuf();
      ok = ref.str() == spikes && !spikes.empty();
      if (!ok) std::printf("spikes differ from the reference %s\n", argv[2]);
    }
    return report(ok, rank);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "decomposition: %s\n", e.what());
    return 1;
  }
}
