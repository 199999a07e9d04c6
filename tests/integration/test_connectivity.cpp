// Network construction through the API: rules with their exact counts, distributions of weights,
// delays and initial states against closed forms, NEST's rounding of delays, reproducibility.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "starling/simulator.hpp"

namespace {

starling::kernel_options cpu(std::uint64_t seed = 1) {
  starling::kernel_options o;
  o.where = starling::backend::cpu;
  o.seed = seed;
  return o;
}

starling::distribution dist(const std::string& name, std::map<std::string, double> p) {
  return starling::distribution{name, std::move(p)};
}

double mean(const std::vector<double>& x) {
  double s = 0;
  for (double v : x) s += v;
  return s / static_cast<double>(x.size());
}

double variance(const std::vector<double>& x) {
  const double m = mean(x);
  double s = 0;
  for (double v : x) s += (v - m) * (v - m);
  return s / static_cast<double>(x.size());
}

}  // namespace

TEST(Connectivity, FixedIndegreeWithDistributedWeightsAndDelays) {
  starling::simulator sim(cpu());
  auto a = sim.create("iaf_psc_exp", 400);
  auto b = sim.create("iaf_psc_exp", 300);
  starling::rule r{"fixed_indegree"};
  r.indegree = 50;
  starling::synapse s;
  s.weight = dist("normal", {{"mu", 87.8}, {"sigma", 8.78}});
  s.delay = dist("normal_clipped", {{"mu", 1.5}, {"sigma", 0.75}, {"low", 0.1}});
  sim.connect(a, b, r, s);
  const starling::connection_data c = sim.get_connections(a, b);
  ASSERT_EQ(c.target.size(), 15000u);
  EXPECT_EQ(sim.num_connections(), 15000u);
  // 8 bytes per synapse and 8 per row of the 400 sources (plus the row end).
  EXPECT_EQ(sim.synapse_bytes(), 15000u * 8u + 401u * 8u);
  std::map<std::uint32_t, int> in;
  for (std::uint32_t t : c.target) ++in[t];
  ASSERT_EQ(in.size(), 300u);
  for (const auto& [t, k] : in) EXPECT_EQ(k, 50);
  const double n = 15000.0;
  EXPECT_NEAR(mean(c.weight), 87.8, 5 * 8.78 / std::sqrt(n));
  EXPECT_NEAR(variance(c.weight), 8.78 * 8.78, 5 * 8.78 * 8.78 * std::sqrt(2.0 / n));
  for (double d : c.delay) {
    EXPECT_GE(d, 0.1 - 1e-12);
    EXPECT_NEAR(d * 10.0, std::round(d * 10.0), 1e-9) << "delay " << d << " is not on the grid";
  }
  // Rounding the clipped normal to the grid keeps its mean: truncated normal mean
  // mu + sigma phi(alpha) / (1 - Phi(alpha)), alpha = (0.1 - 1.5) / 0.75.
  const double alpha = (0.1 - 1.5) / 0.75;
  const double phi = std::exp(-alpha * alpha / 2) / std::sqrt(2 * 3.14159265358979323846);
  const double tail = 0.5 * std::erfc(alpha / std::sqrt(2.0));
  EXPECT_NEAR(mean(c.delay), 1.5 + 0.75 * phi / tail, 5 * 0.75 / std::sqrt(n) + 0.005);
}

TEST(Connectivity, DelaysRoundToStepsAsNest) {
  starling::simulator sim(cpu());
  auto a = sim.create("iaf_psc_exp", 1);
  auto b = sim.create("iaf_psc_exp", 4);
  starling::synapse s;
  s.delay = std::vector<double>{0.1, 0.14, 0.16, 1.25};
  sim.connect(a, b, {"all_to_all"}, s);
  const auto c = sim.get_connections();
  std::map<std::uint32_t, double> by_target;
  for (std::size_t k = 0; k < c.target.size(); ++k) by_target[c.target[k]] = c.delay[k];
  EXPECT_NEAR(by_target[0], 0.1, 1e-12);
  EXPECT_NEAR(by_target[1], 0.1, 1e-12);
  EXPECT_NEAR(by_target[2], 0.2, 1e-12);
  EXPECT_NEAR(by_target[3], 1.3, 1e-12);  // 12.5 steps round up, as NEST's ld_round
  starling::synapse tiny;
  tiny.delay = dist("uniform", {{"low", 0.0}, {"high", 0.04}});
  EXPECT_THROW(sim.connect(a, b, {"all_to_all"}, tiny), starling::invalid_argument);
  EXPECT_EQ(sim.num_connections(), 4u);
}

