// iaf_psc_exp propagators against closed forms.
#include <gtest/gtest.h>

#include <cmath>

#include "codelets/models/iaf_psc_exp.hpp"

using m = starling::codelets::models::iaf_psc_exp;

namespace {
double defaults(int k) { return m::parameters[k].default_value; }
}  // namespace

TEST(IafPscExpMath, PropagatorMatchesIntegralOfExponentialCurrent) {
  // V response over h to a unit current decaying with tau_s, from rest: integral of
  // exp(-(h-s)/tau_m) exp(-s/tau_s) / C ds over [0, h], by Simpson's rule.
  const double tau_m = 10.0, tau_s = 2.0, c = 250.0, h = 0.1;
  const int n = 1000;
  double sum = 0.0;
  for (int i = 0; i <= n; ++i) {
    const double s = h * i / n;
    const double f = std::exp(-(h - s) / tau_m) * std::exp(-s / tau_s) / c;
    sum += f * (i == 0 || i == n ? 1 : (i % 2 ? 4 : 2));
  }
  EXPECT_NEAR(starling::codelets::models::propagator_32(tau_s, tau_m, c, h), sum * h / (3 * n),
              1e-14);
}

TEST(IafPscExpMath, PropagatorIsContinuousAtEqualTimeConstants) {
  const double equal = starling::codelets::models::propagator_32(10.0, 10.0, 250.0, 0.1);
  EXPECT_DOUBLE_EQ(equal, 0.1 / 250.0 * std::exp(-0.01));
  EXPECT_NEAR(starling::codelets::models::propagator_32(10.0 + 1e-9, 10.0, 250.0, 0.1), equal,
              1e-15);
}

TEST(IafPscExpMath, ConstantCurrentRelaxesToClosedForm) {
  double p[m::n_params];
  for (int k = 0; k < m::n_params; ++k) p[k] = defaults(k);
  p[m::I_e] = 100.0;
  double c[m::n_coeffs];
  m::derive(p, 0.1, c);
  double s[m::n_states] = {-70.0, 0.0, 0.0, 0.0, 0.0};
  const double zero[m::n_channels] = {};
  for (int i = 0; i < 100; ++i) ASSERT_EQ(starling::codelets::models::step<m>(s, c, zero), 0u);
  // V(t) = E_L + I R (1 - exp(-t/tau_m)), R = tau_m / C.
  EXPECT_NEAR(s[m::V_m], -70.0 + 100.0 * 10.0 / 250.0 * (1 - std::exp(-1.0)), 1e-12);
}

TEST(IafPscExpMath, RejectsBadParameters) {
  double p[m::n_params];
  double c[m::n_coeffs];
  for (int k = 0; k < m::n_params; ++k) p[k] = defaults(k);
  p[m::tau_syn_ex] = -1.0;
  EXPECT_THROW(m::derive(p, 0.1, c), starling::invalid_argument);
  p[m::tau_syn_ex] = 2.0;
  p[m::V_reset] = -50.0;
  EXPECT_THROW(m::derive(p, 0.1, c), starling::invalid_argument);
}
