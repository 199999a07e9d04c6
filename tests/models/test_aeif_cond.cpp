// What aeif_cond_alpha and aeif_cond_exp share (RKF45 on NEST's AdEx equations, the synapse
// kinetics aside): spike, reset and adaptation, refractoriness, several spikes in one step, the
// kept integration step, parameter checks and NEST's LSODAR reference.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "codelets/models/aeif_cond_alpha.hpp"
#include "codelets/models/aeif_cond_exp.hpp"
#include "common/lsodar.hpp"
#include "common/model_member.hpp"

namespace {
template <typename M>
using member = starling::testing::model_member<M>;
using starling::testing::interpolate;
using starling::testing::read_lsodar;

template <typename M>
class AeifCond : public ::testing::Test {};
using aeif_cond_models = ::testing::Types<starling::codelets::models::aeif_cond_alpha,
                                          starling::codelets::models::aeif_cond_exp>;
TYPED_TEST_SUITE(AeifCond, aeif_cond_models);
}  // namespace

TYPED_TEST(AeifCond, SpikeResetsAndAddsBToW) {
  // a = 0: w is 0 until the spike, then b decaying with tau_w over the rest of the step.
  member<TypeParam> n;
  n.p[TypeParam::a] = 0.0;
  n.p[TypeParam::I_e] = 1000.0;
  n.derive();
  int steps = 0;
  while (n.step() == 0) {
    ASSERT_EQ(n.s[TypeParam::w], 0.0);
    ASSERT_LT(++steps, 2000);
  }
  EXPECT_LE(n.s[TypeParam::w], 80.5);
  EXPECT_GE(n.s[TypeParam::w], 80.5 * std::exp(-0.1 / 144.0) - 1e-9);
  // Reset during the step: V is V_reset plus at most one step's rise.
  EXPECT_GE(n.s[TypeParam::V_m], -60.0);
  EXPECT_LT(n.s[TypeParam::V_m], -60.0 + 0.1 * 2000.0 / 281.0);
}

TYPED_TEST(AeifCond, RefractoryPeriodClampsVoltageAtReset) {
  member<TypeParam> n;
  n.p[TypeParam::I_e] = 1000.0;
  n.p[TypeParam::t_ref] = 2.0;
  n.derive();
  int steps = 0;
  while (n.step() == 0) ASSERT_LT(++steps, 2000);
  EXPECT_EQ(n.s[TypeParam::V_m], -60.0);
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(n.step(), 0u);
    EXPECT_EQ(n.s[TypeParam::V_m], -60.0) << "step " << i;
  }
  n.step();
  EXPECT_GT(n.s[TypeParam::V_m], -60.0);
}

TYPED_TEST(AeifCond, SeveralSpikesInOneStepWithoutRefractoriness) {
  // I_e / C_m = 3.6 mV per us: V goes from V_reset to V_peak in under 0.02 ms, so a step of
  // 0.1 ms holds several spikes (NEST sends each; here the step's multiplicity).
  member<TypeParam> n;
  n.p[TypeParam::b] = 0.0;
  n.p[TypeParam::a] = 0.0;
  n.p[TypeParam::I_e] = 1e6;
  n.derive();
  std::uint32_t total = 0, most = 0;
  for (int i = 0; i < 20; ++i) {
    const std::uint32_t k = n.step();
    total += k;
    most = k > most ? k : most;
    ASSERT_GE(n.s[TypeParam::V_m], -60.0);
    ASSERT_LT(n.s[TypeParam::V_m], 0.0);
  }
  EXPECT_GE(most, 4u);
  // A cycle lasts at most 60 mV / ((I_e - g_L 70 mV) / C_m): at least 118 spikes in 2 ms.
  EXPECT_GE(total, 118u);
}

TYPED_TEST(AeifCond, IntegrationStepIsKeptBetweenSteps) {
  member<TypeParam> n;
  EXPECT_EQ(n.s[TypeParam::h_step], 0.0);
  n.step();
  EXPECT_GT(n.s[TypeParam::h_step], 0.0);  // set from the resolution on the first step
}

TYPED_TEST(AeifCond, RejectsBadParameters) {
  member<TypeParam> n;
  n.p[TypeParam::V_reset] = 0.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[TypeParam::V_reset] = -60.0;
  n.p[TypeParam::Delta_T] = -1.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[TypeParam::Delta_T] = 0.01;  // exp((V_peak - V_th) / Delta_T) overflows
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[TypeParam::Delta_T] = 2.0;
  n.p[TypeParam::V_peak] = -55.0;  // below V_th
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[TypeParam::V_peak] = 0.0;
  n.p[TypeParam::tau_w] = 0.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[TypeParam::tau_w] = 144.0;
  n.p[TypeParam::gsl_error_tol] = 0.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[TypeParam::gsl_error_tol] = 1e-6;
  n.p[TypeParam::C_m] = 0.0;
  try {
    n.derive();
    FAIL() << "C_m = 0 accepted";
  } catch (const starling::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(TypeParam::name), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("C_m"), std::string::npos) << e.what();
  }
}

TYPED_TEST(AeifCond, MatchesNestLsodarReference) {
  // NEST's test_aeif_lsodar.py: h = 0.01 ms, I_e only, mean relative error < 5e-4 for V_m
  // (samples above (V_th + V_peak) / 2 left out) and < 1e-4 for w; seven resets.
  const auto ref = read_lsodar();
  ASSERT_GT(ref.size(), 1000u);
  member<TypeParam> n(0.01);
  n.p[TypeParam::V_reset] = -58.0;
  n.p[TypeParam::V_peak] = 0.0;
  n.p[TypeParam::V_th] = -50.0;
  n.p[TypeParam::I_e] = 420.0;
  n.p[TypeParam::g_L] = 11.0;
  n.p[TypeParam::tau_w] = 300.0;
  n.p[TypeParam::E_L] = -70.0;
  n.p[TypeParam::Delta_T] = 2.0;
  n.p[TypeParam::a] = 3.0;
  n.p[TypeParam::b] = 0.0;
  n.p[TypeParam::C_m] = 200.0;
  n.derive();
  n.s[TypeParam::V_m] = -70.0;
  n.s[TypeParam::w] = 5.0;
  double sum_v = 0.0, sum_w = 0.0;
  int count_v = 0, count_w = 0;
  std::vector<double> spikes;
  for (int i = 1; i < 10000; ++i) {
    if (n.step()) spikes.push_back(0.01 * i);
    const double t = 0.01 * i;
    if (t > ref.back()[0]) break;
    const double v = interpolate(ref, t, 1), w = interpolate(ref, t, 2);
    if (n.s[TypeParam::V_m] <= -25.0)
      sum_v += std::fabs(n.s[TypeParam::V_m] - v) / std::fabs(v), ++count_v;
    sum_w += std::fabs(n.s[TypeParam::w] - w) / std::fabs(w), ++count_w;
  }
  EXPECT_LT(sum_v / count_v, 5e-4);
  EXPECT_LT(sum_w / count_w, 1e-4);
  const double resets[] = {18.72, 30.56, 42.50, 54.52, 66.63, 78.82, 91.10};
  ASSERT_EQ(spikes.size(), 7u);
  for (int k = 0; k < 7; ++k) EXPECT_NEAR(spikes[k], resets[k], 0.02) << "spike " << k;
}
