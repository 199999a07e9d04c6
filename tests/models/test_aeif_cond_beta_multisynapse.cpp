// aeif_cond_beta_multisynapse (RKF45) against closed forms, NEST's semantics, NEST's LSODAR
// reference and NEST's traces with 2 and 3 receptors.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "codelets/models/aeif_cond_beta_multisynapse.hpp"
#include "common/lsodar.hpp"
#include "common/model_member.hpp"
#include "common/reference_data.hpp"
#include "starling/simulator.hpp"

using m = starling::codelets::models::aeif_cond_beta_multisynapse;

namespace {
struct member : starling::testing::model_member<m> {
  using model_member::model_member;
  void receptors(const std::vector<double>& e_rev, const std::vector<double>& rise,
                 const std::vector<double>& decay) {
    for (std::size_t k = 0; k < e_rev.size(); ++k) {
      p[m::E_rev_1 + k] = e_rev[k];
      p[m::tau_rise_1 + k] = rise[k];
      p[m::tau_decay_1 + k] = decay[k];
    }
    p[m::E_rev_count] = p[m::tau_rise_count] = p[m::tau_decay_count] =
        static_cast<double>(e_rev.size());
  }
  /// One step with `w` arriving on receptor `port` (1 ...).
  std::uint32_t step(int port = 0, double weight = 0.0, double current = 0.0) {
    double input[m::n_channels] = {};
    if (port > 0) input[port - 1] = weight;
    input[m::rec_current] = current;
    return starling::codelets::models::step<m>(s, c, input);
  }
};

using starling::testing::interpolate;
using starling::testing::read_lsodar;

starling::synapse syn(double weight, double delay, int receptor) {
  starling::synapse s;
  s.weight = weight;
  s.delay = delay;
  s.receptor = receptor;
  return s;
}

/// NEST's trace protocol (tests/data README): spikes at 10 and 400 ms through each connection,
/// 800 ms at h = 0.1, V_m every 1 ms, against the reference within 2e-4 mV.
void expect_nest_trace(const char* file, const std::vector<double>& e_rev,
                       const std::vector<double>& rise, const std::vector<double>& decay,
                       const std::vector<starling::synapse>& connections) {
  starling::kernel_options o;
  o.resolution = 0.1;
  o.where = starling::backend::cpu;
  starling::simulator sim(o);
  auto gen = sim.create("spike_generator", 1, {{"spike_times", std::vector<double>{10.0, 400.0}}});
  auto n = sim.create("aeif_cond_beta_multisynapse", 1,
                      {{"V_peak", 0.0},
                       {"a", 4.0},
                       {"b", 80.5},
                       {"E_L", -70.6},
                       {"g_L", 300.0},
                       {"C_m", 281.0},
                       {"V_th", -50.4},
                       {"Delta_T", 2.0},
                       {"tau_w", 144.0},
                       {"V_reset", -60.0},
                       {"t_ref", 0.0},
                       {"E_rev", e_rev},
                       {"tau_rise", rise},
                       {"tau_decay", decay}});
  for (const auto& s : connections) sim.connect(gen, n, {"one_to_one"}, s);
  auto vm = sim.record_states(n, {"V_m"}, 1.0);
  auto sr = sim.record_spikes(n);
  sim.simulate(800.0);
  const auto ref = starling::testing::read_reference(file);
  const auto& s = sim.samples(vm);
  ASSERT_EQ(s.time.size(), ref.size());
  double lowest = 0.0, highest = -1e9;
  for (std::size_t k = 0; k < ref.size(); ++k) {
    ASSERT_NEAR(s.time[k], ref[k].time, 1e-9);
    EXPECT_NEAR(s.values[0][k], ref[k].value, 2e-4) << file << ", t = " << ref[k].time;
    lowest = std::min(lowest, s.values[0][k]);
    highest = std::max(highest, s.values[0][k]);
  }
  EXPECT_TRUE(sim.spikes(sr).time.empty());
  EXPECT_GT(highest - lowest, 1e-3);  // the inputs do move the membrane
}
}  // namespace

