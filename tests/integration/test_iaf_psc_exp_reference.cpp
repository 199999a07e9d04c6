// iaf_psc_exp against NEST: the reference trace and NEST's own unit-test expectations, on the
// same time axis.
#include <gtest/gtest.h>

#include <cmath>

#include "common/reference_data.hpp"
#include "starling/simulator.hpp"

using starling::testing::checked_at;
using starling::testing::read_reference;

namespace {

starling::kernel_options cpu(double h = 0.1) {
  starling::kernel_options o;
  o.resolution = h;
  o.where = starling::backend::cpu;
  return o;
}

starling::synapse syn(double w, double d) {
  starling::synapse s;
  s.weight = w;
  s.delay = d;
  return s;
}

/// Value of V_m at time t from a voltmeter's samples (exact time match).
double v_at(const starling::sample_data& s, double t) {
  for (std::size_t k = 0; k < s.time.size(); ++k)
    if (std::abs(s.time[k] - t) < 1e-9) return s.values[0][k];
  ADD_FAILURE() << "no sample at " << t;
  return NAN;
}

/// Simulates one neuron for 8 ms and checks its voltage against a NEST test-suite file (6
/// significant digits) and its single spike against NEST's time.
void expect_nest_single_spike(starling::simulator& sim, const starling::population& n,
                              const char* reference, double spike_time) {
  auto vm = sim.record_states(n, {"V_m"}, 0.1);
  auto sr = sim.record_spikes(n);
  sim.simulate(8.0);
  for (const auto& r : read_reference(reference))
    EXPECT_NEAR(v_at(sim.samples(vm), r.time), r.value, 1e-6 * std::abs(r.value) + 1e-4)
        << reference << ", t = " << r.time;
  ASSERT_EQ(sim.spikes(sr).time.size(), 1u);
  EXPECT_NEAR(sim.spikes(sr).time[0], spike_time, 1e-9);
  EXPECT_EQ(sim.spikes(sr).index[0], 0u);
}

}  // namespace

TEST(IafPscExp, ReproducesNestTraceWithTwoSynapseTypes) {
  starling::simulator sim(cpu());
  auto gen = sim.create("spike_generator", 1, {{"spike_times", std::vector<double>{10.0, 400.0}}});
  auto n = sim.create("iaf_psc_exp", 1);
  sim.connect(gen, n, {"one_to_one"}, syn(1.0, 1.0));
  sim.connect(gen, n, {"one_to_one"}, syn(-2.0, 100.0));
  auto vm = sim.record_states(n, {"V_m"}, 1.0);
  sim.simulate(800.0);
  const auto ref = read_reference("test_iaf_psc_exp_nest.txt");
  const auto& s = sim.samples(vm);
  ASSERT_EQ(s.time.size(), ref.size());
  for (std::size_t k = 0; k < ref.size(); ++k) {
    ASSERT_NEAR(s.time[k], ref[k].time, 1e-9);
    ASSERT_NEAR(s.values[0][k], ref[k].value, 1e-4) << "t = " << ref[k].time;
  }
  // The trace does move: the inputs are not lost.
  EXPECT_GT(v_at(s, 12.0), -70.0 + 1e-4);
  EXPECT_LT(v_at(s, 115.0), -70.0 - 1e-4);
}

TEST(IafPscExp, DcGeneratorWithDelayOfOneStepMatchesNest) {
  starling::simulator sim(cpu());
  auto dc = sim.create("dc_generator", 1, {{"amplitude", 1000.0}});
  auto n = sim.create("iaf_psc_exp", 1);
  sim.connect(dc, n, {"one_to_one"}, syn(1.0, 0.1));
  expect_nest_single_spike(sim, n, "test_iaf_dc_1000pA_expected.csv", 5.0);
}

TEST(IafPscExp, ConstantInputCurrentMatchesNest) {
  starling::simulator sim(cpu());
  auto n = sim.create("iaf_psc_exp", 1, {{"I_e", 1000.0}});
  expect_nest_single_spike(sim, n, "test_iaf_i0_expected.csv", 4.8);
}