TEST(Connectivity, AutapsesAndMultapsesHonoured) {
  starling::simulator sim(cpu());
  auto a = sim.create("iaf_psc_exp", 30);
  starling::rule r{"fixed_outdegree"};
  r.outdegree = 29;
  r.allow_autapses = false;
  r.allow_multapses = false;
  sim.connect(a, a, r);
  const auto c = sim.get_connections(a, a);
  ASSERT_EQ(c.source.size(), 30u * 29u);
  std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (std::size_t k = 0; k < c.source.size(); ++k) {
    EXPECT_NE(c.source[k], c.target[k]);
    EXPECT_TRUE(pairs.insert({c.source[k], c.target[k]}).second);
  }
}

TEST(Connectivity, PairwiseBernoulliAndTotalNumber) {
  starling::simulator sim(cpu());
  auto a = sim.create("iaf_psc_exp", 200);
  auto b = sim.create("iaf_psc_exp", 100);
  starling::rule bern{"pairwise_bernoulli"};
  bern.p = 0.2;
  sim.connect(a, b, bern);
  const double n = 20000.0;
  EXPECT_NEAR(static_cast<double>(sim.get_connections(a, b).source.size()), n * 0.2,
              5 * std::sqrt(n * 0.2 * 0.8));
  starling::rule total{"fixed_total_number"};
  total.total = 777;
  sim.connect(b, a, total);
  EXPECT_EQ(sim.get_connections(b, a).source.size(), 777u);
}

TEST(Connectivity, InitialStatesFromADistribution) {
  starling::simulator sim(cpu());
  auto a =
      sim.create("iaf_psc_exp", 20000, {{"V_m", dist("normal", {{"mu", -58.0}, {"sigma", 10.0}})}});
  const std::vector<double> v = sim.get(a, "V_m");
  EXPECT_NEAR(mean(v), -58.0, 5 * 10.0 / std::sqrt(20000.0));
  EXPECT_NEAR(variance(v), 100.0, 5 * 100.0 * std::sqrt(2.0 / 20000.0));
  sim.set(a, "I_e", dist("uniform", {{"low", 0.0}, {"high", 100.0}}));
  const std::vector<double> ie = sim.get(a, "I_e");
  EXPECT_NEAR(mean(ie), 50.0, 5 * 100.0 / std::sqrt(12.0 * 20000.0));
  EXPECT_THROW(sim.set(a, "tau_m", dist("normal", {{"mu", 10.0}, {"sigma", 100.0}})),
               starling::invalid_argument);        // negative time constants drawn
  EXPECT_DOUBLE_EQ(sim.get(a, "tau_m")[5], 10.0);  // and nothing changed
  EXPECT_THROW(sim.set(a, "C_m", dist("gauss", {})), starling::invalid_argument);
}

TEST(Connectivity, SameSeedSameNetworkOtherSeedOther) {
  auto build = [](std::uint64_t seed) {
    starling::simulator sim(cpu(seed));
    auto a = sim.create("iaf_psc_exp", 100);
    starling::rule r{"fixed_indegree"};
    r.indegree = 10;
    starling::synapse s;
    s.weight = dist("lognormal", {{"mu", 1.0}, {"sigma", 0.3}});
    s.delay = dist("uniform", {{"low", 0.5}, {"high", 3.0}});
    sim.connect(a, a, r, s);
    const auto c = sim.get_connections();
    std::vector<double> all(c.weight);
    all.insert(all.end(), c.delay.begin(), c.delay.end());
    for (std::uint32_t x : c.source) all.push_back(x);
    return all;
  };
  EXPECT_EQ(build(3), build(3));
  EXPECT_NE(build(3), build(4));
}

TEST(Connectivity, RuleChecksAndExactCounts) {
  starling::simulator sim(cpu());
  auto a = sim.create("iaf_psc_exp", 6);
  auto b = sim.create("iaf_psc_exp", 5);
  try {
    sim.connect(a, b, {"fixed_indgree"});
    FAIL() << "no exception";
  } catch (const starling::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("unknown rule 'fixed_indgree'"), std::string::npos);
  }
  EXPECT_THROW(sim.connect(a, b, {"one_to_one"}), starling::invalid_argument);
  starling::rule too_many{"fixed_indegree"};
  too_many.indegree = 6;
  too_many.allow_multapses = false;
  too_many.allow_autapses = false;
  EXPECT_THROW(sim.connect(a, a, too_many), starling::invalid_argument);  // 5 candidates
  starling::rule total{"fixed_total_number"};
  total.total = 31;
  total.allow_multapses = false;
  EXPECT_THROW(sim.connect(a, b, total), starling::invalid_argument);  // 30 pairs
  EXPECT_EQ(sim.num_connections(), 0u);
  starling::rule all{"all_to_all"};
  all.allow_autapses = false;
  sim.connect(a, a, all);
  EXPECT_EQ(sim.num_connections(), 30u);
  total.total = 30;
  sim.connect(a, b, total);  // every pair once
  const auto c = sim.get_connections(a, b);
  std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (std::size_t k = 0; k < c.source.size(); ++k) pairs.insert({c.source[k], c.target[k]});
  EXPECT_EQ(pairs.size(), 30u);
}
