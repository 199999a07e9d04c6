// The promise of DESIGN.md (principle 3) on the GPU: a recurrent network with Poisson input
// gives bit-identical spikes on the CPU and the GPU, run after run, for any slice length; and
// a network too large for the GPU fails at construction with the sizes in the message.
#include <gtest/gtest.h>

#include <optional>

#include "common/backends.hpp"
#include "common/networks.hpp"

using starling::backend;
using starling::testing::observation;
using starling::testing::on;

namespace {

observation run_brunel(backend where, std::int64_t slice, std::uint64_t seed = 11) {
  starling::simulator sim(on(where, slice, seed));
  const auto net = starling::testing::build_brunel(sim, 4000);
  sim.simulate(300.0);
  observation o;
  starling::testing::append(o, sim.spikes(net.spikes));
  for (const auto& p : {net.exc, net.inh})
    for (const char* v : {"V_m", "I_syn_ex", "I_syn_in"})
      for (double x : sim.get(p, v)) o.push_back(x);
  return o;
}

}  // namespace

TEST(GpuDeterminism, CpuAndGpuGiveBitIdenticalSpikesAndStates) {
  STARLING_REQUIRE_GPU();
  const observation cpu = run_brunel(backend::cpu, 0);
  const observation gpu = run_brunel(backend::cuda, 0);
  EXPECT_GT(cpu.size(), 2000u * 2 + 6 * 4000u) << "the network should spike";
  EXPECT_TRUE(starling::testing::identical(cpu, gpu));
}

TEST(GpuDeterminism, TwoGpuRunsAreBitIdentical) {
  STARLING_REQUIRE_GPU();
  EXPECT_TRUE(
      starling::testing::identical(run_brunel(backend::cuda, 0), run_brunel(backend::cuda, 0)));
}

TEST(GpuDeterminism, SliceLengthChangesNothing) {
  STARLING_REQUIRE_GPU();
  const observation sliced = run_brunel(backend::cuda, 0);
  EXPECT_TRUE(starling::testing::identical(sliced, run_brunel(backend::cuda, 1)));
  EXPECT_TRUE(starling::testing::identical(sliced, run_brunel(backend::cuda, 37)));
}

TEST(GpuDeterminism, OtherSeedOtherSpikes) {
  STARLING_REQUIRE_GPU();
  EXPECT_FALSE(starling::testing::identical(run_brunel(backend::cuda, 0, 11),
                                            run_brunel(backend::cuda, 0, 12)));
}

namespace {

// Every generator model, two recorders on one population, spikes recorded from a generator,
// members with different parameters (a) beside identical ones (b); with `sample`, a voltmeter
// too (the GPU then runs one kernel per operation).
observation run_generators(backend where, bool sample) {
  starling::simulator sim(on(where, 0, 5));
  auto a =
      sim.create("iaf_psc_exp", 60,
                 {{"I_e", starling::distribution{"uniform", {{"low", 0.0}, {"high", 200.0}}}}});
  auto b = sim.create("iaf_psc_exp", 40);
  auto dc = sim.create("dc_generator", 2, {{"amplitude", 380.0}, {"start", 20.0}, {"stop", 150.0}});
  auto sg = sim.create("spike_generator", 3);
  sim.set_spike_times(sg, {{5.0, 5.0, 30.2, 61.7}, {12.3}, {40.0, 40.1, 90.0}});
  auto pg = sim.create("poisson_generator", 1, {{"rate", 9000.0}, {"start", 10.0}});
  starling::synapse s;
  s.weight = 120.0;
  s.delay = 1.0;
  sim.connect(dc, a, {"all_to_all"}, {"static_synapse", 1.0, 0.1});
  sim.connect(sg, b, {"all_to_all"}, s);
  sim.connect(pg, a, {"all_to_all"}, {"static_synapse", 25.0, 0.3});
  sim.connect(pg, b, {"all_to_all"}, {"static_synapse", 25.0, 0.3});
  starling::rule in{"fixed_indegree"};
  in.indegree = 10;
  s.weight = starling::distribution{"normal", {{"mu", 40.0}, {"sigma", 30.0}}};
  s.delay = starling::distribution{"uniform", {{"low", 0.1}, {"high", 3.0}}};
  sim.connect(a, b, in, s);
  sim.connect(b, a, in, s);
  auto ra = sim.record_spikes(a);
  auto ra2 = sim.record_spikes(a);
  auto rb = sim.record_spikes(b);
  auto rp = sim.record_spikes(pg);
  std::optional<starling::recorder> vm;
  if (sample) vm = sim.record_states(b, {"V_m"}, 0.5);
  sim.simulate(120.0);
  sim.simulate(80.0);  // a second call continues; the generators' windows cross it
  observation o;
  for (const auto& r : {ra, ra2, rb, rp}) starling::testing::append(o, sim.spikes(r));
  if (vm) starling::testing::append(o, sim.samples(*vm));
  for (double x : sim.get(a, "V_m")) o.push_back(x);
  return o;
}

}  // namespace

TEST(GpuDeterminism, GeneratorsAndRecordersMatchTheCpu) {
  STARLING_REQUIRE_GPU();
  for (bool sample : {false, true}) {
    const observation cpu = run_generators(backend::cpu, sample);
    EXPECT_GT(cpu.size(), 1000u);
    EXPECT_TRUE(starling::testing::identical(cpu, run_generators(backend::cuda, sample)))
        << "sample " << sample;
  }
}

