// parrot_neuron: repeats each spike of receptor 0 with its multiplicity in the step it arrives,
// whatever the weight; receptor 1 is received and not repeated (NEST's semantics).
#include <gtest/gtest.h>

#include <cmath>

#include "starling/simulator.hpp"

namespace {

starling::kernel_options cpu() {
  starling::kernel_options o;
  o.where = starling::backend::cpu;
  return o;
}

starling::synapse syn(starling::value w, double d, int receptor = 0) {
  starling::synapse s;
  s.weight = w;
  s.delay = d;
  s.receptor = receptor;
  return s;
}

TEST(ParrotNeuron, RepeatsSpikesWithMultiplicityWhateverTheWeight) {
  starling::simulator sim(cpu());
  // 5.0 twice: multiplicity 2.
  auto g = sim.create("spike_generator", 1, {{"spike_times", std::vector<double>{5.0, 5.0, 12.3}}});
  auto p = sim.create("parrot_neuron", 3);
  sim.connect(g, p, {"all_to_all"}, syn(std::vector<double>{1.0, 0.0, -2.5}, 1.0));
  auto sr = sim.record_spikes(p);
  sim.simulate(20.0);
  const starling::spike_data& s = sim.spikes(sr);
  // Each parrot: twice at 6.0 ms (arrival, the step's stamp), once at 13.3 ms.
  ASSERT_EQ(s.time.size(), 9u);
  for (std::size_t k = 0; k < 6; ++k) EXPECT_NEAR(s.time[k], 6.0, 1e-9);
  for (std::size_t k = 6; k < 9; ++k) EXPECT_NEAR(s.time[k], 13.3, 1e-9);
}

TEST(ParrotNeuron, ReceptorOneIsNotRepeatedAndOthersAreRefused) {
  starling::simulator sim(cpu());
  auto g = sim.create("spike_generator", 1, {{"spike_times", std::vector<double>{5.0}}});
  auto p = sim.create("parrot_neuron", 1);
  sim.connect(g, p, {"one_to_one"}, syn(1.0, 1.0, 1));
  EXPECT_THROW(sim.connect(g, p, {"one_to_one"}, syn(1.0, 1.0, 2)), starling::invalid_argument);
  auto sr = sim.record_spikes(p);
  sim.simulate(10.0);
  EXPECT_TRUE(sim.spikes(sr).time.empty());
}

TEST(ParrotNeuron, OutgoingSpikesCarryTheParrotsWeights) {
  starling::simulator sim(cpu());
  auto g = sim.create("spike_generator", 1, {{"spike_times", std::vector<double>{5.0, 5.0}}});
  auto p = sim.create("parrot_neuron", 1);
  auto n = sim.create("iaf_psc_exp", 1);
  sim.connect(g, p, {"one_to_one"}, syn(7.0, 1.0));
  sim.connect(p, n, {"one_to_one"}, syn(40.0, 2.0));
  auto rec = sim.record_states(n, {"I_syn_ex"}, 0.1);
  sim.simulate(10.0);
  const auto& s = sim.samples(rec);
  // Parrot spikes (x2) at 6.0 ms; over delay 2 ms the current jumps by 2 x 40 pA at 8.0 ms.
  int seen = 0;
  for (std::size_t k = 0; k < s.time.size(); ++k) {
    if (std::abs(s.time[k] - 7.9) < 1e-9) {
      EXPECT_EQ(s.values[0][k], 0.0);
      ++seen;
    }
    if (std::abs(s.time[k] - 8.0) < 1e-9) {
      EXPECT_NEAR(s.values[0][k], 80.0, 1e-6);
      ++seen;
    }
  }
  EXPECT_EQ(seen, 2);
}

}  // namespace