class AtResolution : public ::testing::TestWithParam<double> {};

TEST_P(AtResolution, AlignedDcOnsetMatchesNest) {
  const double h = GetParam();
  for (const auto& [start, delay] : {std::pair{2.0, 1.0}, std::pair{3.0 - h, h}}) {
    starling::simulator sim(cpu(h));
    auto dc = sim.create("dc_generator", 1, {{"amplitude", 1000.0}, {"start", start}});
    auto n = sim.create("iaf_psc_exp", 1);
    sim.connect(dc, n, {"one_to_one"}, syn(1.0, delay));
    auto vm = sim.record_states(n, {"V_m"}, h);
    sim.simulate(6.0);
    int checked = 0;
    for (const auto& r : read_reference("test_iaf_dc_aligned_expected.csv")) {
      if (!checked_at(r, h)) continue;
      EXPECT_NEAR(v_at(sim.samples(vm), r.time), r.value, 1e-6 * std::abs(r.value) + 1e-4)
          << "h = " << h << ", start = " << start << ", t = " << r.time;
      ++checked;
    }
    EXPECT_GT(checked, 0);
  }
}

TEST_P(AtResolution, PostSynapticPotentialMatchesClosedForm) {
  // NEST's PSP protocol (spike at 2.0 ms, weight 100 pA, delay 1.0 ms, arrival 3.0 ms) for the
  // exponential current: V(t) = E_L + w/C tau_s tau_m/(tau_m - tau_s) (e^{-u/tau_m} -
  // e^{-u/tau_s}), u = t - 3.0, exact at every grid point of every resolution.
  const double h = GetParam();
  starling::simulator sim(cpu(h));
  auto gen = sim.create("spike_generator", 1,
                        {{"spike_times", std::vector<double>{2.0}}, {"start", 1.0}, {"stop", 3.0}});
  auto n = sim.create("iaf_psc_exp", 1);
  sim.connect(gen, n, {"one_to_one"}, syn(100.0, 1.0));
  auto vm = sim.record_states(n, {"V_m"}, h);
  sim.simulate(7.0);
  const auto& s = sim.samples(vm);
  const double tau_m = 10.0, tau_s = 2.0, c = 250.0, w = 100.0;
  ASSERT_FALSE(s.time.empty());
  for (std::size_t k = 0; k < s.time.size(); ++k) {
    const double u = s.time[k] - 3.0;
    const double expect = u <= 1e-9 ? -70.0
                                    : -70.0 + w / c * tau_s * tau_m / (tau_m - tau_s) *
                                                  (std::exp(-u / tau_m) - std::exp(-u / tau_s));
    EXPECT_NEAR(s.values[0][k], expect, 1e-9) << "h = " << h << ", t = " << s.time[k];
  }
  EXPECT_NEAR(v_at(s, 3.0), -70.0, 1e-12);
}

INSTANTIATE_TEST_SUITE_P(NestResolutions, AtResolution, ::testing::Values(0.1, 0.2, 0.5, 1.0));

TEST(IafPscExp, RefractoryClampsVoltageForTRef) {
  starling::simulator sim(cpu());
  auto n = sim.create("iaf_psc_exp", 1, {{"I_e", 1000.0}, {"t_ref", 3.0}});
  auto vm = sim.record_states(n, {"V_m"}, 0.1);
  auto sr = sim.record_spikes(n);
  sim.simulate(9.0);
  ASSERT_GE(sim.spikes(sr).time.size(), 1u);
  const double t0 = sim.spikes(sr).time[0];
  EXPECT_NEAR(t0, 4.8, 1e-9);
  // 30 steps clamped at V_reset after the spike, then the membrane integrates again.
  for (double t = t0; t <= t0 + 3.0 + 1e-9; t += 0.1)
    EXPECT_DOUBLE_EQ(v_at(sim.samples(vm), t), -70.0);
  EXPECT_NEAR(v_at(sim.samples(vm), t0 + 3.1), -69.602, 1e-3);
}
