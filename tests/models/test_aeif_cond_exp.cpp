// aeif_cond_exp (RKF45) against closed forms and NEST's semantics (with
// aeif_cond_alpha: test_aeif_cond.cpp).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "codelets/models/aeif_cond_exp.hpp"
#include "common/model_member.hpp"

using m = starling::codelets::models::aeif_cond_exp;

namespace {
using member = starling::testing::model_member<m>;
}  // namespace

TEST(AeifCondExp, DefaultsAreNests) {
  EXPECT_EQ(m::n_public_states, 4);
  member n;
  EXPECT_EQ(n.p[m::C_m], 281.0);
  EXPECT_EQ(n.p[m::g_L], 30.0);
  EXPECT_EQ(n.p[m::V_th], -50.4);
  EXPECT_EQ(n.p[m::b], 80.5);
  EXPECT_EQ(n.p[m::tau_syn_ex], 0.2);
  EXPECT_EQ(n.p[m::E_in], -85.0);
  EXPECT_EQ(n.p[m::gsl_error_tol], 1e-6);
  EXPECT_EQ(n.s[m::V_m], -70.6);
  EXPECT_EQ(n.s[m::w], 0.0);
  EXPECT_FALSE(m::exact_integration);
  EXPECT_FALSE(m::threshold_sees_input);
  EXPECT_EQ(m::max_spikes_per_step, 0u);
}

TEST(AeifCondExp, WithoutExponentialAndAdaptationIsALeakyIntegrator) {
  // Delta_T = 0, a = b = 0: V(t) = E_L + I_e / g_L (1 - exp(-t g_L / C_m)).
  member n;
  n.p[m::Delta_T] = 0.0;
  n.p[m::a] = 0.0;
  n.p[m::b] = 0.0;
  n.p[m::I_e] = 500.0;
  n.derive();
  const double tau = 281.0 / 30.0;
  for (int i = 1; i <= 500; ++i) {
    ASSERT_EQ(n.step(), 0u);
    const double t = 0.1 * i;
    ASSERT_NEAR(n.s[m::V_m], -70.6 + 500.0 / 30.0 * (1.0 - std::exp(-t / tau)), 1e-5)
        << "t = " << t;
  }
  EXPECT_EQ(n.s[m::w], 0.0);
}

TEST(AeifCondExp, ConductanceJumpsByTheWeightAndDecaysExponentially) {
  // g(t) = w e^(-t / tau); inhibition through -weight.
  member n;
  n.p[m::tau_syn_ex] = 1.0;
  n.p[m::tau_syn_in] = 3.0;
  n.derive();
  n.step(4.0, -2.0);
  EXPECT_EQ(n.s[m::g_ex], 4.0);
  EXPECT_EQ(n.s[m::g_in], 2.0);
  for (int i = 1; i <= 60; ++i) {
    n.step();
    const double t = 0.1 * i;
    EXPECT_NEAR(n.s[m::g_ex], 4.0 * std::exp(-t), 1e-5) << "t = " << t;
    EXPECT_NEAR(n.s[m::g_in], 2.0 * std::exp(-t / 3.0), 1e-5) << "t = " << t;
  }
}