namespace {

// One driven population projecting to 40 small ones (more outgoing projections than a warp
// has lanes and than the update stages), each with its own weight and delay; they answer.
observation run_fan_out(backend where) {
  starling::simulator sim(on(where, 0, 9));
  auto src = sim.create("iaf_psc_exp", 50, {{"I_e", 420.0}});
  auto pg = sim.create("poisson_generator", 1, {{"rate", 20000.0}});
  sim.connect(pg, src, {"all_to_all"}, {"static_synapse", 30.0, 0.5});
  observation o;
  std::vector<starling::recorder> recs{sim.record_spikes(src)};
  starling::rule in{"fixed_indegree"};
  in.indegree = 12;
  for (int t = 0; t < 40; ++t) {
    auto tgt = sim.create("iaf_psc_exp", 5 + t % 7);
    starling::synapse s;
    s.weight = 40.0 + 3.0 * t;
    s.delay = 0.1 * (1 + t % 9);
    sim.connect(src, tgt, in, s);
    starling::synapse back;
    back.weight = -25.0;
    back.delay = 0.7;
    sim.connect(tgt, src, {"all_to_all"}, back);
    recs.push_back(sim.record_spikes(tgt));
  }
  sim.simulate(150.0);
  for (const auto& r : recs) starling::testing::append(o, sim.spikes(r));
  for (double x : sim.get(src, "V_m")) o.push_back(x);
  return o;
}

}  // namespace

TEST(GpuDeterminism, FortyOutgoingProjectionsMatchTheCpu) {
  STARLING_REQUIRE_GPU();
  const observation cpu = run_fan_out(backend::cpu);
  EXPECT_GT(cpu.size(), 2000u) << "the targets should spike";
  EXPECT_TRUE(starling::testing::identical(cpu, run_fan_out(backend::cuda)));
}

TEST(GpuMemory, NetworkTooLargeFailsAtConstructionWithSizes) {
  STARLING_REQUIRE_GPU();
  starling::simulator sim(on(backend::cuda));
  auto a = sim.create("iaf_psc_exp", 200000);
  try {
    sim.connect(a, a, {"all_to_all"});  // 4e10 synapses, about 800 GB
    FAIL() << "no exception";
  } catch (const starling::invalid_argument& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("needs"), std::string::npos) << msg;
    EXPECT_NE(msg.find("MiB are free"), std::string::npos) << msg;
  }
  // The simulator is still usable.
  EXPECT_EQ(sim.num_connections(), 0u);
  auto b = sim.create("iaf_psc_exp", 10, {{"I_e", 1000.0}});
  auto sr = sim.record_spikes(b);
  sim.simulate(5.0);
  EXPECT_EQ(sim.spikes(sr).time.size(), 10u);
}

namespace {

starling::connection_data every_rule(backend where) {
  starling::simulator sim(on(where, 0, 21));
  auto a = sim.create("iaf_psc_exp", 300);
  auto b = sim.create("iaf_psc_exp", 200);
  starling::synapse s;
  s.weight = starling::distribution{"normal", {{"mu", 87.8}, {"sigma", 8.78}}};
  s.delay = starling::distribution{"normal_clipped", {{"mu", 1.5}, {"sigma", 0.75}, {"low", 0.1}}};
  starling::rule in{"fixed_indegree"};
  in.indegree = 40;
  sim.connect(a, b, in, s);
  starling::rule in_unique = in;
  in_unique.allow_multapses = false;
  in_unique.allow_autapses = false;
  sim.connect(a, a, in_unique, s);
  starling::rule out{"fixed_outdegree"};
  out.outdegree = 25;
  s.weight = starling::distribution{"gamma", {{"k", 2.0}, {"theta", 10.0}}};
  sim.connect(b, a, out, s);
  starling::rule total{"fixed_total_number"};
  total.total = 5000;
  total.allow_autapses = false;
  s.weight = starling::distribution{"lognormal", {{"mu", 1.0}, {"sigma", 0.5}}};
  sim.connect(b, b, total, s);
  starling::rule bern{"pairwise_bernoulli"};
  bern.p = 0.05;
  s.delay = starling::distribution{"uniform", {{"low", 0.1}, {"high", 5.0}}};
  s.weight = starling::distribution{"uniform", {{"low", -100.0}, {"high", 50.0}}};
  sim.connect(a, b, bern, s);
  starling::synapse fixed;
  fixed.weight = std::vector<double>(300 * 200, 3.0);
  fixed.delay = 2.0;
  sim.connect(a, b, {"all_to_all"}, fixed);
  return sim.get_connections();
}

}  // namespace

TEST(GpuConnectivity, SameSeedSameNetworkOnCpuAndGpu) {
  STARLING_REQUIRE_GPU();
  const starling::connection_data cpu = every_rule(backend::cpu);
  const starling::connection_data gpu = every_rule(backend::cuda);
  ASSERT_EQ(cpu.source.size(), 8000u + 12000u + 5000u + 5000u + 60000u + 3051u);
  EXPECT_EQ(cpu.source_population, gpu.source_population);
  EXPECT_EQ(cpu.source, gpu.source);
  EXPECT_EQ(cpu.target, gpu.target);
  EXPECT_EQ(cpu.delay, gpu.delay);
  EXPECT_TRUE(starling::testing::identical(cpu.weight, gpu.weight));
}
