// hh_psc_alpha (RKF45) against closed forms and NEST's semantics.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "codelets/models/hh_psc_alpha.hpp"
#include "common/model_member.hpp"

using m = starling::codelets::models::hh_psc_alpha;

namespace {
using member = starling::testing::model_member<m>;
}  // namespace

TEST(HhPscAlpha, DefaultsAreNestsSteadyState) {
  member n;
  EXPECT_EQ(n.p[m::g_Na], 12000.0);
  EXPECT_EQ(n.p[m::E_L], -54.402);
  EXPECT_EQ(n.s[m::V_m], -65.0);
  // Gating variables at their steady state alpha / (alpha + beta) at -65 mV.
  const double v = -65.0;
  const double am = 0.1 * (v + 40.) / (1. - std::exp(-(v + 40.) / 10.));
  const double bm = 4. * std::exp(-(v + 65.) / 18.);
  const double ah = 0.07 * std::exp(-(v + 65.) / 20.);
  const double bh = 1. / (1. + std::exp(-(v + 35.) / 10.));
  const double an = 0.01 * (v + 55.) / (1. - std::exp(-(v + 55.) / 10.));
  const double bn = 0.125 * std::exp(-(v + 65.) / 80.);
  EXPECT_DOUBLE_EQ(n.s[m::Act_m], am / (am + bm));
  EXPECT_DOUBLE_EQ(n.s[m::Inact_h], ah / (ah + bh));
  EXPECT_DOUBLE_EQ(n.s[m::Act_n], an / (an + bn));
}

TEST(HhPscAlpha, RestsNearMinusSixtyFive) {
  member n;
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(n.step(), 0u);
  EXPECT_NEAR(n.s[m::V_m], -65.0, 0.1);
  EXPECT_NE(n.s[m::V_m], -65.0);
}

TEST(HhPscAlpha, SynapticCurrentsAreAlphaFunctionsPeakingAtTheWeight) {
  // I(t) = w t / tau e^(1 - t / tau); inhibitory weights keep their sign.
  member n;
  n.step(300.0, -100.0);
  for (int i = 1; i <= 40; ++i) {
    n.step();
    const double t = 0.1 * i;
    EXPECT_NEAR(n.s[m::I_syn_ex], 300.0 * t / 0.2 * std::exp(1.0 - t / 0.2), 1e-3) << t;
    EXPECT_NEAR(n.s[m::I_syn_in], -100.0 * t / 2.0 * std::exp(1.0 - t / 2.0), 1e-3) << t;
  }
}

TEST(HhPscAlpha, SpikesAfterThePeakAboveZeroThenRefractory) {
  member n;
  n.p[m::I_e] = 800.0;
  n.derive();
  int spikes = 0, last = -1000, min_gap = 1 << 30;
  for (int i = 0; i < 3000; ++i) {
    const double u_old = n.s[m::V_m];
    const std::uint32_t k = n.step();
    if (k) {
      // V_m at or above 0 mV and below the step before: the peak has passed.
      EXPECT_GE(n.s[m::V_m], 0.0);
      EXPECT_LT(n.s[m::V_m], u_old);
      if (last >= 0) min_gap = std::min(min_gap, i - last);
      last = i;
      ++spikes;
    }
  }
  EXPECT_GT(spikes, 10);
  EXPECT_GT(min_gap, 20);  // t_ref = 2 ms
}

TEST(HhPscAlpha, RejectsBadParameters) {
  member n;
  n.p[m::g_K] = -1.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[m::g_K] = 3600.0;
  n.p[m::tau_syn_in] = 0.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[m::tau_syn_in] = 2.0;
  n.p[m::C_m] = 0.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
}
