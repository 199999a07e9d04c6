#pragma once
// A network whose recurrent connect call can be generated in parts (STARLING_CONNECT_PART
// lowers the part size from 2^30 connections): its connections, spikes and table bytes.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <tuple>
#include <utility>
#include <vector>

#include "starling/simulator.hpp"

namespace starling::testing {

struct built {
  std::vector<std::tuple<std::uint32_t, std::uint32_t, double, double>> connections;
  std::vector<std::pair<double, std::uint32_t>> spikes;
  std::size_t bytes = 0;
};

/// A network of one large call by `r` into 300 neurons on `where`, generated with parts of at
/// most `part` connections (nullptr: the default, one part here).
inline built build_in_parts(starling::backend where, const starling::rule& r, const char* part) {
  if (part != nullptr)
    setenv("STARLING_CONNECT_PART", part, 1);
  else
    unsetenv("STARLING_CONNECT_PART");
  kernel_options o;
  o.where = where;
  starling::simulator sim(o);
  auto noise = sim.create("poisson_generator", 1, {{"rate", 30000.0}});
  auto a = sim.create("iaf_psc_exp", 300);
  starling::synapse s;
  s.weight = starling::distribution{"normal", {{"mu", 30.0}, {"sigma", 5.0}}};
  s.delay = starling::distribution{"uniform", {{"low", 0.5}, {"high", 3.0}}};
  sim.connect(noise, a, {"all_to_all"}, s);
  s.weight = starling::distribution{"normal", {{"mu", -20.0}, {"sigma", 5.0}}};
  sim.connect(a, a, r, s);
  auto rec = sim.record_spikes(a);
  sim.simulate(100.0);
  unsetenv("STARLING_CONNECT_PART");
  built b;
  const starling::connection_data c = sim.get_connections(a, a);
  for (std::size_t k = 0; k < c.source.size(); ++k)
    b.connections.emplace_back(c.source[k], c.target[k], c.weight[k], c.delay[k]);
  std::sort(b.connections.begin(), b.connections.end());
  const starling::spike_data& d = sim.spikes(rec);
  for (std::size_t k = 0; k < d.time.size(); ++k) b.spikes.emplace_back(d.time[k], d.index[k]);
  b.bytes = sim.synapse_bytes();
  return b;
}

}  // namespace starling::testing
