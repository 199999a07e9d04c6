// The C++ API: errors that leave the simulator usable, continuing runs, get/set between runs,
// determinism and slice invariance, Poisson input statistics.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "common/errors.hpp"
#include "common/networks.hpp"
#include "starling/simulator.hpp"

namespace {

starling::kernel_options cpu(std::int64_t slice = 0, std::uint64_t seed = 143202461) {
  starling::kernel_options o;
  o.where = starling::backend::cpu;
  o.slice_steps = slice;
  o.seed = seed;
  return o;
}

using starling::testing::contains;
using starling::testing::error_of;

}  // namespace

TEST(SimulatorApi, BadInputIsRejectedWithClearMessagesAndTheSimulatorStaysUsable) {
  starling::simulator sim(cpu());
  auto n = sim.create("iaf_psc_exp", 2, {{"I_e", 1000.0}});
  EXPECT_TRUE(
      contains(error_of([&] { sim.create("iaf_psc_expo", 1); }), "unknown model 'iaf_psc_expo'"));
  EXPECT_TRUE(contains(error_of([&] {
                         sim.create("iaf_psc_exp", 1, {{"tau_mem", 5.0}});
                       }),
                       "unknown parameter or state 'tau_mem'"));
  EXPECT_TRUE(contains(error_of([&] {
                         sim.create("iaf_psc_exp", 1, {{"tau_m", -5.0}});
                       }),
                       "tau_m"));
  EXPECT_TRUE(contains(error_of([&] { sim.set(n, "tau_syn_ex", -1.0); }), "tau_syn_ex"));
  EXPECT_TRUE(contains(error_of([&] {
                         sim.set(n, "C_m", std::vector<double>{1.0, 2.0, 3.0});
                       }),
                       "3 values"));
  starling::synapse fast;
  fast.delay = 0.05;
  EXPECT_TRUE(contains(error_of([&] { sim.connect(n, n, {"all_to_all"}, fast); }),
                       "delay 0.05 ms is below the resolution 0.1 ms"));
  EXPECT_TRUE(contains(error_of([&] {
                         sim.connect(n, starling::population{7, 3});
                       }),
                       "population 7"));
  EXPECT_TRUE(contains(error_of([&] { sim.record_states(n, {"V_x"}, 1.0); }), "V_x"));
  EXPECT_TRUE(contains(error_of([&] { sim.simulate(0.05); }), "multiple of the resolution"));
  EXPECT_TRUE(contains(error_of([&] { sim.get(n, "nope"); }), "'nope'"));
  EXPECT_EQ(sim.num_connections(), 0u);
  // Nothing above changed the network: the neuron still spikes at NEST's 4.8 ms.
  auto sr = sim.record_spikes(n);
  sim.simulate(6.0);
  ASSERT_EQ(sim.spikes(sr).time.size(), 2u);
  EXPECT_NEAR(sim.spikes(sr).time[0], 4.8, 1e-9);
  EXPECT_DOUBLE_EQ(sim.get(n, "tau_syn_ex")[0], 2.0);
}

// create checks its parameters together, as NEST's SetStatus does: a reset potential above the
// default threshold is valid with the threshold given beside it, and the pair is checked.
TEST(SimulatorApi, CreateChecksItsParametersTogether) {
  starling::simulator sim(cpu());
  auto n = sim.create("iaf_psc_exp", 2, {{"V_reset", -50.0}, {"V_th", -40.0}});
  EXPECT_DOUBLE_EQ(sim.get(n, "V_reset")[0], -50.0);
  EXPECT_DOUBLE_EQ(sim.get(n, "V_th")[1], -40.0);
  EXPECT_TRUE(contains(error_of([&] {
                         sim.create("iaf_psc_exp", 1, {{"V_reset", -30.0}, {"V_th", -40.0}});
                       }),
                       "V_reset"));
}

TEST(SimulatorApi, RepeatedSimulateContinuesInTime) {
  auto run = [](std::vector<double> pieces) {
    starling::simulator sim(cpu());
    auto gen =
        sim.create("spike_generator", 1, {{"spike_times", std::vector<double>{10.0, 400.0}}});
    auto n = sim.create("iaf_psc_exp", 1);
    starling::synapse s;
    s.weight = 50.0;
    s.delay = 1.0;
    sim.connect(gen, n, {"one_to_one"}, s);
    auto vm = sim.record_states(n, {"V_m", "I_syn_ex"}, 0.5);
    for (double p : pieces) sim.simulate(p);
    EXPECT_DOUBLE_EQ(sim.time(), 800.0);
    return sim.samples(vm);
  };
  const auto whole = run({800.0});
  const auto parts = run({5.3, 394.7, 400.0});
  ASSERT_EQ(whole.time.size(), 1599u);
  ASSERT_EQ(parts.time, whole.time);
  EXPECT_EQ(parts.values, whole.values);
}

