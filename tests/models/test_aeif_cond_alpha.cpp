// aeif_cond_alpha (RKF45) against closed forms, NEST's semantics and NEST's LSODAR reference.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "codelets/models/aeif_cond_alpha.hpp"

using m = starling::codelets::models::aeif_cond_alpha;

namespace {
struct member {
  double p[m::n_params];
  double c[m::n_coeffs];
  double s[m::n_states];
  double h;
  explicit member(double dt = 0.1) : h(dt) {
    for (int k = 0; k < m::n_params; ++k) p[k] = m::parameters[k].default_value;
    for (int k = 0; k < m::n_states; ++k) s[k] = m::states[k].default_value;
    m::derive(p, h, c);
  }
  void derive() { m::derive(p, h, c); }
  std::uint32_t step(double ex = 0.0, double in = 0.0, double current = 0.0) {
    const double input[m::n_channels] = {ex, in, current};
    return starling::codelets::models::step<m>(s, c, input);
  }
};

/// NEST's test_aeif_lsodar.py reference: rows of time (ms), V_m (mV), w (pA).
std::vector<std::vector<double>> read_lsodar() {
  std::ifstream f(std::string(STARLING_TEST_DATA) + "/test_aeif_data_lsodar.dat");
  std::vector<std::vector<double>> rows;
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    double t, v, w;
    if (ls >> t >> v >> w) rows.push_back({t, v, w});
  }
  return rows;
}

/// Linear interpolation of column `col` at time t (t within the table).
double interpolate(const std::vector<std::vector<double>>& r, double t, int col) {
  std::size_t k = 1;
  while (k + 1 < r.size() && r[k][0] < t) ++k;
  const double f = (t - r[k - 1][0]) / (r[k][0] - r[k - 1][0]);
  return r[k - 1][col] + f * (r[k][col] - r[k - 1][col]);
}
}  // namespace

