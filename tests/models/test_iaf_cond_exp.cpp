// iaf_cond_exp (RKF45) against closed forms and NEST's semantics.
#include <gtest/gtest.h>

#include <cmath>

#include "codelets/models/iaf_cond_exp.hpp"
#include "common/model_member.hpp"

using m = starling::codelets::models::iaf_cond_exp;

namespace {
using member = starling::testing::model_member<m>;
}  // namespace

TEST(IafCondExp, DefaultsAreNests) {
  member n;
  EXPECT_EQ(n.p[m::g_L], 16.6667);
  EXPECT_EQ(n.p[m::V_reset], -60.0);
  EXPECT_EQ(n.p[m::tau_syn_ex], 0.2);
  EXPECT_EQ(n.s[m::V_m], -70.0);
  EXPECT_FALSE(m::exact_integration);
  EXPECT_EQ(n.c[m::c_refr], 20.0);
}

TEST(IafCondExp, ConstantCurrentRelaxesToClosedForm) {
  member n;
  n.p[m::I_e] = 200.0;  // steady state E_L + I_e / g_L = -58 mV, below V_th
  n.derive();
  for (int i = 0; i < 300; ++i) ASSERT_EQ(n.step(), 0u);
  const double tau = n.p[m::C_m] / n.p[m::g_L];
  const double expected = -70.0 + 200.0 / n.p[m::g_L] * (1.0 - std::exp(-30.0 / tau));
  EXPECT_NEAR(n.s[m::V_m], expected, 1e-3);
  EXPECT_GT(n.s[m::h_step], 0.0);
}

TEST(IafCondExp, ConductanceDecaysExponentially) {
  member n;
  n.step(5.0, -3.0);  // arrivals: g_ex += 5 nS, g_in += 3 nS
  EXPECT_EQ(n.s[m::g_ex], 5.0);
  EXPECT_EQ(n.s[m::g_in], 3.0);
  for (int i = 0; i < 10; ++i) n.step();
  EXPECT_NEAR(n.s[m::g_ex], 5.0 * std::exp(-1.0 / 0.2), 1e-3);
  EXPECT_NEAR(n.s[m::g_in], 3.0 * std::exp(-1.0 / 2.0), 1e-3);
  // Excitation alone depolarises (E_ex above V), inhibition alone hyperpolarises.
  member e;
  e.step(10.0);
  e.step();
  EXPECT_GT(e.s[m::V_m], -70.0);
  member i;
  i.step(0.0, -10.0);
  i.step();
  EXPECT_LT(i.s[m::V_m], -70.0);
}

TEST(IafCondExp, CurrentActsFromTheStepAfterItsArrival) {
  member n;
  n.step(0.0, 0.0, 500.0);
  EXPECT_EQ(n.s[m::V_m], -70.0);
  n.step(0.0, 0.0, 500.0);
  // One step of 500 pA from rest: dV ~ I h / C (1 - h / (2 tau)).
  EXPECT_NEAR(n.s[m::V_m], -70.0 + 500.0 * 0.1 / 250.0, 2e-3);
}

TEST(IafCondExp, SpikeResetsAndClampsForRefractoryPeriod) {
  member n;
  n.p[m::I_e] = 1000.0;
  n.derive();
  int first = -1;
  for (int i = 0; i < 1000 && first < 0; ++i)
    if (n.step()) first = i;
  ASSERT_GE(first, 0);
  EXPECT_EQ(n.s[m::V_m], -60.0);
  // t_ref = 2 ms: V is held at V_reset for 20 more steps, then rises.
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(n.step(), 0u);
    EXPECT_EQ(n.s[m::V_m], -60.0) << "step " << i;
  }
  n.step();
  EXPECT_GT(n.s[m::V_m], -60.0);
}

TEST(IafCondExp, RejectsBadParameters) {
  member n;
  n.p[m::V_reset] = -50.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[m::V_reset] = -60.0;
  n.p[m::C_m] = 0.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[m::C_m] = 250.0;
  n.p[m::tau_syn_in] = -1.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[m::tau_syn_in] = 2.0;
  n.p[m::t_ref] = -0.5;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
}
