// Range checks: extreme input that the simulator accepted and then computed wrongly, crashed or
// hung on is refused with a message, and the simulator stays usable.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "common/errors.hpp"
#include "common/parts_network.hpp"
#include "io/model_file.hpp"
#include "starling/simulator.hpp"

namespace {

starling::kernel_options cpu() {
  starling::kernel_options o;
  o.where = starling::backend::cpu;
  return o;
}

using starling::testing::build_in_parts;
using starling::testing::built;
using starling::testing::contains;
using starling::testing::error_of;

/// One neuron driven by one spike at 1 ms through a synapse of weight w (pA): its V_m after 3 ms.
double v_after_spike(starling::simulator& sim, double w) {
  auto gen = sim.create("spike_generator", 1, {{"spike_times", std::vector<double>{1.0}}});
  auto n = sim.create("iaf_psc_exp", 1, {{"V_th", 1e30}});
  starling::synapse s;
  s.weight = w;
  sim.connect(gen, n, {"all_to_all"}, s);
  sim.simulate(3.0);
  return sim.get(n, "V_m").at(0);
}

}  // namespace

TEST(Limits, SimulateBeyondTheStepCounterIsRefused) {
  starling::simulator sim(cpu());
  auto n = sim.create("iaf_psc_exp", 1, {{"I_e", 400.0}});
  const std::string e = error_of([&] { sim.simulate(1e300); });
  EXPECT_TRUE(contains(e, "simulate: time 1e+300 ms")) << e;
  EXPECT_TRUE(contains(e, "expected fewer than 2^62 steps")) << e;
  // 2^63 steps would not fit the int64 counter at all; 2^62 leaves room for the time simulated.
  EXPECT_FALSE(error_of([&] { sim.simulate(0.1 * 9.3e18); }).empty());
  sim.simulate(2.0);
  EXPECT_DOUBLE_EQ(sim.time(), 2.0);
  EXPECT_GT(sim.get(n, "V_m").at(0), -70.0);
}

TEST(Limits, WeightsBeyondTheFixedPointRingsAreRefused) {
  starling::simulator sim(cpu());
  auto a = sim.create("iaf_psc_exp", 2);
  starling::synapse s;
  s.weight = 3e9;  // pA: one spike is beyond |sum| < 2^31 pA
  std::string e = error_of([&] { sim.connect(a, a, {"all_to_all"}, s); });
  EXPECT_TRUE(contains(e, "connect: weight 3e+09; expected |weight| < 2^31")) << e;
  s.weight = -2147483648.0;
  e = error_of([&] { sim.connect(a, a, {"all_to_all"}, s); });
  EXPECT_TRUE(contains(e, "expected |weight| < 2^31")) << e;
  EXPECT_EQ(sim.num_connections(), 0u);
}

TEST(Limits, TheLargestWeightArrivesWhole) {
  starling::simulator sim(cpu());
  // The largest float below 2^31 pA: V_m jumps by millions of mV instead of wrapping negative.
  EXPECT_GT(v_after_spike(sim, 2147483520.0), 1e6);
}

TEST(Limits, WeightsThatAFloatCannotHoldAreRefused) {
  starling::simulator sim(cpu());
  auto a = sim.create("iaf_psc_exp", 2);
  starling::synapse s;
  s.weight = 1e-50;  // pA: 0 as a float
  std::string e = error_of([&] { sim.connect(a, a, {"all_to_all"}, s); });
  EXPECT_TRUE(contains(e, "connect: weight 1e-50 is 0 in 32-bit storage")) << e;
  s.weight = std::numeric_limits<double>::quiet_NaN();
  e = error_of([&] { sim.connect(a, a, {"all_to_all"}, s); });
  EXPECT_TRUE(contains(e, "expected a finite value")) << e;
  s.weight = std::vector<double>{1.0, 2.0, std::numeric_limits<double>::infinity(), 3.0};
  e = error_of([&] { sim.connect(a, a, {"all_to_all"}, s); });
  EXPECT_TRUE(contains(e, "connect: weight inf")) << e;
  EXPECT_EQ(sim.num_connections(), 0u);
  // A float's 24-bit precision: 1 + 2^-30 pA is stored as 1 pA.
  s.weight = 1.0 + 1.0 / 1073741824.0;
  sim.connect(a, a, {"one_to_one"}, s);
  EXPECT_EQ(sim.get_connections(a, a).weight.at(0), 1.0);
}

