// iaf_cond_alpha (RKF45) against closed forms and NEST's semantics.
#include <gtest/gtest.h>

#include <cmath>

#include "codelets/models/iaf_cond_alpha.hpp"
#include "common/model_member.hpp"

using m = starling::codelets::models::iaf_cond_alpha;

namespace {
using member = starling::testing::model_member<m>;
}  // namespace

TEST(IafCondAlpha, DefaultsAreNests) {
  member n;
  EXPECT_EQ(n.p[m::g_L], 16.6667);
  EXPECT_EQ(n.p[m::E_in], -85.0);
  EXPECT_EQ(n.p[m::tau_syn_in], 2.0);
  EXPECT_EQ(n.s[m::V_m], -70.0);
  EXPECT_EQ(n.s[m::dg_ex], 0.0);
  EXPECT_FALSE(m::exact_integration);
}

TEST(IafCondAlpha, ConductanceIsAnAlphaFunctionPeakingAtTheWeight) {
  // g(t) = w t / tau e^(1 - t / tau): peak w at t = tau.
  member n;
  n.p[m::tau_syn_ex] = 1.0;
  n.p[m::tau_syn_in] = 3.0;
  n.derive();
  n.step(4.0, -2.0);
  EXPECT_EQ(n.s[m::g_ex], 0.0);
  EXPECT_DOUBLE_EQ(n.s[m::dg_ex], 4.0 * std::exp(1.0) / 1.0);
  EXPECT_DOUBLE_EQ(n.s[m::dg_in], 2.0 * std::exp(1.0) / 3.0);
  double peak = 0.0;
  int peak_step = 0;
  for (int i = 1; i <= 60; ++i) {
    n.step();
    const double t = 0.1 * i;
    EXPECT_NEAR(n.s[m::g_ex], 4.0 * t * std::exp(1.0 - t), 2e-3) << "t = " << t;
    EXPECT_NEAR(n.s[m::g_in], 2.0 * t / 3.0 * std::exp(1.0 - t / 3.0), 2e-3) << "t = " << t;
    if (n.s[m::g_ex] > peak) peak = n.s[m::g_ex], peak_step = i;
  }
  EXPECT_EQ(peak_step, 10);
  EXPECT_NEAR(peak, 4.0, 1e-3);
}

TEST(IafCondAlpha, ConstantCurrentRelaxesToClosedForm) {
  member n;
  n.p[m::I_e] = 200.0;
  n.derive();
  for (int i = 0; i < 300; ++i) ASSERT_EQ(n.step(), 0u);
  const double tau = n.p[m::C_m] / n.p[m::g_L];
  EXPECT_NEAR(n.s[m::V_m], -70.0 + 200.0 / n.p[m::g_L] * (1.0 - std::exp(-30.0 / tau)), 1e-3);
}

TEST(IafCondAlpha, SpikeResetsAndClampsForRefractoryPeriod) {
  member n;
  n.p[m::I_e] = 1000.0;
  n.p[m::t_ref] = 3.0;
  n.derive();
  int first = -1;
  for (int i = 0; i < 1000 && first < 0; ++i)
    if (n.step()) first = i;
  ASSERT_GE(first, 0);
  for (int i = 0; i < 30; ++i) {
    ASSERT_EQ(n.step(), 0u);
    EXPECT_EQ(n.s[m::V_m], -60.0) << "step " << i;
  }
  n.step();
  EXPECT_GT(n.s[m::V_m], -60.0);
}

TEST(IafCondAlpha, RejectsBadParameters) {
  member n;
  n.p[m::V_reset] = -55.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[m::V_reset] = -60.0;
  n.p[m::tau_syn_ex] = 0.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[m::tau_syn_ex] = 0.2;
  n.p[m::C_m] = -1.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
}