TEST(SimulatorApi, GetAndSetBetweenRuns) {
  starling::simulator sim(cpu());
  auto n = sim.create("iaf_psc_exp", 3, {{"V_m", std::vector<double>{-70.0, -65.0, -60.0}}});
  sim.simulate(1.0);
  const auto v = sim.get(n, "V_m");
  // No input: V relaxes to E_L with tau_m.
  for (int i = 0; i < 3; ++i)
    EXPECT_NEAR(v[i], -70.0 + (v[i] > -70.0 ? 1 : 0) * (5.0 * i) * std::exp(-0.1), 1e-12);
  sim.set(n, "I_e", 250.0);
  sim.set(n, "V_m", -70.0);
  sim.simulate(10.0);
  // V(t) = E_L + I_e tau_m / C (1 - e^{-t/tau_m}) from the reset state.
  for (double x : sim.get(n, "V_m")) EXPECT_NEAR(x, -70.0 + 10.0 * (1 - std::exp(-1.0)), 1e-10);
  EXPECT_DOUBLE_EQ(sim.get(n, "I_e")[1], 250.0);
}

TEST(SimulatorApi, PoissonInputHasTheClosedFormMeanAndIndependentTrains) {
  // Mean synaptic current of a Poisson train through an exponential synapse, sampled on the
  // grid right after each step's input: w nu h / (1 - e^{-h/tau_s}) (-> w nu tau_s as h -> 0).
  starling::simulator sim(cpu());
  auto pg = sim.create("poisson_generator", 1, {{"rate", 20000.0}});
  auto n = sim.create("iaf_psc_exp", 2, {{"V_th", 1e9}});
  starling::synapse s;
  s.weight = 2.0;
  s.delay = 0.1;
  sim.connect(pg, n, {"all_to_all"}, s);
  auto rec = sim.record_states(n, {"I_syn_ex"}, 0.1);
  sim.simulate(20.0);  // settle
  const std::size_t skip = sim.samples(rec).time.size();
  sim.simulate(2000.0);
  const auto& d = sim.samples(rec);
  double sum[2] = {0, 0};
  std::size_t count[2] = {0, 0};
  bool differ = false;
  for (std::size_t k = skip; k + 1 < d.time.size(); k += 2) {
    sum[0] += d.values[0][k];
    sum[1] += d.values[0][k + 1];
    ++count[0];
    ++count[1];
    differ = differ || d.values[0][k] != d.values[0][k + 1];
  }
  const double expect = 2.0 * 20000.0 * 1e-3 * 0.1 / (1.0 - std::exp(-0.1 / 2.0));  // pA
  // Autocorrelated samples: about 2000 ms / (2 tau_s) = 500 independent ones, sd of I about
  // w sqrt(nu tau_s / 2) = 2 sqrt(20) = 8.9 pA -> standard error 0.4 pA; allow 5 sigma.
  for (int i = 0; i < 2; ++i) EXPECT_NEAR(sum[i] / count[i], expect, 2.0) << "target " << i;
  EXPECT_TRUE(differ) << "both targets received the same train";
}

TEST(SimulatorApi, SameSeedSameSpikesAcrossSliceLengths) {
  auto run = [](std::int64_t slice, std::uint64_t seed) {
    starling::simulator sim(cpu(slice, seed));
    auto net = starling::testing::build_brunel(sim, 500);
    sim.simulate(100.0);
    return starling::testing::spike_list(sim.spikes(net.spikes), 0.1);
  };
  const auto reference = run(0, 7);
  EXPECT_GT(reference.size(), 100u) << "the network should be active";
  EXPECT_EQ(run(0, 7), reference);
  EXPECT_EQ(run(1, 7), reference);
  EXPECT_EQ(run(13, 7), reference);
  EXPECT_NE(run(0, 8), reference);
}

