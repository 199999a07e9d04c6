// Each generator gives bit-identical results on the CPU and the GPU: spike_generator with
// spike_weights and multiplicities, step_current_generator, noise_generator, and generator
// parameters set between simulate calls (the batched GPU slice must see them).
#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "common/backends.hpp"

using starling::backend;
using starling::synapse;
using starling::testing::observation;
using starling::testing::on;

namespace {

synapse syn(double weight, double delay) {
  synapse s;
  s.weight = weight;
  s.delay = delay;
  return s;
}

/// Builds targets (an iaf_psc_exp population near threshold and a parrot), lets `drive`
/// connect generators to them, simulates in the given pieces calling `between` after each,
/// and returns spikes, samples and final states.
template <typename Drive, typename Between>
observation run(backend where, std::int64_t slice, Drive&& drive, Between&& between,
                const std::vector<double>& pieces, bool sample) {
  starling::simulator sim(on(where, slice, 7));
  auto n = sim.create("iaf_psc_exp", 40, {{"V_th", -60.0}});
  auto parrot = sim.create("parrot_neuron", 2);
  drive(sim, n, parrot);
  auto spikes = sim.record_spikes(n);
  auto repeated = sim.record_spikes(parrot);
  std::optional<starling::recorder> states;
  if (sample) states = sim.record_states(n, {"V_m", "I_syn_ex", "I_syn_in"}, 0.1);
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    sim.simulate(pieces[k]);
    between(sim, k);
  }
  observation o;
  starling::testing::append(o, sim.spikes(spikes));
  starling::testing::append(o, sim.spikes(repeated));
  if (states) starling::testing::append(o, sim.samples(*states));
  for (const char* v : {"V_m", "I_syn_ex", "I_syn_in"})
    for (double x : sim.get(n, v)) o.push_back(x);
  return o;
}

/// CPU and GPU (batched slices, one step per slice, and one kernel per operation where states
/// are sampled) against each other.
template <typename Drive, typename Between>
void expect_parity(Drive drive, Between between, const std::vector<double>& pieces) {
  const observation cpu = run(backend::cpu, 0, drive, between, pieces, false);
  EXPECT_GT(cpu.size(), 3u * 40u + 20u) << "the network should spike";
  EXPECT_TRUE(starling::testing::identical(cpu, run(backend::cuda, 0, drive, between, pieces, false)));
  EXPECT_TRUE(starling::testing::identical(cpu, run(backend::cuda, 1, drive, between, pieces, false)));
  EXPECT_TRUE(starling::testing::identical(run(backend::cpu, 0, drive, between, pieces, true),
                                           run(backend::cuda, 0, drive, between, pieces, true)));
}

const auto nothing = [](starling::simulator&, std::size_t) {};

}  // namespace

TEST(GpuDevices, WeightedSpikeGeneratorsAreBitIdentical) {
  STARLING_REQUIRE_GPU();
  starling::population sg;
  expect_parity(
      [&](starling::simulator& sim, const starling::population& n, const starling::population& p) {
        sg = sim.create("spike_generator", 3);
        sim.set_lists(sg, {{"spike_times", {{5.0, 5.0, 30.2, 61.7}, {12.3, 40.0}, {40.0, 90.0}}},
                           {"spike_weights", {{1.0, -0.5, 2.5, 0.3}, {4.0, -2.0}, {}}},
                           {"spike_multiplicities", {{1.0, 2.0, 1.0, 3.0}, {}, {2.0, 1.0}}}});
        sim.connect(sg, n, {"all_to_all"}, syn(2000.0, 1.0));
        // Into parrots (which repeat multiplicities, ignoring weights): at most 2 a step, the
        // room their recorders have per step.
        auto few = sim.create("spike_generator", 1,
                              {{"spike_times", std::vector<double>{5.0, 7.0}},
                               {"spike_weights", std::vector<double>{2.0, -1.0}},
                               {"spike_multiplicities", std::vector<double>{2.0, 1.0}}});
        sim.connect(few, p, {"all_to_all"}, syn(3.0, 0.5));
      },
      [&](starling::simulator& sim, std::size_t k) {
        if (k == 0)
          sim.set_lists(sg, {{"spike_weights", {{-1.0, 1.0, 1.0, -1.0}, {1.0, 1.0}, {}}}});
      },
      {35.0, 65.0});
}

TEST(GpuDevices, StepCurrentGeneratorsAreBitIdentical) {
  STARLING_REQUIRE_GPU();
  starling::population g;
  expect_parity(
      [&](starling::simulator& sim, const starling::population& n, const starling::population&) {
        g = sim.create("step_current_generator", 2, {{"origin", 1.0}, {"start", 2.0}, {"stop", 90.0}});
        sim.set_lists(g, {{"amplitude_times", {{3.0, 20.0, 50.0}, {10.0, 30.5}}},
                          {"amplitude_values", {{400.0, 100.0, 700.0}, {-200.0, 600.0}}}});
        sim.connect(g, n, {"all_to_all"}, syn(0.8, 0.3));
      },
      [&](starling::simulator& sim, std::size_t k) {
        if (k == 0)
          sim.set_lists(g, {{"amplitude_times", {{60.0, 70.0}}},
                            {"amplitude_values", {{900.0, 0.0}}}});
      },
      {40.0, 60.0});
}

TEST(GpuDevices, NoiseGeneratorsAreBitIdentical) {
  STARLING_REQUIRE_GPU();
  starling::population g;
  expect_parity(
      [&](starling::simulator& sim, const starling::population& n, const starling::population&) {
        g = sim.create("noise_generator", 2,
                       {{"mean", std::vector<double>{350.0, 200.0}},
                        {"std", 300.0},
                        {"std_mod", 150.0},
                        {"frequency", 40.0},
                        {"phase", 30.0},
                        {"dt", 0.5},
                        {"start", 5.0}});
        sim.connect(g, n, {"all_to_all"}, syn(1.0, 0.2));
      },
      [&](starling::simulator& sim, std::size_t k) {
        if (k == 0) sim.set(g, "std", 500.0);
      },
      {45.3, 54.7});
}

TEST(GpuDevices, DcAndPoissonChangesBetweenRunsReachTheGpu) {
  STARLING_REQUIRE_GPU();
  starling::population dc, pg;
  expect_parity(
      [&](starling::simulator& sim, const starling::population& n, const starling::population&) {
        dc = sim.create("dc_generator", 1, {{"amplitude", 100.0}});
        pg = sim.create("poisson_generator", 1, {{"rate", 2000.0}});
        sim.connect(dc, n, {"all_to_all"}, syn(1.0, 0.1));
        sim.connect(pg, n, {"all_to_all"}, syn(20.0, 0.5));
      },
      [&](starling::simulator& sim, std::size_t k) {
        if (k == 0) sim.set(dc, "amplitude", 450.0);
        if (k == 1) sim.set(pg, "rate", 30000.0);
      },
      {30.0, 30.0, 40.0});
}
