// aeif_psc_alpha (RKF45) against closed forms and NEST's semantics.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "codelets/models/aeif_psc_alpha.hpp"
#include "common/model_member.hpp"
#include "starling/error.hpp"

using m = starling::codelets::models::aeif_psc_alpha;

namespace {
using member = starling::testing::model_member<m>;

using starling::testing::throws_naming;
}  // namespace

TEST(AeifPscAlpha, DefaultsAreNests) {
  member n;
  EXPECT_EQ(n.p[m::C_m], 281.0);
  EXPECT_EQ(n.p[m::g_L], 30.0);
  EXPECT_EQ(n.p[m::E_L], -70.6);
  EXPECT_EQ(n.p[m::V_th], -50.4);
  EXPECT_EQ(n.p[m::V_peak], 0.0);
  EXPECT_EQ(n.p[m::V_reset], -60.0);
  EXPECT_EQ(n.p[m::Delta_T], 2.0);
  EXPECT_EQ(n.p[m::a], 4.0);
  EXPECT_EQ(n.p[m::b], 80.5);
  EXPECT_EQ(n.p[m::tau_w], 144.0);
  EXPECT_EQ(n.p[m::t_ref], 0.0);
  EXPECT_EQ(n.p[m::gsl_error_tol], 1e-6);
  EXPECT_EQ(n.s[m::V_m], -70.6);
  EXPECT_EQ(n.s[m::w], 0.0);
  EXPECT_FALSE(m::exact_integration);
}

TEST(AeifPscAlpha, RestIsAFixedPoint) {
  member n;
  for (int i = 0; i < 100; ++i) ASSERT_EQ(n.step(), 0u);
  // the exponential term g_L Delta_T exp((E_L - V_th) / Delta_T) is ~2e-3 pA: tiny drift only
  EXPECT_NEAR(n.s[m::V_m], -70.6, 1e-3);
}

TEST(AeifPscAlpha, WithoutExponentialConstantCurrentRelaxesToClosedForm) {
  // Delta_T = 0, a = 0: a leaky integrator, V = E_L + I/g_L (1 - exp(-t/tau_m)).
  member n;
  n.p[m::Delta_T] = 0.0;
  n.p[m::a] = 0.0;
  n.p[m::I_e] = 300.0;
  n.derive();
  const double tau = 281.0 / 30.0;
  for (int i = 1; i <= 200; ++i) {
    ASSERT_EQ(n.step(), 0u);
    ASSERT_NEAR(n.s[m::V_m], -70.6 + 10.0 * (1.0 - std::exp(-0.1 * i / tau)), 1e-4) << i;
  }
}

TEST(AeifPscAlpha, AdaptationReachesSteadyState) {
  // Delta_T = 0: V = E_L + I / (g_L + a), w = a (V - E_L).
  member n;
  n.p[m::Delta_T] = 0.0;
  n.p[m::I_e] = 200.0;
  n.derive();
  for (int i = 0; i < 20000; ++i) ASSERT_EQ(n.step(), 0u);
  EXPECT_NEAR(n.s[m::V_m], -70.6 + 200.0 / 34.0, 1e-4);
  EXPECT_NEAR(n.s[m::w], 4.0 * 200.0 / 34.0, 1e-4);
}

TEST(AeifPscAlpha, SpikeResetsAndIncrementsAdaptation) {
  member n;
  n.p[m::I_e] = 2000.0;
  n.p[m::t_ref] = 2.0;
  n.derive();
  int first = -1;
  double w_before = 0.0;
  for (int i = 0; i < 1000 && first < 0; ++i) {
    w_before = n.s[m::w];
    if (n.step()) first = i;
  }
  ASSERT_GE(first, 0);
  EXPECT_EQ(n.s[m::V_m], -60.0);
  EXPECT_GT(n.s[m::w], w_before + 80.5 - 1.0);
  EXPECT_LT(n.s[m::w], w_before + 80.5 + 1.0);
  // t_ref = 2 ms: V_m stays at V_reset for the 20 steps after the spike step
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(n.step(), 0u);
    ASSERT_EQ(n.s[m::V_m], -60.0) << i;
  }
  n.step();
  EXPECT_GT(n.s[m::V_m], -60.0);
}