// Spike recorders alternate two buffers between slices and are read one slice late, unless
// state samples (one buffer) make every slice wait for its flush: both orders give the spikes of
// a run in one slice, and of several runs.
TEST(SimulatorApi, SpikesAreTheSameWhateverTheSlicesAndTheOrderOfTheirFlushes) {
  auto run = [](std::int64_t slice, bool states, std::vector<double> pieces) {
    starling::simulator sim(cpu(slice, 11));
    auto net = starling::testing::build_brunel(sim, 400);
    if (states) sim.record_states(net.inh, {"V_m"}, 1.0);
    for (double p : pieces) sim.simulate(p);
    return starling::testing::spike_list(sim.spikes(net.spikes), 0.1);
  };
  const auto whole = run(1000, false, {60.0});
  EXPECT_GT(whole.size(), 100u) << "the network should be active";
  EXPECT_EQ(run(7, false, {60.0}), whole) << "86 slices, flushed one slice late";
  EXPECT_EQ(run(7, true, {60.0}), whole) << "86 slices, each flushed before the next";
  EXPECT_EQ(run(7, false, {0.3, 20.0, 39.7}), whole) << "three runs of odd slice counts";
  EXPECT_EQ(run(1, false, {60.0}), whole) << "one step per slice";
}

// A state recorder added between runs shortens the automatic slice from 1000 to 100 steps: the
// spike recorder's buffers and the counts published beside them are made again for it, and the
// spikes of the two runs are those of one run.
TEST(SimulatorApi, SpikesAreKeptWhenTheSliceLengthChangesBetweenRuns) {
  auto run = [](bool add_states) {
    starling::simulator sim(cpu(0, 11));
    auto net = starling::testing::build_brunel(sim, 400);
    sim.simulate(30.0);
    EXPECT_EQ(sim.slice_steps(), 1000);
    if (add_states) sim.record_states(net.inh, {"V_m"}, 1.0);
    sim.simulate(30.0);
    EXPECT_EQ(sim.slice_steps(), add_states ? 100 : 1000);
    return starling::testing::spike_list(sim.spikes(net.spikes), 0.1);
  };
  const auto whole = run(false);
  EXPECT_GT(whole.size(), 100u) << "the network should be active";
  EXPECT_EQ(run(true), whole);
}

TEST(SimulatorApi, EachSpikeGeneratorHasItsOwnTimes) {
  starling::simulator sim(cpu());
  auto gen = sim.create("spike_generator", 2);
  sim.set_spike_times(gen, {{5.0, 7.5}, {12.0}});
  auto n = sim.create("iaf_psc_exp", 2, {{"V_th", 1e9}});
  starling::synapse s;
  s.weight = 100.0;
  s.delay = 1.0;
  sim.connect(gen, n, {"one_to_one"}, s);
  auto rec = sim.record_states(n, {"I_syn_ex"}, 0.1);
  sim.simulate(20.0);
  // The current jumps by the weight in the update that ends at spike time + delay.
  auto first_rise = [&](std::uint32_t who) {
    const auto& d = sim.samples(rec);
    for (std::size_t k = 0; k < d.time.size(); ++k)
      if (d.index[k] == who && d.values[0][k] > 0.0) return d.time[k];
    return -1.0;
  };
  EXPECT_NEAR(first_rise(0), 6.0, 1e-9);
  EXPECT_NEAR(first_rise(1), 13.0, 1e-9);
  EXPECT_THROW(sim.set_spike_times(gen, {{1.0}, {2.0}, {3.0}}), starling::invalid_argument);
  EXPECT_THROW(sim.set_spike_times(gen, {{5.05}}), starling::invalid_argument);  // off the grid
  EXPECT_THROW(sim.set_spike_times(n, {{30.0}}), starling::invalid_argument);
}

// The spike buffers are sized by the refractory period: a neuron driven far above threshold
// spikes once every t_ref / h + 1 steps, and a whole slice of such spikes is recorded, none lost.
TEST(SimulatorApi, RecordingHoldsTheMostSpikesTheRefractoryPeriodAllows) {
  for (double t_ref : {0.0, 0.1, 2.0}) {
    starling::simulator sim(cpu());
    EXPECT_EQ(sim.slice_steps(), 1000) << "automatic slices without state recorders";
    auto a = sim.create("iaf_psc_exp", 3, {{"I_e", 1e6}, {"t_ref", t_ref}});
    auto r = sim.record_spikes(a);
    sim.simulate(300.0);  // 3,000 steps: three slices
    // The first spike ends step 1, then one every `gap` steps.
    const auto gap = static_cast<std::size_t>(std::lround(t_ref / 0.1)) + 1;
    EXPECT_EQ(sim.spikes(r).time.size(), 3 * ((3000 + gap - 1) / gap)) << "t_ref " << t_ref;
  }
}
