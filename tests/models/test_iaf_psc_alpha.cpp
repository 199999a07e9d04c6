// iaf_psc_alpha: propagators and responses against closed forms, NEST's semantics.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "codelets/models/iaf_psc_alpha.hpp"
#include "common/model_member.hpp"
#include "starling/error.hpp"

namespace models = starling::codelets::models;
using m = models::iaf_psc_alpha;

namespace {

using member = starling::testing::model_member<m>;

/// V - E_L at t after a spike of weight w (alpha current w t/tau_s e^{1 - t/tau_s}) from rest.
double psp(double w, double t, double tau_s, double tau_m, double c_m) {
  const double k = w * m::e / (tau_s * c_m);
  const double a = 1.0 / tau_s - 1.0 / tau_m;
  if (a == 0.0) return k * std::exp(-t / tau_m) * t * t / 2.0;
  return k * std::exp(-t / tau_m) * (1.0 - std::exp(-a * t) * (1.0 + a * t)) / (a * a);
}

}  // namespace

TEST(IafPscAlpha, DefaultsAreNests) {
  member n;
  EXPECT_EQ(n.p[m::E_L], -70.0);
  EXPECT_EQ(n.p[m::C_m], 250.0);
  EXPECT_EQ(n.p[m::tau_m], 10.0);
  EXPECT_EQ(n.p[m::t_ref], 2.0);
  EXPECT_EQ(n.p[m::V_th], -55.0);
  EXPECT_EQ(n.p[m::V_reset], -70.0);
  EXPECT_EQ(n.p[m::V_min], -std::numeric_limits<double>::infinity());
  EXPECT_EQ(n.p[m::tau_syn_ex], 2.0);
  EXPECT_EQ(n.p[m::tau_syn_in], 2.0);
  EXPECT_EQ(n.p[m::I_e], 0.0);
  EXPECT_EQ(n.c[m::c_refr], 20.0);
}

TEST(IafPscAlpha, CurrentPeaksAtWeightAfterTauSyn) {
  member n;
  n.step(100.0);                          // arrives at the end of step 0
  for (int k = 0; k < 20; ++k) n.step();  // t = 2 ms = tau_syn_ex
  EXPECT_NEAR(n.s[m::I_syn_ex], 100.0, 1e-12);
  n.step();
  EXPECT_LT(n.s[m::I_syn_ex], 100.0);
}

TEST(IafPscAlpha, PostSynapticPotentialMatchesClosedForm) {
  for (double tau_s : {0.5, 2.0, 10.0}) {  // 10: the singular case tau_syn == tau_m
    member n;
    n.p[m::tau_syn_ex] = tau_s;
    n.derive();
    n.step(200.0);
    double worst = 0.0, peak = 0.0;
    for (int k = 1; k <= 600; ++k) {
      n.step();
      const double v = n.s[m::V_m] + 70.0;
      worst = std::fmax(worst, std::fabs(v - psp(200.0, 0.1 * k, tau_s, 10.0, 250.0)));
      peak = std::fmax(peak, v);
    }
    EXPECT_LT(worst, 1e-12) << "tau_syn_ex = " << tau_s;
    EXPECT_GT(peak, 0.1) << "tau_syn_ex = " << tau_s;
  }
}

TEST(IafPscAlpha, SingularPropagatorIsTheLimit) {
  const auto equal = models::alpha_propagator(10.0, 10.0, 250.0, 0.1);
  EXPECT_DOUBLE_EQ(equal.p32, 0.1 / 250.0 * std::exp(-0.01));
  EXPECT_DOUBLE_EQ(equal.p31, 0.5 * 0.1 * 0.1 / 250.0 * std::exp(-0.01));
  const auto near = models::alpha_propagator(10.0 + 1e-6, 10.0, 250.0, 0.1);
  EXPECT_NEAR(near.p32, equal.p32, 1e-12);
  EXPECT_NEAR(near.p31, equal.p31, 1e-12);
}

TEST(IafPscAlpha, InhibitionHyperpolarises) {
  member n;
  n.step(0.0, -100.0);
  for (int k = 0; k < 30; ++k) n.step();
  EXPECT_NEAR(n.s[m::V_m] + 70.0, -psp(100.0, 3.0, 2.0, 10.0, 250.0), 1e-12);
  EXPECT_LT(n.s[m::I_syn_in], 0.0);
}

TEST(IafPscAlpha, CurrentActsFromTheStepAfterItsArrival) {
  member n;
  n.step(0.0, 0.0, 100.0);
  EXPECT_EQ(n.s[m::V_m], -70.0);
  for (int k = 0; k < 100; ++k) n.step(0.0, 0.0, 100.0);
  // V(t) = E_L + I R (1 - exp(-t/tau_m)), R = tau_m / C, t = 10 ms.
  EXPECT_NEAR(n.s[m::V_m], -70.0 + 100.0 * 10.0 / 250.0 * (1 - std::exp(-1.0)), 1e-12);
}

TEST(IafPscAlpha, RefractoryPeriodClampsForTrefSteps) {
  member n;
  n.p[m::I_e] = 1000.0;
  n.p[m::V_reset] = -65.0;
  n.derive();
  int first = -1, second = -1;
  for (int k = 0; k < 200 && second < 0; ++k) {
    if (n.step()) {
      (first < 0 ? first : second) = k;
      EXPECT_EQ(n.s[m::V_m], -65.0);
    }
    if (first >= 0 && second < 0 && k > first && k <= first + 20) {
      EXPECT_EQ(n.s[m::V_m], -65.0);
    }
  }
  ASSERT_GT(first, 0);
  // 20 clamped steps, then V rises from V_reset under 1000 pA (R I = 40 mV): from 5 to 15 mV
  // above E_L takes tau_m ln(35 / 25) = 3.36 ms, crossed at the 34th step.
  EXPECT_EQ(first + 1, static_cast<int>(std::ceil(10.0 * std::log(40.0 / 25.0) / 0.1)));
  EXPECT_EQ(second - first, 20 + static_cast<int>(std::ceil(10.0 * std::log(35.0 / 25.0) / 0.1)));
}

TEST(IafPscAlpha, VminBoundsTheMembrane) {
  member n;
  n.p[m::V_min] = -71.0;
  n.derive();
  n.step(0.0, -5000.0);
  for (int k = 0; k < 50; ++k) n.step();
  EXPECT_NEAR(n.s[m::V_m], -71.0, 1e-12);
}

TEST(IafPscAlpha, RejectsBadParameters) {
  auto refused = [](int k, double x, const char* what) {
    member n;
    n.p[k] = x;
    try {
      n.derive();
      ADD_FAILURE() << what << " accepted";
    } catch (const starling::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("iaf_psc_alpha"), std::string::npos) << e.what();
    }
  };
  refused(m::C_m, 0.0, "C_m");
  refused(m::tau_m, -1.0, "tau_m");
  refused(m::tau_syn_ex, 0.0, "tau_syn_ex");
  refused(m::tau_syn_in, -2.0, "tau_syn_in");
  refused(m::t_ref, -0.1, "t_ref");
  refused(m::V_reset, -55.0, "V_reset");
}
