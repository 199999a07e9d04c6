// izhikevich: NEST's Euler steps (both schemes), jumps seen by the threshold, reset, bounds.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "codelets/models/izhikevich.hpp"
#include "common/model_member.hpp"
#include "starling/error.hpp"

namespace models = starling::codelets::models;
using m = models::izhikevich;

namespace {

using member = starling::testing::model_member<m>;

double dv(double v, double u, double i) { return 0.04 * v * v + 5.0 * v + 140.0 - u + i; }

}  // namespace

TEST(Izhikevich, DefaultsAreNests) {
  member n;
  EXPECT_EQ(n.p[m::p_a], 0.02);
  EXPECT_EQ(n.p[m::p_b], 0.2);
  EXPECT_EQ(n.p[m::p_c], -65.0);
  EXPECT_EQ(n.p[m::p_d], 8.0);
  EXPECT_EQ(n.p[m::V_th], 30.0);
  EXPECT_EQ(n.p[m::V_min], -std::numeric_limits<double>::max());
  EXPECT_EQ(n.p[m::I_e], 0.0);
  EXPECT_EQ(n.p[m::consistent_integration], 1.0);
  EXPECT_EQ(n.s[m::V_m], -65.0);
  EXPECT_EQ(n.s[m::U_m], -13.0);
}

TEST(Izhikevich, ConsistentStepIsForwardEuler) {
  member n;
  n.p[m::I_e] = 4.0;
  n.derive();
  n.s[m::V_m] = -60.0;
  n.s[m::U_m] = -10.0;
  n.step(1.5);
  // V += h dV(V0, U0) + w, U += h a (b V0 - U0): -60 + 0.1 (144 - 300 + 140 + 10 + 4) + 1.5.
  EXPECT_NEAR(n.s[m::V_m], -60.0 + 0.1 * (-2.0) + 1.5, 1e-13);
  EXPECT_NEAR(n.s[m::U_m], -10.0 + 0.1 * 0.02 * (0.2 * -60.0 + 10.0), 1e-15);
}

TEST(Izhikevich, PublishedSchemeTakesTwoHalfStepsThenUFromTheNewV) {
  member n;
  n.p[m::consistent_integration] = 0.0;
  n.p[m::I_e] = 4.0;
  n.derive(1.0);
  n.s[m::V_m] = -55.0;
  n.s[m::U_m] = -10.0;
  n.step(2.0);
  double v = -55.0;
  v += 0.5 * dv(v, -10.0, 4.0 + 2.0);
  v += 0.5 * dv(v, -10.0, 4.0 + 2.0);
  EXPECT_NEAR(n.s[m::V_m], v, 1e-12);
  EXPECT_NEAR(n.s[m::U_m], -10.0 + 0.02 * (0.2 * v + 10.0), 1e-12);
  EXPECT_GT(std::fabs(v - (-55.0 + 1.0 * dv(-55.0, -10.0, 6.0))), 0.1);  // not one Euler step
}

TEST(Izhikevich, ThresholdSeesTheStepsJumpThenResets) {
  member n;                     // V = -65, U = -13: dV = -3 mV/ms
  ASSERT_EQ(n.step(95.0), 0u);  // -65.3 + 95 = 29.7 < 30
  n = member();
  ASSERT_EQ(n.step(95.4), 1u);  // 30.1 >= 30
  EXPECT_EQ(n.s[m::V_m], -65.0);
  EXPECT_NEAR(n.s[m::U_m], -13.0 + 8.0, 1e-13);
}

TEST(Izhikevich, RelaxesToTheStableFixedPoint) {
  // Without input: 0.04 V^2 + (5 - b) V + 140 = 0, V = -70 (stable) or -50, U = b V.
  member n;
  for (int k = 0; k < 20000; ++k) ASSERT_EQ(n.step(), 0u);
  EXPECT_NEAR(n.s[m::V_m], -70.0, 1e-9);
  EXPECT_NEAR(n.s[m::U_m], -14.0, 1e-9);
}

TEST(Izhikevich, CurrentActsFromTheStepAfterItsArrival) {
  member n;
  n.s[m::V_m] = -70.0;
  n.s[m::U_m] = -14.0;
  n.step(0.0, 10.0);
  EXPECT_NEAR(n.s[m::V_m], -70.0, 1e-12);
  n.step();
  EXPECT_NEAR(n.s[m::V_m], -70.0 + 0.1 * 10.0, 1e-12);
}

TEST(Izhikevich, VminBoundsTheMembrane) {
  member n;
  n.p[m::V_min] = -80.0;
  n.derive();
  n.step(-50.0);
  EXPECT_EQ(n.s[m::V_m], -80.0);
}

TEST(Izhikevich, RejectsANonBooleanSchemeFlag) {
  member n;
  n.p[m::consistent_integration] = 2.0;
  try {
    n.derive();
    ADD_FAILURE() << "consistent_integration = 2 accepted";
  } catch (const starling::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("izhikevich: consistent_integration"), std::string::npos)
        << e.what();
  }
}
