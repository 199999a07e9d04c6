// The adaptive RKF45 integrator (GSL's rkf45 with its standard control) against closed forms.
#include <gtest/gtest.h>

#include <cmath>

#include "codelets/models/rkf45.hpp"

using starling::codelets::models::rkf45_apply;

namespace {
/// Integrates over `steps` steps of `dt` as NEST's models do (t = 0; while t < dt: apply), the
/// integration step persisting across steps; returns the number of accepted substeps.
template <int N, typename F>
int integrate(double (&y)[N], double& h, double dt, int steps, double eps_abs, double eps_rel,
              F f) {
  int substeps = 0;
  for (int s = 0; s < steps; ++s) {
    double t = 0.0;
    while (t < dt) {
      rkf45_apply(y, t, dt, h, eps_abs, eps_rel, f);
      ++substeps;
    }
  }
  return substeps;
}
}  // namespace

TEST(Rkf45, ExponentialDecayWithinAbsoluteTolerance) {
  const double tau = 10.0;
  auto f = [tau](const double* y, double* dy) { dy[0] = -y[0] / tau; };
  for (const double eps : {1e-3, 1e-6, 1e-9}) {
    double y[1] = {1.0};
    double h = 0.1;
    integrate(y, h, 0.1, 500, eps, 0.0, f);  // 50 ms = 5 tau
    EXPECT_NEAR(y[0], std::exp(-5.0), eps) << "eps_abs " << eps;
    EXPECT_NE(y[0], std::exp(-5.0));
  }
}

TEST(Rkf45, ExponentialDecayWithinRelativeTolerance) {
  const double tau = 2.0;
  auto f = [tau](const double* y, double* dy) { dy[0] = -y[0] / tau; };
  double y[1] = {-65.0};
  double h = 1.0;
  integrate(y, h, 1.0, 4, 0.0, 1e-8, f);
  EXPECT_NEAR(y[0] / (-65.0 * std::exp(-2.0)), 1.0, 1e-7);
}

TEST(Rkf45, HarmonicOscillatorOverTenPeriods) {
  const double w = 2.0 * 3.14159265358979323846 / 5.0;  // period 5 ms
  auto f = [w](const double* y, double* dy) {
    dy[0] = y[1];
    dy[1] = -w * w * y[0];
  };
  for (const double eps : {1e-4, 1e-8}) {
    double y[2] = {1.0, 0.0};
    double h = 0.1;
    integrate(y, h, 0.1, 500, eps, 0.0, f);  // 50 ms, back at the start
    EXPECT_NEAR(y[0], std::cos(w * 50.0), 50 * eps) << "eps_abs " << eps;
    EXPECT_NEAR(y[1], -w * std::sin(w * 50.0), 50 * eps) << "eps_abs " << eps;
  }
}

TEST(Rkf45, SmoothProblemGrowsTheStepByAtMostFive) {
  // A zero error estimate: GSL's control raises h by its maximal factor 5; the step itself
  // is cut to the remaining time and lands exactly on t1.
  auto f = [](const double*, double* dy) { dy[0] = 1.0; };
  double y[1] = {0.0};
  double t = 0.0, h = 0.1;
  rkf45_apply(y, t, 0.1, h, 1e-3, 0.0, f);
  EXPECT_EQ(t, 0.1);
  EXPECT_DOUBLE_EQ(y[0], 0.1);
  EXPECT_DOUBLE_EQ(h, 0.5);
  // With h beyond the interval, the final step is dt and the suggestion 5 dt.
  t = 0.0;
  h = 10.0;
  rkf45_apply(y, t, 0.1, h, 1e-3, 0.0, f);
  EXPECT_EQ(t, 0.1);
  EXPECT_DOUBLE_EQ(h, 0.5);
}

TEST(Rkf45, LargeErrorShrinksTheStepBeforeAccepting) {
  // y' = -100 y over 1 ms from h = 1: the first trials fail, the accepted step is shorter than
  // the interval and its local error is within the tolerance.
  auto f = [](const double* y, double* dy) { dy[0] = -100.0 * y[0]; };
  double y[1] = {1.0};
  double t = 0.0, h = 1.0;
  rkf45_apply(y, t, 1.0, h, 1e-6, 0.0, f);
  EXPECT_GT(t, 0.0);
  EXPECT_LT(t, 1.0);
  EXPECT_LT(h, 1.0);
  EXPECT_NEAR(y[0], std::exp(-100.0 * t), 1e-6);
  // Carrying on reaches t1 exactly, close to the closed form.
  int n = 1;
  while (t < 1.0) {
    rkf45_apply(y, t, 1.0, h, 1e-6, 0.0, f);
    ++n;
  }
  EXPECT_EQ(t, 1.0);
  EXPECT_GT(n, 10);
  EXPECT_NEAR(y[0], std::exp(-100.0), 1e-6);
}

TEST(Rkf45, FifthOrderIsExactForQuartics) {
  // y' = 4 t^3 as the autonomous system (t' = 1, y' = 4 t^3): the fifth-order weights integrate
  // polynomials of degree 4 exactly in one step.
  auto f = [](const double* y, double* dy) {
    dy[0] = 1.0;
    dy[1] = 4.0 * y[0] * y[0] * y[0];
  };
  double y[2] = {0.0, 0.0};
  double t = 0.0, h = 2.0;
  rkf45_apply(y, t, 2.0, h, 1e-1, 0.0, f);
  EXPECT_EQ(t, 2.0);
  EXPECT_NEAR(y[1], 16.0, 1e-12);
}
