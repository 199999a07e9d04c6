// A connect call generated in parts (each its own table, STARLING_CONNECT_PART lowering the
// part size from 2^30 connections) gives on the GPU the very connections, device-side largest
// weights and spikes of one table on the CPU, for every rule that splits.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <tuple>
#include <vector>

#include "common/backends.hpp"

namespace {

struct built {
  std::vector<std::tuple<std::uint32_t, std::uint32_t, double, double>> connections;
  std::vector<std::pair<double, std::uint32_t>> spikes;
};

built build(starling::backend where, const starling::rule& r, const char* part) {
  if (part != nullptr)
    setenv("STARLING_CONNECT_PART", part, 1);
  else
    unsetenv("STARLING_CONNECT_PART");
  starling::simulator sim(starling::testing::on(where));
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
  return b;
}

TEST(GpuConnectParts, PartsOnTheGpuEqualOneTableOnTheCpu) {
  STARLING_REQUIRE_GPU();
  std::vector<starling::rule> rules;
  starling::rule r{"fixed_indegree"};
  r.indegree = 20;
  rules.push_back(r);
  rules.push_back(starling::rule{"all_to_all"});
  r = {"pairwise_bernoulli"};
  r.p = 0.05;
  rules.push_back(r);
  r = {"fixed_outdegree"};
  r.outdegree = 15;
  rules.push_back(r);
  r = {"fixed_total_number"};
  r.total = 5000;
  rules.push_back(r);
  for (const starling::rule& rule : rules) {
    const built cpu = build(starling::backend::cpu, rule, nullptr);
    const built gpu = build(starling::backend::cuda, rule, "700");
    EXPECT_FALSE(cpu.connections.empty()) << rule.name;
    EXPECT_EQ(gpu.connections, cpu.connections) << rule.name;
    EXPECT_GT(cpu.spikes.size(), 100u) << rule.name;
    EXPECT_EQ(gpu.spikes, cpu.spikes) << rule.name;
  }
}

}  // namespace