TEST(Limits, PoissonRatesWhoseDrawsCannotFinishAreRefused) {
  starling::simulator sim(cpu());
  std::string e = error_of([&] { sim.create("poisson_generator", 1, {{"rate", 1e300}}); });
  EXPECT_TRUE(
      contains(e, "poisson_generator: rate = 1e+300 Hz is a mean of 1e+296 spikes per step"))
      << e;
  EXPECT_TRUE(contains(e, "expected at most 524288 per step (rate <= 5.24288e+09 Hz")) << e;
  auto g = sim.create("poisson_generator", 1, {{"rate", 1000.0}});
  e = error_of([&] { sim.set(g, "rate", 6e9); });
  EXPECT_TRUE(contains(e, "rate = 6e+09 Hz")) << e;
  EXPECT_EQ(sim.get(g, "rate").at(0), 1000.0);
  // The largest rate still runs: 5e9 Hz is a mean of 5e5 spikes per step of 0.1 ms.
  sim.set(g, "rate", 5e9);
  auto n = sim.create("iaf_psc_exp", 1, {{"V_th", 1e30}});
  starling::synapse s;
  s.weight = 1e-3;  // pA: 500 pA on average
  sim.connect(g, n, {"all_to_all"}, s);
  sim.simulate(3.0);
  EXPECT_GT(sim.get(n, "V_m").at(0), -69.0);
}

TEST(Limits, SpikeRecorderOnAGeneratorOfCurrentsIsRefused) {
  starling::simulator sim(cpu());
  auto dc = sim.create("dc_generator", 1, {{"amplitude", 100.0}});
  auto noise = sim.create("noise_generator", 1);
  std::string e = error_of([&] { sim.record_spikes(dc); });
  EXPECT_TRUE(contains(e, "record_spikes: population 0 is a dc_generator, which sends currents"))
      << e;
  e = error_of([&] { sim.record_spikes(noise); });
  EXPECT_TRUE(contains(e, "is a noise_generator")) << e;
  auto n = sim.create("iaf_psc_exp", 1);
  sim.connect(dc, n);
  auto rec = sim.record_spikes(n);
  sim.simulate(5.0);
  EXPECT_TRUE(sim.spikes(rec).time.empty());
  EXPECT_GT(sim.get(n, "V_m").at(0), -70.0);
}

TEST(Limits, EmptySpikeTimesSendNothing) {
  starling::simulator sim(cpu());
  auto gen = sim.create("spike_generator", 2, {{"spike_times", std::vector<double>{}}});
  auto n = sim.create("iaf_psc_exp", 2);
  starling::synapse s;
  s.weight = 1000.0;
  sim.connect(gen, n, {"one_to_one"}, s);
  auto rec = sim.record_spikes(gen);
  sim.simulate(5.0);
  EXPECT_TRUE(sim.spikes(rec).time.empty());
  EXPECT_EQ(sim.get(n, "V_m").at(1), -70.0);
  sim.set_spike_times(gen, {{}, {6.0}});
  sim.simulate(3.0);
  EXPECT_EQ(sim.spikes(rec).time.size(), 1u);
  EXPECT_EQ(sim.get(n, "V_m").at(0), -70.0);
  EXPECT_GT(sim.get(n, "V_m").at(1), -70.0);
}

