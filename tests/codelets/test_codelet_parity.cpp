// Each codelet on CPU workers and on a CUDA worker: identical numbers, bit for bit.
#include <gtest/gtest.h>

#include "common/backends.hpp"
#include "common/reference_data.hpp"

using starling::backend;
using starling::testing::observation;
using starling::testing::on;

namespace {

starling::synapse syn(double w, double d) {
  starling::synapse s;
  s.weight = w;
  s.delay = d;
  return s;
}

// iaf_psc_exp update, spike_generator, delivery of both signs, state recording.
observation nest_trace(backend where) {
  starling::simulator sim(on(where));
  auto gen = sim.create("spike_generator", 1, {{"spike_times", std::vector<double>{10.0, 400.0}}});
  auto n = sim.create("iaf_psc_exp", 1);
  sim.connect(gen, n, {"one_to_one"}, syn(1.0, 1.0));
  sim.connect(gen, n, {"one_to_one"}, syn(-2.0, 100.0));
  auto vm = sim.record_states(n, {"V_m", "I_syn_ex", "I_syn_in"}, 1.0);
  sim.simulate(800.0);
  observation o;
  starling::testing::append(o, sim.samples(vm));
  return o;
}

// dc_generator, current delivery, threshold, refractoriness and spike recording.
observation dc_driven(backend where) {
  starling::simulator sim(on(where));
  auto dc = sim.create("dc_generator", 3,
                       {{"amplitude", std::vector<double>{400.0, 800.0, 1200.0}}, {"start", 5.0}});
  auto n = sim.create("iaf_psc_exp", 3, {{"t_ref", 1.5}});
  sim.connect(dc, n, {"one_to_one"}, syn(1.0, 0.3));
  auto sr = sim.record_spikes(n);
  auto vm = sim.record_states(n, {"V_m"}, 0.1);
  sim.simulate(100.0);
  observation o;
  starling::testing::append(o, sim.spikes(sr));
  starling::testing::append(o, sim.samples(vm));
  return o;
}

// poisson_generator with counter-based counts, per-target trains.
observation poisson_driven(backend where) {
  starling::simulator sim(on(where));
  auto pg = sim.create("poisson_generator", 2, {{"rate", std::vector<double>{8000.0, 300000.0}}});
  auto n = sim.create("iaf_psc_exp", 50);
  sim.connect(pg, n, {"all_to_all"}, syn(3.0, 0.5));
  auto rec = sim.record_states(n, {"I_syn_ex", "V_m"}, 0.5);
  auto sr = sim.record_spikes(n);
  sim.simulate(200.0);
  observation o;
  starling::testing::append(o, sim.samples(rec));
  starling::testing::append(o, sim.spikes(sr));
  for (double v : sim.get(n, "V_m")) o.push_back(v);
  return o;
}

}  // namespace

TEST(CodeletParity, IafPscExpSpikeGeneratorDeliveryAndRecording) {
  STARLING_REQUIRE_GPU();
  const observation cpu = nest_trace(backend::cpu);
  EXPECT_TRUE(starling::testing::identical(cpu, nest_trace(backend::cuda)));
  // And the GPU trace is NEST's.
  const auto ref = starling::testing::read_reference("test_iaf_psc_exp_nest.txt");
  const observation gpu = nest_trace(backend::cuda);
  ASSERT_EQ(gpu.size(), ref.size() * 5);
  for (std::size_t k = 0; k < ref.size(); ++k) EXPECT_NEAR(gpu[5 * k + 2], ref[k].value, 1e-4);
}

TEST(CodeletParity, DcGeneratorCurrentsSpikesAndRefractoriness) {
  STARLING_REQUIRE_GPU();
  const observation cpu = dc_driven(backend::cpu);
  EXPECT_GT(cpu.size(), 3000u);
  EXPECT_TRUE(starling::testing::identical(cpu, dc_driven(backend::cuda)));
}

TEST(CodeletParity, PoissonGeneratorCounts) {
  STARLING_REQUIRE_GPU();
  const observation cpu = poisson_driven(backend::cpu);
  EXPECT_TRUE(starling::testing::identical(cpu, poisson_driven(backend::cuda)));
}