TEST(AeifCondAlpha, DefaultsAreNests) {
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

TEST(AeifCondAlpha, WithoutExponentialAndAdaptationIsALeakyIntegrator) {
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

TEST(AeifCondAlpha, ConductanceIsAnAlphaFunctionPeakingAtTheWeight) {
  // g(t) = w t / tau e^(1 - t / tau): peak w at t = tau; inhibition through -weight.
  member n;
  n.p[m::tau_syn_ex] = 1.0;
  n.p[m::tau_syn_in] = 3.0;
  n.derive();
  n.step(4.0, -2.0);
  EXPECT_EQ(n.s[m::g_ex], 0.0);  // the arrivals act after the step's integration
  EXPECT_DOUBLE_EQ(n.s[m::dg_ex], 4.0 * std::exp(1.0));
  EXPECT_DOUBLE_EQ(n.s[m::dg_in], 2.0 * std::exp(1.0) / 3.0);
  for (int i = 1; i <= 60; ++i) {
    n.step();
    const double t = 0.1 * i;
    EXPECT_NEAR(n.s[m::g_ex], 4.0 * t * std::exp(1.0 - t), 1e-5) << "t = " << t;
    EXPECT_NEAR(n.s[m::g_in], 2.0 * t / 3.0 * std::exp(1.0 - t / 3.0), 1e-5) << "t = " << t;
  }
}

TEST(AeifCondAlpha, SpikeResetsAndAddsBToW) {
  // a = 0: w is 0 until the spike, then b decaying with tau_w over the rest of the step.
  member n;
  n.p[m::a] = 0.0;
  n.p[m::I_e] = 1000.0;
  n.derive();
  int steps = 0;
  while (n.step() == 0) {
    ASSERT_EQ(n.s[m::w], 0.0);
    ASSERT_LT(++steps, 2000);
  }
  EXPECT_LE(n.s[m::w], 80.5);
  EXPECT_GE(n.s[m::w], 80.5 * std::exp(-0.1 / 144.0) - 1e-9);
  // Reset during the step: V is V_reset plus at most one step's rise.
  EXPECT_GE(n.s[m::V_m], -60.0);
  EXPECT_LT(n.s[m::V_m], -60.0 + 0.1 * 2000.0 / 281.0);
}

TEST(AeifCondAlpha, RefractoryPeriodClampsVoltageAtReset) {
  member n;
  n.p[m::I_e] = 1000.0;
  n.p[m::t_ref] = 2.0;
  n.derive();
  int steps = 0;
  while (n.step() == 0) ASSERT_LT(++steps, 2000);
  EXPECT_EQ(n.s[m::V_m], -60.0);
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(n.step(), 0u);
    EXPECT_EQ(n.s[m::V_m], -60.0) << "step " << i;
  }
  n.step();
  EXPECT_GT(n.s[m::V_m], -60.0);
}

TEST(AeifCondAlpha, SeveralSpikesInOneStepWithoutRefractoriness) {
  // I_e / C_m = 3.6 mV per us: V goes from V_reset to V_peak in under 0.02 ms, so a step of
  // 0.1 ms holds several spikes (NEST sends each; here the step's multiplicity).
  member n;
  n.p[m::b] = 0.0;
  n.p[m::a] = 0.0;
  n.p[m::I_e] = 1e6;
  n.derive();
  std::uint32_t total = 0, most = 0;
  for (int i = 0; i < 20; ++i) {
    const std::uint32_t k = n.step();
    total += k;
    most = k > most ? k : most;
    ASSERT_GE(n.s[m::V_m], -60.0);
    ASSERT_LT(n.s[m::V_m], 0.0);
  }
  EXPECT_GE(most, 4u);
  // A cycle lasts at most 60 mV / ((I_e - g_L 70 mV) / C_m): at least 118 spikes in 2 ms.
  EXPECT_GE(total, 118u);
}

TEST(AeifCondAlpha, IntegrationStepIsKeptBetweenSteps) {
  member n;
  EXPECT_EQ(n.s[m::h_step], 0.0);
  n.step();
  EXPECT_GT(n.s[m::h_step], 0.0);  // set from the resolution on the first step
}

TEST(AeifCondAlpha, RejectsBadParameters) {
  member n;
  n.p[m::V_reset] = 0.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[m::V_reset] = -60.0;
  n.p[m::Delta_T] = -1.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[m::Delta_T] = 0.01;  // exp((V_peak - V_th) / Delta_T) overflows
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[m::Delta_T] = 2.0;
  n.p[m::V_peak] = -55.0;  // below V_th
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[m::V_peak] = 0.0;
  n.p[m::tau_w] = 0.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[m::tau_w] = 144.0;
  n.p[m::gsl_error_tol] = 0.0;
  EXPECT_THROW(n.derive(), starling::invalid_argument);
  n.p[m::gsl_error_tol] = 1e-6;
  n.p[m::C_m] = 0.0;
  try {
    n.derive();
    FAIL() << "C_m = 0 accepted";
  } catch (const starling::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("aeif_cond_alpha"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("C_m"), std::string::npos) << e.what();
  }
}

TEST(AeifCondAlpha, MatchesNestLsodarReference) {
  // NEST's test_aeif_lsodar.py: h = 0.01 ms, I_e only, mean relative error < 5e-4 for V_m
  // (samples above (V_th + V_peak) / 2 left out) and < 1e-4 for w; seven resets.
  const auto ref = read_lsodar();
  ASSERT_GT(ref.size(), 1000u);
  member n(0.01);
  n.p[m::V_reset] = -58.0;
  n.p[m::V_peak] = 0.0;
  n.p[m::V_th] = -50.0;
  n.p[m::I_e] = 420.0;
  n.p[m::g_L] = 11.0;
  n.p[m::tau_w] = 300.0;
  n.p[m::E_L] = -70.0;
  n.p[m::Delta_T] = 2.0;
  n.p[m::a] = 3.0;
  n.p[m::b] = 0.0;
  n.p[m::C_m] = 200.0;
  n.derive();
  n.s[m::V_m] = -70.0;
  n.s[m::w] = 5.0;
  double sum_v = 0.0, sum_w = 0.0;
  int count_v = 0, count_w = 0;
  std::vector<double> spikes;
  for (int i = 1; i < 10000; ++i) {
    if (n.step()) spikes.push_back(0.01 * i);
    const double t = 0.01 * i;
    if (t > ref.back()[0]) break;
    const double v = interpolate(ref, t, 1), w = interpolate(ref, t, 2);
    if (n.s[m::V_m] <= -25.0) sum_v += std::fabs(n.s[m::V_m] - v) / std::fabs(v), ++count_v;
    sum_w += std::fabs(n.s[m::w] - w) / std::fabs(w), ++count_w;
  }
  EXPECT_LT(sum_v / count_v, 5e-4);
  EXPECT_LT(sum_w / count_w, 1e-4);
  const double resets[] = {18.72, 30.56, 42.50, 54.52, 66.63, 78.82, 91.10};
  ASSERT_EQ(spikes.size(), 7u);
  for (int k = 0; k < 7; ++k) EXPECT_NEAR(spikes[k], resets[k], 0.02) << "spike " << k;
}