TEST(AeifPscAlpha, SeveralSpikesPerStepWithoutRefractoriness) {
  member n;
  n.p[m::I_e] = 1e5;
  n.p[m::b] = 0.0;
  n.p[m::a] = 0.0;
  n.derive(1.0);
  std::uint32_t total = 0, most = 0;
  for (int i = 0; i < 20; ++i) {
    const std::uint32_t k = n.step();
    total += k;
    most = k > most ? k : most;
  }
  EXPECT_GT(most, 1u);
  EXPECT_EQ(m::max_spikes_per_step, 0u);
}

TEST(AeifPscAlpha, InvalidParametersAreRejected) {
  {
    member n;
    n.p[m::V_reset] = 1.0;
    EXPECT_TRUE(throws_naming(n, "V_reset"));
  }
  {
    member n;
    n.p[m::V_peak] = -55.0;
    EXPECT_TRUE(throws_naming(n, "V_peak"));
  }
  {
    member n;
    n.p[m::Delta_T] = -1.0;
    EXPECT_TRUE(throws_naming(n, "Delta_T"));
  }
  {
    member n;
    n.p[m::Delta_T] = 0.01;
    n.p[m::V_peak] = 100.0;
    EXPECT_TRUE(throws_naming(n, "Delta_T"));
  }
  {
    member n;
    n.p[m::C_m] = 0.0;
    EXPECT_TRUE(throws_naming(n, "C_m"));
  }
  {
    member n;
    n.p[m::t_ref] = -1.0;
    EXPECT_TRUE(throws_naming(n, "t_ref"));
  }
  {
    member n;
    n.p[m::tau_w] = 0.0;
    EXPECT_TRUE(throws_naming(n, "tau_w"));
  }
  {
    member n;
    n.p[m::gsl_error_tol] = 0.0;
    EXPECT_TRUE(throws_naming(n, "gsl_error_tol"));
  }
  {
    member n;
    n.p[m::tau_syn_ex] = 0.0;
    EXPECT_TRUE(throws_naming(n, "tau_syn_ex"));
  }
  {
    member n;
    n.p[m::tau_syn_in] = -1.0;
    EXPECT_TRUE(throws_naming(n, "tau_syn_in"));
  }
}

TEST(AeifPscAlpha, SynapticCurrentIsAnAlphaFunctionPeakingAtTheWeight) {
  // I(t) = w t / tau e^(1 - t / tau): peak w at t = tau.
  member n;
  n.p[m::tau_syn_ex] = 1.0;
  n.p[m::tau_syn_in] = 3.0;
  n.derive();
  n.step(40.0, -20.0);
  EXPECT_EQ(n.s[m::I_syn_ex], 0.0);
  EXPECT_DOUBLE_EQ(n.s[m::dI_syn_ex], 40.0 * std::exp(1.0));
  EXPECT_DOUBLE_EQ(n.s[m::dI_syn_in], 20.0 * std::exp(1.0) / 3.0);
  double peak = 0.0;
  int peak_step = 0;
  for (int i = 1; i <= 60; ++i) {
    n.step();
    const double t = 0.1 * i;
    ASSERT_NEAR(n.s[m::I_syn_ex], 40.0 * t * std::exp(1.0 - t), 1e-4) << t;
    ASSERT_NEAR(n.s[m::I_syn_in], 20.0 * t / 3.0 * std::exp(1.0 - t / 3.0), 1e-4) << t;
    if (n.s[m::I_syn_ex] > peak) peak = n.s[m::I_syn_ex], peak_step = i;
  }
  EXPECT_EQ(peak_step, 10);
  EXPECT_NEAR(peak, 40.0, 1e-4);
}