TEST(Limits, EmptySpikeTimeListsInEveryForm) {
  starling::simulator sim(cpu());
  auto gen = sim.create("spike_generator", 2);
  auto n = sim.create("iaf_psc_exp", 2);
  sim.connect(gen, n, {"one_to_one"});
  sim.set(gen, "spike_times", std::vector<double>{});
  sim.simulate(1.0);
  sim.set_spike_times(gen, {{}});
  sim.simulate(1.0);
  sim.set_lists(gen, {{"spike_times", {{}, {}}}, {"spike_weights", {{}, {}}}});
  sim.simulate(1.0);
  EXPECT_EQ(sim.get(n, "V_m").at(0), -70.0);
  const std::string e = error_of([&] { sim.set_spike_times(gen, {}); });
  EXPECT_FALSE(e.empty());
}

TEST(Limits, NonFiniteCurrentsAreRefused) {
  starling::simulator sim(cpu());
  auto dc = sim.create("dc_generator", 1, {{"amplitude", 10.0}});
  auto n = sim.create("iaf_psc_exp", 1);
  sim.connect(dc, n);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(contains(error_of([&] { sim.set(dc, "amplitude", nan); }), "amplitude"));
  EXPECT_TRUE(contains(error_of([&] { sim.set(n, "I_e", inf); }), "I_e"));
  EXPECT_FALSE(error_of([&] { sim.create("iaf_psc_exp", 1, {{"I_e", nan}}); }).empty());
  auto step = sim.create("step_current_generator", 1);
  EXPECT_FALSE(error_of([&] {
                 sim.set_lists(step, {{"amplitude_times", {{1.0}}}, {"amplitude_values", {{inf}}}});
               }).empty());
  sim.simulate(2.0);
  EXPECT_EQ(sim.get(dc, "amplitude").at(0), 10.0);
  EXPECT_GT(sim.get(n, "V_m").at(0), -70.0);
}

TEST(Limits, DevicesWithStopBeforeStartAreRefused) {
  starling::simulator sim(cpu());
  const std::string e = error_of([&] {
    sim.create("dc_generator", 1, {{"start", 50.0}, {"stop", 10.0}});
  });
  EXPECT_TRUE(contains(e, "dc_generator: stop = 10 ms is before start = 50 ms")) << e;
  auto g = sim.create("poisson_generator", 1, {{"rate", 10.0}});
  EXPECT_FALSE(error_of([&] {
                 sim.set(g, "start", 100.0);
                 sim.set(g, "stop", 5.0);
               }).empty());
}

TEST(Limits, DeeplyNestedJsonIsRefusedNotOverflowed) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const std::string e = error_of([&] { starling::io::parse_model(deep); });
  EXPECT_TRUE(contains(e, "nested deeper than 64 levels")) << e;
  // A model file's ordinary depth stays accepted.
  const std::string ok = std::string(10, '[') + std::string(10, ']');
  EXPECT_FALSE(contains(error_of([&] { starling::io::parse_model(ok); }), "nested")) << ok;
}

TEST(Limits, NetworksBeyondHostMemoryFailAtCreateAndConnectWithSizes) {
  starling::simulator sim(cpu());
  std::string e = error_of([&] { sim.create("iaf_psc_exp", 4000000000ull); });
  EXPECT_TRUE(contains(e, "create iaf_psc_exp: needs")) << e;
  EXPECT_TRUE(contains(e, "MiB more host memory")) << e;
  auto a = sim.create("iaf_psc_exp", 200000);
  // 4e10 connections: 298 GiB of tables alone.
  e = error_of([&] { sim.connect(a, a, {"all_to_all"}); });
  // 8 bytes per synapse and 8 per source row, and 20 bytes per synapse to generate them.
  EXPECT_TRUE(contains(e,
                       "connect: needs 1068116.8 MiB more host memory (305177.3 MiB of data, "
                       "762939.5 MiB to build them"))
      << e;
  EXPECT_TRUE(contains(e, "MiB are available")) << e;
  EXPECT_EQ(sim.num_connections(), 0u);
  starling::rule r{"fixed_indegree"};
  r.indegree = 10;
  sim.connect(a, a, r);
  EXPECT_EQ(sim.num_connections(), 2000000u);
  sim.simulate(1.0);
  EXPECT_DOUBLE_EQ(sim.time(), 1.0);
}

namespace {}  // namespace