TEST(AeifCondBetaMultisynapse, DefaultsAreNests) {
  member n;
  EXPECT_EQ(n.p[m::C_m], 281.0);
  EXPECT_EQ(n.p[m::g_L], 30.0);
  EXPECT_EQ(n.p[m::E_rev_1], 0.0);
  EXPECT_EQ(n.p[m::tau_rise_1], 2.0);
  EXPECT_EQ(n.p[m::tau_decay_1], 20.0);
  EXPECT_EQ(n.p[m::E_rev_count], 1.0);
  EXPECT_EQ(n.p[m::gsl_error_tol], 1e-6);
  EXPECT_EQ(n.s[m::V_m], -70.6);
  EXPECT_STREQ(m::states[m::g_1].name, "g_1");
  EXPECT_EQ(m::n_public_states, 10);
  EXPECT_EQ(m::port_count, m::E_rev_count);
  EXPECT_EQ(m::max_spikes_per_step, 0u);
  EXPECT_FALSE(m::exact_integration);
}

TEST(AeifCondBetaMultisynapse, ConductanceIsABetaFunctionPeakingAtTheWeight) {
  // g(t) = w (e^(-t / tau_d) - e^(-t / tau_r)) / peak, peak at t* = tau_d tau_r ln(tau_d /
  // tau_r) / (tau_d - tau_r); receptor 2 is an alpha function (tau_r = tau_d): w t / tau e^(1 -
  // t / tau).
  member n;
  n.receptors({0.0, -85.0}, {0.5, 2.0}, {3.0, 2.0});
  n.derive();
  const double tr = 0.5, td = 3.0;
  const double t_peak = td * tr * std::log(td / tr) / (td - tr);
  const double peak = std::exp(-t_peak / td) - std::exp(-t_peak / tr);
  n.step(1, 4.0);
  n.step(2, 3.0);
  double g_max = 0.0;
  for (int i = 1; i <= 100; ++i) {
    n.step();
    const double t1 = 0.1 * (i + 1), t2 = 0.1 * i;
    ASSERT_NEAR(n.s[m::g_1], 4.0 * (std::exp(-t1 / td) - std::exp(-t1 / tr)) / peak, 1e-5)
        << "t = " << t1;
    ASSERT_NEAR(n.s[m::g_1 + 1], 3.0 * t2 / 2.0 * std::exp(1.0 - t2 / 2.0), 1e-5) << "t = " << t2;
    g_max = std::max(g_max, n.s[m::g_1]);
  }
  EXPECT_NEAR(g_max, 4.0, 1e-2);
  EXPECT_EQ(n.s[m::g_1 + 2], 0.0);  // receptor 3 is not in use
}

TEST(AeifCondBetaMultisynapse, ReversalPotentialsSetTheSignOfEachReceptor) {
  member up, down, rest;
  for (member* x : {&up, &down, &rest}) {
    x->receptors({0.0, -85.0}, {0.5, 0.5}, {2.0, 2.0});
    x->derive();
  }
  up.step(1, 5.0);
  down.step(2, 5.0);
  rest.step();
  for (int i = 0; i < 20; ++i) up.step(), down.step(), rest.step();
  // Driving forces 70.6 and -14.4 mV: depolarisation about 5 times the hyperpolarisation.
  const double rise = up.s[m::V_m] - rest.s[m::V_m], fall = rest.s[m::V_m] - down.s[m::V_m];
  EXPECT_GT(fall, 0.05);
  EXPECT_NEAR(rise / fall, 70.6 / 14.4, 1.0);
}

TEST(AeifCondBetaMultisynapse, SpikeResetsAddsBAndClampsForTheRefractoryPeriod) {
  member n;
  n.p[m::a] = 0.0;
  n.p[m::t_ref] = 1.5;
  n.p[m::I_e] = 1000.0;
  n.derive();
  int steps = 0;
  while (n.step() == 0) {
    ASSERT_EQ(n.s[m::w], 0.0);
    ASSERT_LT(++steps, 2000);
  }
  EXPECT_EQ(n.s[m::V_m], -60.0);
  EXPECT_LE(n.s[m::w], 80.5);
  EXPECT_GE(n.s[m::w], 80.5 * std::exp(-0.1 / 144.0) - 1e-9);
  for (int i = 0; i < 15; ++i) {
    ASSERT_EQ(n.step(), 0u);
    EXPECT_EQ(n.s[m::V_m], -60.0) << "step " << i;
  }
  n.step();
  EXPECT_GT(n.s[m::V_m], -60.0);
}

