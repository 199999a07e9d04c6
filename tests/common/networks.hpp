#pragma once
// Small networks shared by the integration, codelet and GPU tests.
#include <cstdint>
#include <vector>

#include "starling/simulator.hpp"

namespace starling::testing {

/// Spikes of one recorder as (time step, index) pairs, for exact comparisons.
inline std::vector<std::pair<std::int64_t, std::uint32_t>> spike_list(const spike_data& s,
                                                                      double h) {
  std::vector<std::pair<std::int64_t, std::uint32_t>> out;
  for (std::size_t k = 0; k < s.time.size(); ++k)
    out.emplace_back(static_cast<std::int64_t>(s.time[k] / h + 0.5), s.index[k]);
  return out;
}

/// A Brunel-style recurrent network of iaf_psc_exp neurons (80% excitatory, fixed in-degree,
/// g = 5) driven by Poisson input. Returns its spike recorder over all neurons.
struct brunel {
  population exc, inh, noise;
  recorder spikes;
};

inline brunel build_brunel(simulator& sim, std::size_t n, double rate_hz = 30000.0) {
  const std::size_t ne = n * 4 / 5;
  brunel b;
  value_map params{{"tau_syn_ex", 0.5}, {"tau_syn_in", 0.5}, {"V_th", -55.0}, {"C_m", 250.0}};
  b.exc = sim.create("iaf_psc_exp", ne, params);
  b.inh = sim.create("iaf_psc_exp", n - ne, params);
  std::vector<double> v0(ne);
  for (std::size_t i = 0; i < ne; ++i) v0[i] = -70.0 + 15.0 * static_cast<double>(i % 97) / 97.0;
  sim.set(b.exc, "V_m", v0);
  b.noise = sim.create("poisson_generator", 1, {{"rate", rate_hz}});
  rule in_e{"fixed_indegree"};
  in_e.indegree = ne / 10;
  rule in_i{"fixed_indegree"};
  in_i.indegree = (n - ne) / 10;
  synapse je;
  je.weight = 30.0;
  je.delay = 1.5;
  synapse ji;
  ji.weight = -150.0;
  ji.delay = 0.8;
  for (const population& target : {b.exc, b.inh}) {
    sim.connect(b.exc, target, in_e, je);
    sim.connect(b.inh, target, in_i, ji);
    synapse jx;
    jx.weight = 30.0;
    jx.delay = 0.1;
    sim.connect(b.noise, target, {"all_to_all"}, jx);
  }
  b.spikes = sim.record_spikes(b.exc);
  return b;
}

}  // namespace starling::testing