// Calls beyond 2^31 connections are generated in parts of fewer (each its own table): the
// parts must give the very connections and spikes of one table. Parts of 700 connections make
// small calls take that path.
TEST(Limits, LargeCallsInPartsGiveTheConnectionsAndSpikesOfOneTable) {
  struct rule_case {
    starling::rule r;
    std::size_t parts;  // tables of the call with parts of 700 connections
  };
  std::vector<rule_case> cases;
  starling::rule r{"fixed_indegree"};
  r.indegree = 20;  // 6000 connections: 35 targets (700) per part, 9 parts
  r.allow_autapses = false;
  cases.push_back({r, 9});
  r = {"all_to_all"};  // 300 per target, 2 targets per part, 150 parts
  cases.push_back({r, 150});
  r = {"pairwise_bernoulli"};
  r.p = 0.05;  // at most 300 per target: 2 targets per part
  cases.push_back({r, 150});
  r = {"fixed_outdegree"};
  r.outdegree = 15;  // 46 sources per part: 7 parts
  cases.push_back({r, 7});
  r = {"fixed_total_number"};
  r.total = 5000;  // one per unit: 8 parts
  cases.push_back({r, 8});
  for (const rule_case& c : cases) {
    const built one = build_in_parts(starling::backend::cpu, c.r, nullptr);
    const built parts = build_in_parts(starling::backend::cpu, c.r, "700");
    EXPECT_FALSE(one.connections.empty()) << c.r.name;
    EXPECT_EQ(parts.connections, one.connections) << c.r.name;
    EXPECT_GT(one.spikes.size(), 100u) << c.r.name;
    EXPECT_EQ(parts.spikes, one.spikes) << c.r.name;
    // Each extra table adds its row offsets: 301 of 8 bytes.
    EXPECT_EQ(parts.bytes - one.bytes, (c.parts - 1) * 301 * 8) << c.r.name;
  }
}

// Without the check, 100 sources of 3e7 pA spiking in one step sum to 3e9 pA, beyond the
// rings' 2^31 pA: the sum would wrap to a large negative input.
TEST(Limits, InputThatCouldWrapTheRingsIsRefused) {
  starling::simulator sim(cpu());
  auto src = sim.create("iaf_psc_exp", 100, {{"I_e", 1000.0}});
  auto tgt = sim.create("iaf_psc_exp", 1);
  starling::synapse s;
  s.weight = 3e7;  // pA
  std::string e = error_of([&] { sim.connect(src, tgt, {"all_to_all"}, s); });
  EXPECT_TRUE(contains(e, "connect: the input to population 1 (iaf_psc_exp) can reach 3e+09 pA"))
      << e;
  EXPECT_EQ(sim.num_connections(), 0u);
  s.weight = 2e7;  // 2e9 pA at most: within the range
  sim.connect(src, tgt, {"all_to_all"}, s);
  EXPECT_EQ(sim.num_connections(), 100u);
  // A second call into the same target adds to the bound.
  s.weight = -2e6;
  starling::rule r{"fixed_indegree"};
  r.indegree = 100;
  e = error_of([&] { sim.connect(src, tgt, r, s); });
  EXPECT_TRUE(contains(e, "can reach 2.2e+09 pA")) << e;
  EXPECT_EQ(sim.num_connections(), 100u);
  // Currents: a dc_generator's amplitude times the weight, checked again when it changes.
  auto dc = sim.create("dc_generator", 1, {{"amplitude", 1000.0}});
  auto other = sim.create("iaf_psc_exp", 1);
  s.weight = 1000.0;
  sim.connect(dc, other, {"all_to_all"}, s);
  sim.simulate(1.0);
  sim.set(dc, "amplitude", 3e6);
  e = error_of([&] { sim.simulate(1.0); });
  EXPECT_TRUE(contains(e, "simulate: the input to population 3 (iaf_psc_exp) can reach 3e+09 pA"))
      << e;
  sim.set(dc, "amplitude", 2e3);
  sim.simulate(1.0);
  EXPECT_DOUBLE_EQ(sim.time(), 2.0);
}
