// iaf_cond_beta (RKF45) against closed forms and NEST's semantics.
#include <gtest/gtest.h>

#include <cmath>

#include "codelets/models/iaf_cond_beta.hpp"
#include "common/model_member.hpp"

using m = starling::codelets::models::iaf_cond_beta;

namespace {
using member = starling::testing::model_member<m>;
}  // namespace

TEST(IafCondBeta, DefaultsAreNests) {
  member n;
  EXPECT_EQ(n.p[m::tau_rise_ex], 0.2);
  EXPECT_EQ(n.p[m::tau_decay_ex], 0.2);
  EXPECT_EQ(n.p[m::tau_rise_in], 2.0);
  EXPECT_EQ(n.p[m::tau_decay_in], 2.0);
  EXPECT_EQ(n.s[m::V_m], -70.0);
  // Equal rise and decay: the alpha function's normalisation e / tau.
  EXPECT_DOUBLE_EQ(n.c[m::c_psc_ex], std::exp(1.0) / 0.2);
}

TEST(IafCondBeta, ConductanceIsADifferenceOfExponentialsPeakingAtTheWeight) {
  // g(t) = w (e^(-t/tau_d) - e^(-t/tau_r)) / (e^(-t*/tau_d) - e^(-t*/tau_r)),
  // t* = tau_d tau_r ln(tau_d / tau_r) / (tau_d - tau_r).
  member n;
  const double tr = 0.5, td = 3.0, w = 5.0;
  n.p[m::tau_rise_ex] = tr;
  n.p[m::tau_decay_ex] = td;
  n.derive();
  const double t_peak = td * tr * std::log(td / tr) / (td - tr);
  const double peak_value = std::exp(-t_peak / td) - std::exp(-t_peak / tr);
  n.step(w);
  double peak = 0.0;
  for (int i = 1; i <= 100; ++i) {
    n.step();
    const double t = 0.1 * i;
    EXPECT_NEAR(n.s[m::g_ex], w * (std::exp(-t / td) - std::exp(-t / tr)) / peak_value, 2e-3)
        << "t = " << t;
    peak = std::fmax(peak, n.s[m::g_ex]);
  }
  EXPECT_NEAR(peak, w, 0.01);  // sampled every 0.1 ms near t* = 1.075 ms
}

TEST(IafCondBeta, InhibitoryWeightRaisesTheInhibitoryConductance) {
  member n;
  n.step(0.0, -4.0);
  EXPECT_GT(n.s[m::dg_in], 0.0);
  for (int i = 0; i < 20; ++i) n.step();
  // tau_rise_in = tau_decay_in = 2: the alpha function, peak 4 nS at t = 2 ms.
  EXPECT_NEAR(n.s[m::g_in], 4.0, 1e-3);
  EXPECT_LT(n.s[m::V_m], -70.0);
}

TEST(IafCondBeta, SpikeResetsAndClampsForRefractoryPeriod) {
  member n;
  n.p[m::I_e] = 1000.0;
  n.derive();
  int first = -1;
  for (int i = 0; i < 1000 && first < 0; ++i)
    if (n.step()) first = i;
  ASSERT_GE(first, 0);
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(n.step(), 0u);
    EXPECT_EQ(n.s[m::V_m], -60.0) << "step " << i;
  }
}

TEST(IafCondBeta, RejectsBadParameters) {
  member n;
  n.p[m::tau_decay_in] = -2.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[m::tau_decay_in] = 2.0;
  n.p[m::t_ref] = -1.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
}
