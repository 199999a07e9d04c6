// iaf_psc_delta: voltage jumps, same-step threshold, refractory input, against closed forms.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "codelets/models/iaf_psc_delta.hpp"
#include "common/model_member.hpp"
#include "starling/error.hpp"

namespace models = starling::codelets::models;
using m = models::iaf_psc_delta;

namespace {

using member = starling::testing::model_member<m>;

}  // namespace

TEST(IafPscDelta, DefaultsAreNests) {
  member n;
  EXPECT_EQ(n.p[m::E_L], -70.0);
  EXPECT_EQ(n.p[m::C_m], 250.0);
  EXPECT_EQ(n.p[m::tau_m], 10.0);
  EXPECT_EQ(n.p[m::t_ref], 2.0);
  EXPECT_EQ(n.p[m::V_th], -55.0);
  EXPECT_EQ(n.p[m::V_reset], -70.0);
  EXPECT_EQ(n.p[m::V_min], -std::numeric_limits<double>::max());
  EXPECT_EQ(n.p[m::I_e], 0.0);
  EXPECT_EQ(n.p[m::refractory_input], 0.0);
}

TEST(IafPscDelta, SpikeJumpsVoltageInItsStepThenDecays) {
  member n;
  EXPECT_EQ(n.step(2.5), 0u);
  EXPECT_NEAR(n.s[m::V_m], -67.5, 1e-13);
  for (int k = 0; k < 50; ++k) n.step();
  EXPECT_NEAR(n.s[m::V_m], -70.0 + 2.5 * std::exp(-0.5), 1e-12);
  n.step(-1.0);
  EXPECT_NEAR(n.s[m::V_m], -70.0 + 2.5 * std::exp(-0.51) - 1.0, 1e-12);
}

TEST(IafPscDelta, ThresholdSeesTheStepsInput) {
  member n;
  EXPECT_EQ(n.step(14.9), 0u);
  member m2;
  EXPECT_EQ(m2.step(15.0), 1u);
  EXPECT_EQ(m2.s[m::V_m], -70.0);
}

TEST(IafPscDelta, SpikesDuringRefractorinessAreLost) {
  member n;
  n.p[m::V_reset] = -60.0;
  n.derive();
  ASSERT_EQ(n.step(20.0), 1u);
  for (int k = 0; k < 20; ++k) {
    EXPECT_EQ(n.step(3.0), 0u);
    EXPECT_EQ(n.s[m::V_m], -60.0);
  }
  // The first step after: the membrane moves from V_reset, without the lost input.
  n.step();
  EXPECT_NEAR(n.s[m::V_m], -70.0 + 10.0 * std::exp(-0.01), 1e-12);
}

TEST(IafPscDelta, RefractoryInputIsAddedDecayedAfterTheRefractoryPeriod) {
  member n;
  n.p[m::refractory_input] = 1.0;
  n.derive();
  ASSERT_EQ(n.step(20.0), 1u);  // r = 20
  n.step(3.0);                  // arrives with 20 steps left
  for (int k = 0; k < 13; ++k) n.step();
  n.step(-1.0);  // 6 steps left
  for (int k = 0; k < 5; ++k) n.step();
  EXPECT_EQ(n.s[m::V_m], -70.0);
  n.step();  // the first free step
  EXPECT_NEAR(n.s[m::V_m], -70.0 + 3.0 * std::exp(-0.2) - 1.0 * std::exp(-0.06), 1e-12);
}

TEST(IafPscDelta, ConstantCurrentRelaxesToClosedForm) {
  member n;
  n.p[m::I_e] = 100.0;
  n.derive();
  for (int k = 0; k < 100; ++k) ASSERT_EQ(n.step(), 0u);
  EXPECT_NEAR(n.s[m::V_m], -70.0 + 100.0 * 10.0 / 250.0 * (1 - std::exp(-1.0)), 1e-12);
  // A generator's current acts from the step after its arrival.
  member g;
  g.step(0.0, 100.0);
  EXPECT_EQ(g.s[m::V_m], -70.0);
  g.step();
  EXPECT_NEAR(g.s[m::V_m], -70.0 + 100.0 * 10.0 / 250.0 * (1 - std::exp(-0.01)), 1e-13);
}

TEST(IafPscDelta, VminBoundsTheMembrane) {
  member n;
  n.p[m::V_min] = -72.0;
  n.derive();
  n.step(-5.0);
  EXPECT_EQ(n.s[m::V_m], -72.0);
}

TEST(IafPscDelta, RejectsBadParameters) {
  auto refused = [](int k, double x, const char* what) {
    member n;
    n.p[k] = x;
    try {
      n.derive();
      ADD_FAILURE() << what << " accepted";
    } catch (const starling::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("iaf_psc_delta"), std::string::npos) << e.what();
    }
  };
  refused(m::C_m, -1.0, "C_m");
  refused(m::tau_m, 0.0, "tau_m");
  refused(m::t_ref, -1.0, "t_ref");
  refused(m::V_reset, -50.0, "V_reset");
  refused(m::refractory_input, 0.5, "refractory_input");
}