TEST(AeifCondBetaMultisynapse, RejectsBadParameters) {
  member n;
  n.receptors({0.0, -85.0}, {1.0, 1.0}, {2.0, 2.0});
  n.derive();
  n.p[m::tau_decay_count] = 1.0;  // lists of different lengths
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[m::tau_decay_count] = 2.0;
  n.p[m::tau_decay_1 + 1] = 0.5;  // decay faster than rise
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[m::tau_decay_1 + 1] = 2.0;
  n.p[m::tau_rise_1] = 0.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[m::tau_rise_1] = 1.0;
  n.p[m::V_reset] = 1.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[m::V_reset] = -60.0;
  n.p[m::gsl_error_tol] = -1.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[m::gsl_error_tol] = 1e-6;
  n.p[m::E_rev_count] = n.p[m::tau_rise_count] = n.p[m::tau_decay_count] = 9.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  try {
    starling::kernel_options o;
    o.where = starling::backend::cpu;
    starling::simulator sim(o);
    sim.create("aeif_cond_beta_multisynapse", 1,
               {{"E_rev", std::vector<double>{0.0, -85.0}},
                {"tau_rise", std::vector<double>{1.0, 1.0}},
                {"tau_decay", std::vector<double>{2.0}}});
    FAIL() << "lists of different lengths accepted";
  } catch (const starling::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("aeif_cond_beta_multisynapse"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("tau_decay"), std::string::npos) << e.what();
  }
}

TEST(AeifCondBetaMultisynapse, MatchesNestLsodarReference) {
  // NEST's test_aeif_lsodar.py (one default receptor, no input): h = 0.01 ms, I_e only, mean
  // relative error < 5e-4 for V_m (samples above (V_th + V_peak) / 2 left out), < 1e-4 for w.
  const auto ref = read_lsodar();
  ASSERT_GT(ref.size(), 1000u);
  member n(0.01);
  n.p[m::V_reset] = -58.0;
  n.p[m::V_th] = -50.0;
  n.p[m::I_e] = 420.0;
  n.p[m::g_L] = 11.0;
  n.p[m::tau_w] = 300.0;
  n.p[m::E_L] = -70.0;
  n.p[m::a] = 3.0;
  n.p[m::b] = 0.0;
  n.p[m::C_m] = 200.0;
  n.derive();
  n.s[m::V_m] = -70.0;
  n.s[m::w] = 5.0;
  double sum_v = 0.0, sum_w = 0.0;
  int count_v = 0, count_w = 0;
  std::vector<double> spikes;
  for (int i = 1; i < 10000; ++i) {
    if (n.step()) spikes.push_back(0.01 * i);
    const double t = 0.01 * i;
    if (t > ref.back()[0]) break;
    const double v = interpolate(ref, t, 1), w = interpolate(ref, t, 2);
    if (n.s[m::V_m] <= -25.0) sum_v += std::fabs(n.s[m::V_m] - v) / std::fabs(v), ++count_v;
    sum_w += std::fabs(n.s[m::w] - w) / std::fabs(w), ++count_w;
  }
  EXPECT_LT(sum_v / count_v, 5e-4);
  EXPECT_LT(sum_w / count_w, 1e-4);
  const double resets[] = {18.72, 30.56, 42.50, 54.52, 66.63, 78.82, 91.10};
  ASSERT_EQ(spikes.size(), 7u);
  for (int k = 0; k < 7; ++k) EXPECT_NEAR(spikes[k], resets[k], 0.02) << "spike " << k;
}

TEST(AeifCondBetaMultisynapse, ReproducesNestTraceWithTwoReceptors) {
  expect_nest_trace("test_aeif_cond_beta_nest.txt", {20.0, -85.0}, {20.0, 5.0}, {40.0, 20.0},
                    {syn(0.1, 1.0, 1), syn(0.2, 100.0, 2)});
}

TEST(AeifCondBetaMultisynapse, ReproducesNestTraceWithThreeReceptors) {
  expect_nest_trace("test_aeif_cond_beta_multisynapse_nest.txt", {20.0, 0.0, -85.0},
                    {20.0, 10.0, 5.0}, {40.0, 20.0, 30.0},
                    {syn(0.1, 1.0, 1), syn(0.2, 100.0, 2), syn(0.5, 130.0, 3)});
}
