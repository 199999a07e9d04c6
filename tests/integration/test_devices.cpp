// Stimulation and recording devices with NEST 3.10's semantics: spike_generator with
// spike_weights and multiplicities, step_current_generator, noise_generator, generator
// parameters changed between simulate calls, spike_recorder's start/stop/origin and the model
// file's names for them. Numbers come from closed forms or from equivalent networks of devices
// whose timing is already checked against NEST (dc_generator, plain spikes).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "common/errors.hpp"
#include "io/model_file.hpp"
#include "starling/simulator.hpp"

namespace {

using starling::population;
using starling::synapse;

starling::kernel_options cpu(std::int64_t slice = 0, std::uint64_t seed = 143202461) {
  starling::kernel_options o;
  o.where = starling::backend::cpu;
  o.slice_steps = slice;
  o.seed = seed;
  return o;
}

synapse syn(double weight, double delay) {
  synapse s;
  s.weight = weight;
  s.delay = delay;
  return s;
}

using starling::testing::contains;
using starling::testing::error_of;

/// Variable v of member i, in time order, from a recorder that samples every member.
std::vector<double> series(const starling::sample_data& d, std::size_t v, std::uint32_t i) {
  std::vector<double> out;
  for (std::size_t r = 0; r < d.time.size(); ++r)
    if (d.index[r] == i) out.push_back(d.values[v][r]);
  return out;
}

std::vector<double> times_of(const starling::sample_data& d) {
  std::vector<double> out;
  for (std::size_t r = 0; r < d.time.size(); ++r)
    if (d.index[r] == 0) out.push_back(d.time[r]);
  return out;
}

/// A silent iaf_psc_exp (no threshold in reach): its synaptic currents and membrane show what
/// arrives.
starling::value_map silent() { return {{"V_th", 1e9}}; }

// The current (pA) that reached an iaf_psc_exp with default C_m, tau_m and E_L in each step,
// from its membrane: V_k - E_L = (V_{k-1} - E_L) P22 + P20 I_k.
std::vector<double> currents_from(const std::vector<double>& v, double h) {
  const double p22 = std::exp(-h / 10.0);
  const double p20 = 10.0 / 250.0 * (1.0 - p22);
  std::vector<double> out;
  double before = -70.0;
  for (double x : v) {
    out.push_back(((x + 70.0) - (before + 70.0) * p22) / p20);
    before = x;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// spike_generator: spike_weights and multiplicities

struct synaptic_trace {
  std::vector<double> t, ex, in;
};

/// Jumps of the synaptic currents of a silent iaf_psc_exp (tau_syn 2 ms) driven by `gen`
/// through weight w, delay 1 ms: jump_k = I_k - I_{k-1} e^{-h/tau}.
synaptic_trace jumps(starling::simulator& sim, const population& gen, double w,
                     double until = 8.0) {
  auto n = sim.create("iaf_psc_exp", 1, silent());
  sim.connect(gen, n, {"all_to_all"}, syn(w, 1.0));
  auto rec = sim.record_states(n, {"I_syn_ex", "I_syn_in"}, 0.1);
  sim.simulate(until);
  const auto& d = sim.samples(rec);
  synaptic_trace j;
  j.t = times_of(d);
  const double p = std::exp(-0.1 / 2.0);
  for (std::size_t v = 0; v < 2; ++v) {
    const std::vector<double> x = series(d, v, 0);
    std::vector<double>& out = v == 0 ? j.ex : j.in;
    for (std::size_t k = 0; k < x.size(); ++k) out.push_back(x[k] - (k ? x[k - 1] * p : 0.0));
  }
  return j;
}

/// The (time, jump) pairs of a trace whose jump exceeds 1e-9.
std::vector<std::pair<double, double>> events(const std::vector<double>& t,
                                              const std::vector<double>& jump) {
  std::vector<std::pair<double, double>> out;
  for (std::size_t k = 0; k < t.size(); ++k)
    if (std::fabs(jump[k]) > 1e-9) out.emplace_back(t[k], jump[k]);
  return out;
}

TEST(SpikeGenerator, SpikeWeightsMultiplyTheSynapseWeightAndTheirSignChoosesTheSynapse) {
  starling::simulator sim(cpu());
  // Two spikes at 2.0 ms (weights 0.5 and 1.5) add up; a weight of -3 makes the spike
  // inhibitory, as NEST's event weight spike_weight x weight.
  auto gen = sim.create("spike_generator", 1,
                        {{"spike_times", std::vector<double>{1.0, 2.0, 2.0, 3.0, 4.0}},
                         {"spike_weights", std::vector<double>{2.0, 0.5, 1.5, -3.0, 0.0}}});
  const synaptic_trace j = jumps(sim, gen, 10.0);
  const auto ex = events(j.t, j.ex), in = events(j.t, j.in);
  // Delay 1 ms: the arrivals the unweighted spikes would have, 1 ms after the spike times.
  ASSERT_EQ(ex.size(), 2u);
  EXPECT_NEAR(ex[0].first, 2.0, 1e-9);
  EXPECT_NEAR(ex[0].second, 20.0, 1e-8);
  EXPECT_NEAR(ex[1].first, 3.0, 1e-9);
  EXPECT_NEAR(ex[1].second, 20.0, 1e-8);
  ASSERT_EQ(in.size(), 1u);
  EXPECT_NEAR(in[0].first, 4.0, 1e-9);
  EXPECT_NEAR(in[0].second, -30.0, 1e-8);
}

TEST(SpikeGenerator, WeightedSpikesEqualPlainSpikesOfTheProductWeight) {
  // NEST: the event's weight is spike_weight x synapse weight. A negative synapse weight times
  // a negative spike weight is excitatory.
  auto trace = [](bool weighted) {
    starling::simulator sim(cpu());
    auto n = sim.create("iaf_psc_exp", 1, silent());
    if (weighted) {
      auto g = sim.create("spike_generator", 1,
                          {{"spike_times", std::vector<double>{1.5, 2.5}},
                           {"spike_weights", std::vector<double>{-2.0, 0.25}}});
      sim.connect(g, n, {"all_to_all"}, syn(-40.0, 0.5));
    } else {
      auto a = sim.create("spike_generator", 1, {{"spike_times", std::vector<double>{1.5}}});
      auto b = sim.create("spike_generator", 1, {{"spike_times", std::vector<double>{2.5}}});
      sim.connect(a, n, {"all_to_all"}, syn(80.0, 0.5));
      sim.connect(b, n, {"all_to_all"}, syn(-10.0, 0.5));
    }
    auto rec = sim.record_states(n, {"V_m", "I_syn_ex", "I_syn_in"}, 0.1);
    sim.simulate(10.0);
    return sim.samples(rec).values;
  };
  const auto weighted = trace(true), plain = trace(false);
  EXPECT_EQ(weighted, plain);
  EXPECT_GT(*std::max_element(plain[1].begin(), plain[1].end()), 79.0);
  EXPECT_LT(*std::min_element(plain[2].begin(), plain[2].end()), -9.0);
}

TEST(SpikeGenerator, MultiplicitiesActLikeRepeatedTimes) {
  auto run = [](const starling::value_map& p) {
    starling::simulator sim(cpu());
    auto g = sim.create("spike_generator", 1, p);
    auto parrot = sim.create("parrot_neuron", 1);
    sim.connect(g, parrot, {"all_to_all"}, syn(1.0, 1.0));
    auto own = sim.record_spikes(g);
    auto repeated = sim.record_spikes(parrot);
    const synaptic_trace j = jumps(sim, g, 7.0);
    return std::make_tuple(sim.spikes(own).time, sim.spikes(repeated).time, j.ex);
  };
  const auto with_mult = run({{"spike_times", std::vector<double>{1.0, 2.0, 3.0}},
                              {"spike_multiplicities", std::vector<double>{3.0, 0.0, 2.0}}});
  const auto repeated = run({{"spike_times", std::vector<double>{1.0, 1.0, 1.0, 3.0, 3.0}}});
  EXPECT_EQ(with_mult, repeated);
  // NEST's spike_recorder writes an event of multiplicity m m times; the parrot repeats it.
  EXPECT_EQ(std::get<0>(with_mult), (std::vector<double>{1.0, 1.0, 1.0, 3.0, 3.0}));
  EXPECT_EQ(std::get<1>(with_mult), (std::vector<double>{2.0, 2.0, 2.0, 4.0, 4.0}));
  // Weight 7, multiplicity 3 arriving at 2.0 ms.
  EXPECT_NEAR(std::get<2>(with_mult)[19], 21.0, 1e-8);
}

TEST(SpikeGenerator, WeightsWithMultiplicitiesAndIntoAParrot) {
  starling::simulator sim(cpu());
  auto g = sim.create("spike_generator", 1,
                      {{"spike_times", std::vector<double>{1.0, 3.0}},
                       {"spike_weights", std::vector<double>{0.5, -2.0}},
                       {"spike_multiplicities", std::vector<double>{4.0, 1.0}}});
  // NEST's parrot repeats the multiplicity and ignores the weight.
  auto parrot = sim.create("parrot_neuron", 1);
  sim.connect(g, parrot, {"all_to_all"}, syn(3.0, 1.0));
  auto out = sim.record_spikes(parrot);
  const synaptic_trace j = jumps(sim, g, 10.0);
  EXPECT_EQ(sim.spikes(out).time, (std::vector<double>{2.0, 2.0, 2.0, 2.0, 4.0}));
  const auto ex = events(j.t, j.ex), in = events(j.t, j.in);
  ASSERT_EQ(ex.size(), 1u);
  EXPECT_NEAR(ex[0].second, 10.0 * 0.5 * 4.0, 1e-8);
  ASSERT_EQ(in.size(), 1u);
  EXPECT_NEAR(in[0].second, -20.0, 1e-8);
}

TEST(SpikeGenerator, OriginShiftsSpikesStartAndStop) {
  starling::simulator sim(cpu());
  // origin 2: spikes at 3.0, 4.0, 6.0 ms; start 1.5 and stop 3.5 keep 3.5 < t <= 5.5 -> 4.0.
  auto g = sim.create("spike_generator", 1,
                      {{"spike_times", std::vector<double>{1.0, 2.0, 4.0}},
                       {"origin", 2.0},
                       {"start", 1.5},
                       {"stop", 3.5}});
  auto rec = sim.record_spikes(g);
  sim.simulate(10.0);
  EXPECT_EQ(sim.spikes(rec).time, (std::vector<double>{4.0}));
}

TEST(SpikeGenerator, ListsPerGeneratorAndGetReturnsThem) {
  starling::simulator sim(cpu());
  auto g = sim.create("spike_generator", 2);
  sim.set_lists(g, {{"spike_times", {{1.0, 2.0}, {1.5}}}, {"spike_weights", {{1.0, -1.0}, {4.0}}}});
  EXPECT_EQ(sim.get(g, "spike_weights"), (std::vector<double>{1.0, -1.0}));
  EXPECT_EQ(sim.get(g, "spike_times"), (std::vector<double>{1.0, 2.0}));
  const synaptic_trace j = jumps(sim, g, 2.0);
  const auto ex = events(j.t, j.ex), in = events(j.t, j.in);
  ASSERT_EQ(ex.size(), 2u);
  EXPECT_NEAR(ex[0].second, 2.0, 1e-8);  // 2.0 ms: generator 0's first spike
  EXPECT_NEAR(ex[1].second, 8.0, 1e-8);  // 2.5 ms: generator 1
  ASSERT_EQ(in.size(), 1u);
  EXPECT_NEAR(in[0].first, 3.0, 1e-9);
}

TEST(SpikeGenerator, WeightsAndMultiplicitiesMustMatchTheTimes) {
  starling::simulator sim(cpu());
  auto g = sim.create("spike_generator", 1, {{"spike_times", std::vector<double>{1.0, 2.0}}});
  std::string e = error_of([&] {
    sim.set(g, "spike_weights", std::vector<double>{1.0, 2.0, 3.0});
  });
  EXPECT_TRUE(contains(e, "spike_generator: 3 spike_weights for 2 spike_times")) << e;
  e = error_of([&] { sim.set(g, "spike_multiplicities", std::vector<double>{1.0, 2.5}); });
  EXPECT_TRUE(contains(e, "spike_multiplicities value 2.5; expected whole numbers >= 0")) << e;
  e = error_of([&] { sim.set(g, "spike_weights", starling::distribution{"uniform", {}}); });
  EXPECT_TRUE(contains(e, "spike_weights from a distribution")) << e;
  // An empty list clears them (NEST); the times stay.
  sim.set(g, "spike_weights", std::vector<double>{0.5, 0.5});
  sim.set(g, "spike_weights", std::vector<double>{});
  EXPECT_EQ(sim.get(g, "spike_times"), (std::vector<double>{1.0, 2.0}));
  const synaptic_trace j = jumps(sim, g, 3.0);
  EXPECT_EQ(events(j.t, j.ex).size(), 2u);
  EXPECT_NEAR(events(j.t, j.ex)[0].second, 3.0, 1e-8);
}

// ---------------------------------------------------------------------------------------------
// step_current_generator

TEST(StepCurrentGenerator, DefaultsAndNamesAreNests) {
  const starling::model_description d = starling::describe("step_current_generator");
  EXPECT_FALSE(d.is_neuron);
  std::map<std::string, double> defaults;
  for (std::size_t k = 0; k < d.parameters.size(); ++k)
    defaults[d.parameters[k]] = d.parameter_defaults[k];
  EXPECT_EQ(defaults.at("start"), 0.0);
  EXPECT_EQ(defaults.at("origin"), 0.0);
  EXPECT_TRUE(std::isinf(defaults.at("stop")));
  EXPECT_EQ(d.parameter_lists.count("amplitude_times"), 1u);
  EXPECT_EQ(d.parameter_lists.count("amplitude_values"), 1u);
}

/// The membrane of a silent iaf_psc_exp driven through weight w, delay d by the devices that
/// `build` creates and connects.
template <typename Build>
std::vector<double> membrane(Build&& build, double until, std::int64_t slice = 0) {
  starling::simulator sim(cpu(slice));
  auto n = sim.create("iaf_psc_exp", 1, silent());
  build(sim, n);
  auto rec = sim.record_states(n, {"V_m"}, 0.1);
  sim.simulate(until);
  return series(sim.samples(rec), 0, 0);
}

TEST(StepCurrentGenerator, ChangesTakeEffectLikeDcGeneratorsStartingThere) {
  // NEST changes the amplitude in the update whose events are stamped amplitude_times[k]: the
  // neuron sees it from amplitude_times[k] + delay, as a dc_generator started there.
  const auto stepped = membrane(
      [](starling::simulator& sim, const population& n) {
        auto g = sim.create("step_current_generator", 1,
                            {{"amplitude_times", std::vector<double>{2.0, 5.0, 7.5}},
                             {"amplitude_values", std::vector<double>{300.0, -100.0, 0.0}}});
        sim.connect(g, n, {"all_to_all"}, syn(1.5, 0.7));
      },
      12.0);
  const auto dc = membrane(
      [](starling::simulator& sim, const population& n) {
        auto a =
            sim.create("dc_generator", 1, {{"amplitude", 300.0}, {"start", 2.0}, {"stop", 5.0}});
        auto b =
            sim.create("dc_generator", 1, {{"amplitude", -100.0}, {"start", 5.0}, {"stop", 7.5}});
        sim.connect(a, n, {"all_to_all"}, syn(1.5, 0.7));
        sim.connect(b, n, {"all_to_all"}, syn(1.5, 0.7));
      },
      12.0);
  EXPECT_EQ(stepped, dc);
  // Closed form: nothing before 2.0 + 0.7 ms + one step; then 450 pA for 3 ms.
  const std::vector<double> current = currents_from(stepped, 0.1);
  EXPECT_NEAR(current[26], 0.0, 1e-6);    // 2.7 ms
  EXPECT_NEAR(current[27], 450.0, 1e-6);  // 2.8 ms
  EXPECT_NEAR(current[56], 450.0, 1e-6);  // 5.7 ms
  EXPECT_NEAR(current[57], -150.0, 1e-6);
  EXPECT_NEAR(current[81], -150.0, 1e-6);  // 8.2 ms
  EXPECT_NEAR(current[82], 0.0, 1e-6);
}

TEST(StepCurrentGenerator, StartStopAndOriginGateTheCurrent) {
  const auto stepped = membrane(
      [](starling::simulator& sim, const population& n) {
        auto g = sim.create("step_current_generator", 1,
                            {{"amplitude_times", std::vector<double>{1.0, 4.0}},
                             {"amplitude_values", std::vector<double>{100.0, 200.0}},
                             {"origin", 1.0},
                             {"start", 1.5},
                             {"stop", 5.0}});
        sim.connect(g, n, {"all_to_all"}, syn(1.0, 1.0));
      },
      10.0, 7);
  // Active from origin + start = 2.5 to origin + stop = 6.0 ms (amplitude_times are not shifted).
  const auto dc = membrane(
      [](starling::simulator& sim, const population& n) {
        auto a =
            sim.create("dc_generator", 1, {{"amplitude", 100.0}, {"start", 2.5}, {"stop", 4.0}});
        auto b =
            sim.create("dc_generator", 1, {{"amplitude", 200.0}, {"start", 4.0}, {"stop", 6.0}});
        sim.connect(a, n, {"all_to_all"}, syn(1.0, 1.0));
        sim.connect(b, n, {"all_to_all"}, syn(1.0, 1.0));
      },
      10.0);
  EXPECT_EQ(stepped, dc);
}

TEST(StepCurrentGenerator, ListsPerGeneratorAndChangesBetweenRuns) {
  starling::simulator sim(cpu());
  auto n = sim.create("iaf_psc_exp", 2, silent());
  auto g = sim.create("step_current_generator", 2);
  sim.set_lists(
      g, {{"amplitude_times", {{1.0}, {2.0, 3.0}}}, {"amplitude_values", {{100.0}, {50.0, 80.0}}}});
  sim.connect(g, n, {"one_to_one"}, syn(1.0, 0.1));
  auto rec = sim.record_states(n, {"V_m"}, 0.1);
  sim.simulate(5.0);
  // New lists at 5 ms: 4.0 is in the past and skipped, so the amplitude in effect stays (NEST
  // keeps it) until 6.0.
  sim.set_lists(g, {{"amplitude_times", {{4.0, 6.0}}}, {"amplitude_values", {{-20.0, 10.0}}}});
  sim.simulate(5.0);
  const auto i0 = currents_from(series(sim.samples(rec), 0, 0), 0.1);
  const auto i1 = currents_from(series(sim.samples(rec), 0, 1), 0.1);
  // Sample k is time (k + 1) h; the current of stamp T arrives at T + 0.1 ms and acts a step
  // later.
  EXPECT_NEAR(i0[10], 0.0, 1e-6);    // 1.1 ms
  EXPECT_NEAR(i0[11], 100.0, 1e-6);  // 1.2 ms
  EXPECT_NEAR(i1[21], 50.0, 1e-6);
  EXPECT_NEAR(i1[31], 80.0, 1e-6);
  EXPECT_NEAR(i0[60], 100.0, 1e-6);  // 6.1 ms
  EXPECT_NEAR(i0[61], 10.0, 1e-6);
  EXPECT_NEAR(i1[60], 80.0, 1e-6);
  EXPECT_NEAR(i1[61], 10.0, 1e-6);
}

TEST(StepCurrentGenerator, RejectsWhatNestRejects) {
  starling::simulator sim(cpu());
  auto g = sim.create("step_current_generator", 1);
  auto set = [&](std::vector<double> t, std::vector<double> v) {
    return error_of([&] {
      sim.set_lists(g, {{"amplitude_times", {t}}, {"amplitude_values", {v}}});
    });
  };
  std::string e = set({1.0, 2.0}, {1.0});
  EXPECT_TRUE(contains(e, "1 amplitude_values for 2 amplitude_times; expected as many")) << e;
  e = set({2.0, 2.0}, {1.0, 2.0});
  EXPECT_TRUE(contains(e, "expected strictly increasing times")) << e;
  e = set({0.0}, {1.0});
  EXPECT_TRUE(contains(e, "amplitude time 0 ms; expected times > 0")) << e;
  e = set({1.05}, {1.0});
  EXPECT_TRUE(contains(e, "amplitude time 1.05 ms is not a multiple of the resolution 0.1 ms"))
      << e;
  e = error_of([&] { sim.set(g, "amplitude_times", std::vector<double>{1.0}); });
  EXPECT_TRUE(contains(e, "expected amplitude_times and amplitude_values together")) << e;
  e = error_of([&] { sim.create("step_current_generator", 1, {{"start", 5.0}, {"stop", 2.0}}); });
  EXPECT_TRUE(contains(e, "step_current_generator: stop = 2 ms is before start = 5 ms")) << e;
  // Nothing changed: no amplitude times.
  EXPECT_TRUE(sim.get(g, "amplitude_times").empty());
}

// ---------------------------------------------------------------------------------------------
// noise_generator

/// Currents (pA) that each of n silent targets received in each step.
std::vector<std::vector<double>> noise_currents(const starling::value_map& params, std::size_t n,
                                                double until, std::int64_t slice = 0,
                                                std::uint64_t seed = 143202461) {
  starling::simulator sim(cpu(slice, seed));
  auto targets = sim.create("iaf_psc_exp", n, silent());
  auto g = sim.create("noise_generator", 1, params);
  sim.connect(g, targets, {"all_to_all"}, syn(1.0, 0.1));
  auto rec = sim.record_states(targets, {"V_m"}, 0.1);
  sim.simulate(until);
  std::vector<std::vector<double>> out;
  for (std::uint32_t i = 0; i < n; ++i)
    out.push_back(currents_from(series(sim.samples(rec), 0, i), 0.1));
  return out;
}

TEST(NoiseGenerator, DefaultsAreNests) {
  const starling::model_description d = starling::describe("noise_generator");
  std::map<std::string, double> defaults;
  for (std::size_t k = 0; k < d.parameters.size(); ++k)
    defaults[d.parameters[k]] = d.parameter_defaults[k];
  for (const char* p : {"mean", "std", "std_mod", "frequency", "phase", "start", "origin"})
    EXPECT_EQ(defaults.at(p), 0.0) << p;
  EXPECT_TRUE(std::isinf(defaults.at("stop")));
  EXPECT_EQ(d.states, (std::vector<std::string>{"y_0", "y_1"}));
  // dt: 10 steps of whatever resolution.
  starling::kernel_options o = cpu();
  o.resolution = 0.25;
  starling::simulator sim(o);
  auto g = sim.create("noise_generator", 1);
  EXPECT_DOUBLE_EQ(sim.get(g, "dt")[0], 2.5);
}

TEST(NoiseGenerator, PiecewiseConstantGaussianCurrentsOnePerTarget) {
  const std::size_t n = 500;
  const auto i = noise_currents({{"mean", 50.0}, {"std", 100.0}, {"dt", 1.0}}, n, 10.5);
  // Stamp T = 1, 11, 21, ... draw; the event stamped T arrives at T + 1 step and acts a step
  // later: sample k (time (k + 1) h) holds the draw of stamp k - 1, so the first draw covers
  // samples 2 ... 11.
  std::vector<double> draws;
  for (std::size_t t = 0; t < n; ++t) {
    EXPECT_NEAR(i[t][0], 0.0, 1e-6);
    EXPECT_NEAR(i[t][1], 0.0, 1e-6);
    for (std::size_t b = 0; b < 10; ++b) {
      const std::size_t first = 2 + 10 * b;
      for (std::size_t k = first + 1; k < first + 10; ++k)
        ASSERT_NEAR(i[t][k], i[t][first], 1e-6) << "target " << t << " sample " << k;
      draws.push_back(i[t][first]);
    }
    EXPECT_NE(i[t][12], i[t][2]);
  }
  EXPECT_NE(i[0][2], i[1][2]) << "two targets received the same current";
  const double m = std::accumulate(draws.begin(), draws.end(), 0.0) / draws.size();
  double var = 0.0;
  for (double x : draws) var += (x - m) * (x - m);
  const double sd = std::sqrt(var / (draws.size() - 1));
  // 5000 draws: standard error of the mean 1.4 pA, of the sd about 1 pA; 5 sigma.
  EXPECT_NEAR(m, 50.0, 7.0);
  EXPECT_NEAR(sd, 100.0, 5.0);
}

TEST(NoiseGenerator, ModulationScalesTheVarianceBySine) {
  // f = 250 Hz, dt = one period (4 ms): every draw sees the same phase. The oscillator turns
  // once per active step before the draw: at stamp 1 its angle is omega h + phase, omega h = 9
  // degrees. Phase 261: sin = -1, so sigma^2 = std^2 - std_mod^2 = 0 and every target gets the
  // mean; phase 81: sin = 1, sigma = sqrt(2) std.
  auto draws = [](double phase) {
    const auto i = noise_currents({{"mean", 20.0},
                                   {"std", 100.0},
                                   {"std_mod", 100.0},
                                   {"frequency", 250.0},
                                   {"phase", phase},
                                   {"dt", 4.0}},
                                  400, 8.3);
    std::vector<double> out;
    for (const auto& target : i)
      for (std::size_t k : {2u, 42u}) out.push_back(target[k]);
    return out;
  };
  for (double x : draws(261.0)) EXPECT_NEAR(x, 20.0, 1e-4);
  const auto wide = draws(81.0);
  double var = 0.0;
  for (double x : wide) var += (x - 20.0) * (x - 20.0);
  // 800 draws: the sd's standard error is about 3.5 pA.
  EXPECT_NEAR(std::sqrt(var / wide.size()), 100.0 * std::sqrt(2.0), 18.0);
}

TEST(NoiseGenerator, StartStopAndOriginAsDcGenerator) {
  // Active for stamps origin + start <= T < origin + stop, as a dc_generator: with std = 0 the
  // noise generator is one.
  const auto noise = membrane(
      [](starling::simulator& sim, const population& n) {
        auto g = sim.create("noise_generator", 1,
                            {{"mean", 70.0}, {"origin", 0.5}, {"start", 1.0}, {"stop", 3.0}});
        sim.connect(g, n, {"all_to_all"}, syn(2.0, 0.4));
      },
      6.0);
  const auto dc = membrane(
      [](starling::simulator& sim, const population& n) {
        auto g =
            sim.create("dc_generator", 1, {{"amplitude", 70.0}, {"start", 1.5}, {"stop", 3.5}});
        sim.connect(g, n, {"all_to_all"}, syn(2.0, 0.4));
      },
      6.0);
  EXPECT_EQ(noise, dc);
  // First draw at the first active step (stamp 20, acting at sample 21); the next dt later.
  const auto i = noise_currents({{"std", 10.0}, {"start", 2.0}}, 2, 4.0);
  EXPECT_NEAR(i[0][20], 0.0, 1e-6);
  EXPECT_GT(std::fabs(i[0][21]), 1e-6);
  EXPECT_NEAR(i[0][30], i[0][21], 1e-6);
  EXPECT_GT(std::fabs(i[0][31] - i[0][30]), 1e-6);
}

TEST(NoiseGenerator, SameDrawsWhateverTheSlicesOtherSeedOtherDraws) {
  const starling::value_map p{{"mean", 5.0}, {"std", 30.0}, {"dt", 0.3}};
  const auto a = noise_currents(p, 5, 6.0, 0);
  EXPECT_EQ(a, noise_currents(p, 5, 6.0, 1));
  EXPECT_EQ(a, noise_currents(p, 5, 6.0, 13));
  EXPECT_NE(a, noise_currents(p, 5, 6.0, 0, 99));
}

TEST(NoiseGenerator, RejectsWhatNestRejects) {
  starling::simulator sim(cpu());
  std::string e = error_of([&] { sim.create("noise_generator", 1, {{"std", -1.0}}); });
  EXPECT_TRUE(contains(e, "noise_generator: std = -1 pA; expected a standard deviation >= 0")) << e;
  e = error_of([&] { sim.create("noise_generator", 1, {{"std", 1.0}, {"std_mod", 2.0}}); });
  EXPECT_TRUE(contains(e, "noise_generator: std_mod = 2 pA; expected at most std = 1 pA")) << e;
  e = error_of([&] { sim.create("noise_generator", 1, {{"dt", 0.25}}); });
  EXPECT_TRUE(contains(e, "noise_generator: dt = 0.25 ms; expected a multiple of the resolution"))
      << e;
}

// ---------------------------------------------------------------------------------------------
// Generator parameters set between simulate calls

TEST(GeneratorsBetweenRuns, DcAmplitudeSetBetweenRunsActsLikeTwoGenerators) {
  auto split = [] {
    starling::simulator sim(cpu());
    auto n = sim.create("iaf_psc_exp", 1, silent());
    auto g = sim.create("dc_generator", 1, {{"amplitude", 200.0}});
    sim.connect(g, n, {"all_to_all"}, syn(1.0, 0.5));
    auto rec = sim.record_states(n, {"V_m"}, 0.1);
    sim.simulate(4.0);
    sim.set(g, "amplitude", -50.0);
    sim.simulate(4.0);
    return series(sim.samples(rec), 0, 0);
  };
  // The second run's first update sends events stamped 4.1 ms: NEST's dc_generator uses the
  // new amplitude from there.
  const auto dc = membrane(
      [](starling::simulator& sim, const population& n) {
        auto a = sim.create("dc_generator", 1, {{"amplitude", 200.0}, {"stop", 4.1}});
        auto b = sim.create("dc_generator", 1, {{"amplitude", -50.0}, {"start", 4.1}});
        sim.connect(a, n, {"all_to_all"}, syn(1.0, 0.5));
        sim.connect(b, n, {"all_to_all"}, syn(1.0, 0.5));
      },
      8.0);
  EXPECT_EQ(split(), dc);
}

TEST(GeneratorsBetweenRuns, PoissonRateSetToZeroStopsTheInput) {
  starling::simulator sim(cpu());
  auto n = sim.create("iaf_psc_exp", 3, silent());
  auto pg = sim.create("poisson_generator", 1, {{"rate", 50000.0}});
  sim.connect(pg, n, {"all_to_all"}, syn(1.0, 1.0));
  auto rec = sim.record_states(n, {"I_syn_ex"}, 0.1);
  sim.simulate(10.0);
  sim.set(pg, "rate", 0.0);
  sim.simulate(10.0);
  EXPECT_EQ(sim.get(pg, "rate")[0], 0.0);
  const auto i = series(sim.samples(rec), 0, 0);
  // The last events were sent at 10.0 ms and arrive 1 ms later; then pure decay.
  const double p = std::exp(-0.1 / 2.0);
  EXPECT_GT(i[109], 50.0);  // 11.0 ms: 5 spikes per step of weight 1 -> about 5 / (1 - p)
  for (std::size_t k = 111; k < i.size(); ++k) EXPECT_NEAR(i[k], i[k - 1] * p, 1e-9) << k;
  sim.set(pg, "rate", 10000.0);
  sim.simulate(5.0);
  EXPECT_GT(sim.get(n, "I_syn_ex")[0], 10.0);
}

TEST(GeneratorsBetweenRuns, NoiseMeanChangesAtTheNextDraw) {
  starling::simulator sim(cpu());
  auto n = sim.create("iaf_psc_exp", 1, silent());
  auto g = sim.create("noise_generator", 1, {{"mean", 100.0}, {"dt", 1.0}});
  sim.connect(g, n, {"all_to_all"}, syn(1.0, 0.1));
  auto rec = sim.record_states(n, {"V_m"}, 0.1);
  sim.simulate(1.5);
  sim.set(g, "mean", -40.0);
  sim.simulate(2.0);
  const auto i = currents_from(series(sim.samples(rec), 0, 0), 0.1);
  // Draws at stamps 1, 11, 21: as NEST, the new mean waits for the draw at stamp 21.
  EXPECT_NEAR(i[12], 100.0, 1e-6);
  EXPECT_NEAR(i[21], 100.0, 1e-6);
  EXPECT_NEAR(i[22], -40.0, 1e-6);
}

TEST(GeneratorsBetweenRuns, SpikeWeightsSetBetweenRuns) {
  starling::simulator sim(cpu());
  auto g = sim.create("spike_generator", 1, {{"spike_times", std::vector<double>{1.0, 6.0}}});
  auto n = sim.create("iaf_psc_exp", 1, silent());
  sim.connect(g, n, {"all_to_all"}, syn(10.0, 1.0));
  auto rec = sim.record_states(n, {"I_syn_ex", "I_syn_in"}, 0.1);
  sim.simulate(4.0);
  // The times in the past stay (NEST keeps the list), so a weight per time is needed.
  sim.set(g, "spike_weights", std::vector<double>{1.0, -0.5});
  sim.simulate(4.0);
  const auto ex = series(sim.samples(rec), 0, 0), in = series(sim.samples(rec), 1, 0);
  EXPECT_NEAR(ex[19], 10.0, 1e-9);  // 2.0 ms
  EXPECT_NEAR(in[69], -5.0, 1e-9);  // 7.0 ms
}

// ---------------------------------------------------------------------------------------------
// spike_recorder start, stop, origin; model files

TEST(SpikeRecorder, RecordsSpikesAfterStartUpToStop) {
  starling::simulator sim(cpu(7));
  auto g = sim.create("spike_generator", 1,
                      {{"spike_times", std::vector<double>{1.0, 2.0, 3.0, 4.0, 5.0, 6.0}}});
  auto all = sim.record_spikes(g);
  auto window = sim.record_spikes(g, {2.0, 4.0});
  auto shifted = sim.record_spikes(g, {2.0, 4.0, 1.0});
  sim.simulate(10.0);
  EXPECT_EQ(sim.spikes(all).time.size(), 6u);
  EXPECT_EQ(sim.spikes(window).time, (std::vector<double>{3.0, 4.0}));
  EXPECT_EQ(sim.spikes(shifted).time, (std::vector<double>{4.0, 5.0}));
  const std::string e = error_of([&] { sim.record_spikes(g, {3.0, 1.0}); });
  EXPECT_TRUE(contains(e, "spike_recorder: stop = 1 ms is before start = 3 ms")) << e;
}

TEST(DeviceModelFiles, ListsPerMemberRecorderWindowsAndMultimeterNames) {
  const starling::io::model_file m = starling::io::parse_model(R"({
    "populations": [
      {"name": "steps", "model": "step_current_generator", "size": 2,
       "params": {"amplitude_times": [[1.0], [2.0, 3.0]],
                  "amplitude_values": [[100.0], [50.0, 80.0]]}},
      {"name": "sg", "model": "spike_generator", "size": 1,
       "params": {"spike_times": [1.0, 2.0, 3.0], "spike_weights": [1.0, 2.0, 3.0]}},
      {"name": "noise", "model": "noise_generator", "size": 1,
       "params": {"mean": 1.0, "std": 2.0, "dt": 0.5}},
      {"name": "n", "model": "iaf_psc_exp", "size": 2, "params": {"V_th": 1e9}}
    ],
    "connections": [
      {"source": "steps", "target": "n", "rule": "one_to_one",
       "synapse": {"weight": 1.0, "delay": 0.1}},
      {"source": "sg", "target": "n", "synapse": {"weight": 1.0, "delay": 0.1}},
      {"source": "noise", "target": "n", "synapse": {"weight": 0.0, "delay": 0.1}}
    ],
    "recorders": [
      {"name": "sg_spikes", "type": "spike_recorder", "population": "sg",
       "start": 1.0, "stop": 3.0},
      {"name": "v", "type": "multimeter", "population": "n", "record_from": ["V_m", "I_syn_ex"],
       "interval": 0.5}
    ],
    "simulate": 5.0
  })");
  ASSERT_EQ(m.populations[0].lists_each.size(), 2u);
  EXPECT_EQ(m.populations[0].lists_each.at("amplitude_values")[1],
            (std::vector<double>{50.0, 80.0}));
  EXPECT_EQ(m.recorders[0].window.start, 1.0);
  EXPECT_EQ(m.recorders[0].window.stop, 3.0);
  const starling::io::run_result r = starling::io::run(m, {starling::backend::cpu, {}, false});
  EXPECT_EQ(r.recordings[0].spikes.time, (std::vector<double>{2.0, 3.0}));
  const starling::sample_data& v = r.recordings[1].samples;
  EXPECT_EQ(v.variables, (std::vector<std::string>{"V_m", "I_syn_ex"}));
  ASSERT_EQ(v.time.size(), 2u * 9u);  // 0.5 ... 4.5 ms
  // I_syn_ex of neuron 0 at 2.5 ms: spikes of weights 1 and 2 at 1.0 and 2.0 ms (delay 0.1).
  const double p = std::exp(-0.1 / 2.0);
  EXPECT_NEAR(v.values[1][8], 1.0 * std::pow(p, 14) + 2.0 * std::pow(p, 4), 1e-9);
  // Errors name the field.
  const std::string e = error_of([] {
    starling::io::parse_model(R"({"populations": [{"name": "g", "model": "step_current_generator",
      "size": 2, "params": {"amplitude_times": [[1.0]], "amplitude_values": [1.0]}}],
      "simulate": 1})");
  });
  EXPECT_TRUE(contains(e, "populations[0].params.amplitude_times")) << e;
  EXPECT_TRUE(contains(e, "1 lists of amplitude_times; expected one per member (2)")) << e;
}

}  // namespace
