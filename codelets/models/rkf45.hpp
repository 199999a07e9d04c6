#pragma once
// Adaptive Runge-Kutta-Fehlberg 4(5) as GSL runs it for NEST's conductance-based and
// Hodgkin-Huxley models (gsl_odeiv_step_rkf45 + gsl_odeiv_control_y_new + gsl_odeiv_evolve_apply):
// Fehlberg's tableau (Hairer, Norsett & Wanner, Solving ODEs I, 2nd ed., Springer 2000), the
// fifth-order solution kept, the difference to the fourth-order one as the error estimate, and
// GSL's standard step-size control. Written for fixed N so that it runs in a GPU thread with no
// dynamic memory; the power in the control uses portable_exp/portable_log so that the host and
// the GPU choose the same step sizes.
#include "codelets/common/host_device.hpp"
#include "codelets/common/portable_math.hpp"

namespace starling::codelets::models {

namespace rkf45_detail {
// Stage weights of Fehlberg's 4(5) pair (zero entries left out). The nodes 3/8, 12/13, 1, 1/2
// of the later stages are not needed: the systems are autonomous.
constexpr double a2 = 1.0 / 4.0;
constexpr double b31 = 3.0 / 32.0, b32 = 9.0 / 32.0;
constexpr double b41 = 1932.0 / 2197.0, b42 = -7200.0 / 2197.0, b43 = 7296.0 / 2197.0;
constexpr double b51 = 8341.0 / 4104.0, b52 = -32832.0 / 4104.0, b53 = 29440.0 / 4104.0,
                 b54 = -845.0 / 4104.0;
constexpr double b61 = -6080.0 / 20520.0, b62 = 41040.0 / 20520.0, b63 = -28352.0 / 20520.0,
                 b64 = 9295.0 / 20520.0, b65 = -5643.0 / 20520.0;
// Fifth-order weights (k2 has weight 0).
constexpr double c1 = 902880.0 / 7618050.0, c3 = 3953664.0 / 7618050.0, c4 = 3855735.0 / 7618050.0,
                 c5 = -1371249.0 / 7618050.0, c6 = 277020.0 / 7618050.0;
// Fifth- minus fourth-order weights: the local error estimate.
constexpr double e1 = 1.0 / 360.0, e3 = -128.0 / 4275.0, e4 = -2197.0 / 75240.0, e5 = 1.0 / 50.0,
                 e6 = 2.0 / 55.0;
constexpr double order = 5.0;   // GSL's rkf45 reports order 5 to the control
constexpr double safety = 0.9;  // S of GSL's standard control
constexpr double dbl_min = 2.2250738585072014e-308;

/// One RKF45 step of size h from y (derivative k1 at y given): y becomes the fifth-order
/// solution, yerr the error estimate.
template <int N, typename F>
STARLING_HOST_DEVICE inline void step(double (&y)[N], double (&yerr)[N], const double (&k1)[N],
                                      double h, F& f) {
  double k2[N], k3[N], k4[N], k5[N], k6[N], yt[N];
  for (int i = 0; i < N; ++i) yt[i] = y[i] + a2 * h * k1[i];
  f(static_cast<const double*>(yt), static_cast<double*>(k2));
  for (int i = 0; i < N; ++i) yt[i] = y[i] + h * (b31 * k1[i] + b32 * k2[i]);
  f(static_cast<const double*>(yt), static_cast<double*>(k3));
  for (int i = 0; i < N; ++i) yt[i] = y[i] + h * (b41 * k1[i] + b42 * k2[i] + b43 * k3[i]);
  f(static_cast<const double*>(yt), static_cast<double*>(k4));
  for (int i = 0; i < N; ++i)
    yt[i] = y[i] + h * (b51 * k1[i] + b52 * k2[i] + b53 * k3[i] + b54 * k4[i]);
  f(static_cast<const double*>(yt), static_cast<double*>(k5));
  for (int i = 0; i < N; ++i)
    yt[i] = y[i] + h * (b61 * k1[i] + b62 * k2[i] + b63 * k3[i] + b64 * k4[i] + b65 * k5[i]);
  f(static_cast<const double*>(yt), static_cast<double*>(k6));
  for (int i = 0; i < N; ++i) {
    y[i] += h * (c1 * k1[i] + c3 * k3[i] + c4 * k4[i] + c5 * k5[i] + c6 * k6[i]);
    yerr[i] = h * (e1 * k1[i] + e3 * k3[i] + e4 * k4[i] + e5 * k5[i] + e6 * k6[i]);
  }
}

/// GSL's standard control: the largest ratio of the error estimate to
/// eps_abs + eps_rel (a_y |y| + a_dydt |h y'|), y' the derivative at the end of the step
/// (dydt_out). a_dydt = 0: gsl_odeiv_control_y_new (a_y = 1, yp not used, may be null);
/// otherwise a_y = 0 (gsl_odeiv_control_yp_new for a_dydt = 1).
template <int N>
STARLING_HOST_DEVICE inline double error_ratio(const double (&y)[N], const double (&yerr)[N],
                                               const double* yp, double h, double eps_abs,
                                               double eps_rel, double a_dydt) {
  double rmax = dbl_min;
  for (int i = 0; i < N; ++i) {
    double d0;
    if (a_dydt == 0.0) {
      d0 = eps_rel * (y[i] < 0.0 ? -y[i] : y[i]) + eps_abs;
    } else {
      const double hyp = h * yp[i];
      d0 = eps_rel * (a_dydt * (hyp < 0.0 ? -hyp : hyp)) + eps_abs;
    }
    const double r = (yerr[i] < 0.0 ? -yerr[i] : yerr[i]) / (d0 < 0.0 ? -d0 : d0);
    rmax = r > rmax ? r : rmax;  // as GSL_MAX_DBL: a NaN ratio is passed over
  }
  return rmax;
}
}  // namespace rkf45_detail

/// One gsl_odeiv_evolve_apply: advances y from t towards t1 by one accepted RKF45 step (retrying
/// with smaller steps while the error is too large), with GSL's standard control (eps_abs, eps_rel;
/// a_dydt = 0: gsl_odeiv_control_y_new, a_y = 1, a_dydt = 0; a_dydt = 1:
/// gsl_odeiv_control_yp_new, a_y = 0, a_dydt = 1, the derivative at the end of each trial step
/// evaluated as GSL's dydt_out) and GSL's step-size adjustment; `h` is the persistent step-size
/// (NEST's IntegrationStep_, kept in the model's state between steps). f(const double* y,
/// double* dydt).
template <int N, typename F>
STARLING_HOST_DEVICE inline void rkf45_apply(double (&y)[N], double& t, double t1, double& h,
                                             double eps_abs, double eps_rel, F&& f,
                                             double a_dydt = 0.0) {
  using namespace rkf45_detail;
  const double t0 = t;
  const double dt = t1 - t0;  // remaining time, possibly less than h
  double h0 = h;
  double y0[N], k1[N], yerr[N], yp[N];
  for (int i = 0; i < N; ++i) y0[i] = y[i];
  f(static_cast<const double*>(y0), static_cast<double*>(k1));  // reused by every retry
  for (;;) {
    bool final_step = false;
    if ((dt >= 0.0 && h0 > dt) || (dt < 0.0 && h0 < dt)) {
      h0 = dt;
      final_step = true;
    }
    step(y, yerr, k1, h0, f);
    t = final_step ? t1 : t0 + h0;
    const double h_old = h0;
    if (a_dydt != 0.0) f(static_cast<const double*>(y), static_cast<double*>(yp));
    const double rmax =
        error_ratio(y, yerr, static_cast<const double*>(yp), h_old, eps_abs, eps_rel, a_dydt);
    if (rmax > 1.1) {
      // Decrease by S / rmax^(1/q), at most by a factor 5; retry unless that no longer changes
      // h or moves t by an ulp.
      double r = safety / portable_exp(portable_log(rmax) * (1.0 / order));
      if (r < 0.2) r = 0.2;
      h0 = r * h_old;
      const double t_next = t + h0;
      if ((h0 < 0.0 ? -h0 : h0) < (h_old < 0.0 ? -h_old : h_old) && t_next != t) {
        for (int i = 0; i < N; ++i) y[i] = y0[i];
        continue;
      }
      h0 = h_old;
    } else if (rmax < 0.5) {
      // Increase by S / rmax^(1/(q+1)), at most by a factor 5 and never below 1.
      double r = safety / portable_exp(portable_log(rmax) * (1.0 / (order + 1.0)));
      if (r > 5.0) r = 5.0;
      if (r < 1.0) r = 1.0;
      h0 = r * h_old;
    }
    h = h0;
    return;
  }
}

}  // namespace starling::codelets::models
