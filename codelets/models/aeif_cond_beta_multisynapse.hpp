#pragma once
// aeif_cond_beta_multisynapse: adaptive exponential integrate-and-fire neuron (Brette & Gerstner
// 2005, J. Neurophysiol. 94:3637) with beta-shaped conductances on up to 8 receptor ports, each
// with its own reversal potential, rise and decay time, as in NEST:
//   C_m dV/dt = -g_L (V - E_L) + g_L Delta_T exp((V - V_th) / Delta_T) + sum_k g_k (E_rev[k] - V)
//               - w + I_e + I_stim
//   tau_w dw/dt = a (V - E_L) - w
//   d dg_k/dt = -dg_k / tau_rise[k],  dg_k/dt = dg_k - g_k / tau_decay[k]; a spike of weight
//   w >= 0 on receptor k adds w g0_k to dg_k, g0_k normalising the peak of g_k to w nS (NEST's
//   beta_normalization_factor; the alpha function's e / tau_decay when tau_rise = tau_decay)
// integrated by GSL's adaptive RKF45 (rkf45.hpp) with NEST's control on y' (eps_abs = eps_rel =
// gsl_error_tol, a_y = 0, a_dydt = 1). In the right-hand side V is bounded by V_peak (the
// exponential term is left out when Delta_T = 0) and held at V_reset (dV/dt = 0) while
// refractory. After each RKF45 sub-step (NEST's order): clamp to V_reset while refractory, else
// V_m >= V_peak (V_th if Delta_T = 0) is a spike (V_reset, w += b, t_ref; several spikes per step
// when t_ref = 0); after the step the refractory count goes down, then the step's arrivals; a
// current input acts during the next step. NEST refuses negative weights when a spike arrives
// (BadProperty); here they are not refused (they lower the conductance). NEST's
// NumericalInstability (V_m < -1e3 or |w| > 1e6) is not raised.
//
// | parameter     | default | unit | meaning                                        |
// |---------------|---------|------|------------------------------------------------|
// | C_m           | 281     | pF   | membrane capacitance                           |
// | g_L           | 30      | nS   | leak conductance                               |
// | E_L           | -70.6   | mV   | leak reversal potential                        |
// | V_th          | -50.4   | mV   | spike initiation threshold                     |
// | V_peak        | 0       | mV   | spike detection threshold                      |
// | V_reset       | -60     | mV   | reset potential                                |
// | t_ref         | 0       | ms   | absolute refractory period                     |
// | Delta_T       | 2       | mV   | slope factor (0: no exponential term)          |
// | a             | 4       | nS   | subthreshold adaptation                        |
// | b             | 80.5    | pA   | spike-triggered adaptation                     |
// | tau_w         | 144     | ms   | adaptation time constant                       |
// | I_e           | 0       | pA   | constant input current                         |
// | gsl_error_tol | 1e-6    |      | RKF45 error tolerance                          |
// | E_rev         | [0]     | mV   | list: reversal potential of each receptor (<= 8)|
// | tau_rise      | [2]     | ms   | list: rise time of each receptor's conductance |
// | tau_decay     | [20]    | ms   | list: decay time of each receptor's conductance|
// | state         |         |      |                                                |
// | V_m           | -70.6   | mV   | membrane potential                             |
// | w             | 0       | pA   | adaptation current                             |
// | g_k           | 0       | nS   | conductance of receptor k = 1 ... 8            |
//
// Ring channels: 0 ... 7 receptors 1 ... 8, 8 currents from current generators.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "codelets/common/portable_math.hpp"
#include "neuron_model.hpp"
#include "rkf45.hpp"
#include "starling/error.hpp"

namespace starling::codelets::models {

struct aeif_cond_beta_multisynapse {
  static constexpr const char* name = "aeif_cond_beta_multisynapse";
  static constexpr int max_receptors = 8;
  static constexpr double e = 2.718281828459045;  // Euler's number (NEST's numerics::e)

  static constexpr quantity parameters[] = {
      {"C_m", 281.0, "pF"},
      {"g_L", 30.0, "nS"},
      {"E_L", -70.6, "mV"},
      {"V_th", -50.4, "mV"},
      {"V_peak", 0.0, "mV"},
      {"V_reset", -60.0, "mV"},
      {"t_ref", 0.0, "ms"},
      {"Delta_T", 2.0, "mV"},
      {"a", 4.0, "nS"},
      {"b", 80.5, "pA"},
      {"tau_w", 144.0, "ms"},
      {"I_e", 0.0, "pA"},
      {"gsl_error_tol", 1e-6, ""},
      {"E_rev[1]", 0.0, "mV"},
      {"E_rev[2]", 0.0, "mV"},
      {"E_rev[3]", 0.0, "mV"},
      {"E_rev[4]", 0.0, "mV"},
      {"E_rev[5]", 0.0, "mV"},
      {"E_rev[6]", 0.0, "mV"},
      {"E_rev[7]", 0.0, "mV"},
      {"E_rev[8]", 0.0, "mV"},
      {"_E_rev_count", 1.0, ""},
      {"tau_rise[1]", 2.0, "ms"},
      {"tau_rise[2]", 2.0, "ms"},
      {"tau_rise[3]", 2.0, "ms"},
      {"tau_rise[4]", 2.0, "ms"},
      {"tau_rise[5]", 2.0, "ms"},
      {"tau_rise[6]", 2.0, "ms"},
      {"tau_rise[7]", 2.0, "ms"},
      {"tau_rise[8]", 2.0, "ms"},
      {"_tau_rise_count", 1.0, ""},
      {"tau_decay[1]", 20.0, "ms"},
      {"tau_decay[2]", 20.0, "ms"},
      {"tau_decay[3]", 20.0, "ms"},
      {"tau_decay[4]", 20.0, "ms"},
      {"tau_decay[5]", 20.0, "ms"},
      {"tau_decay[6]", 20.0, "ms"},
      {"tau_decay[7]", 20.0, "ms"},
      {"tau_decay[8]", 20.0, "ms"},
      {"_tau_decay_count", 1.0, ""},
  };
  enum param : int {
    C_m,
    g_L,
    E_L,
    V_th,
    V_peak,
    V_reset,
    t_ref,
    Delta_T,
    a,
    b,
    tau_w,
    I_e,
    gsl_error_tol,
    E_rev_1,
    E_rev_count = E_rev_1 + max_receptors,
    tau_rise_1,
    tau_rise_count = tau_rise_1 + max_receptors,
    tau_decay_1,
    tau_decay_count = tau_decay_1 + max_receptors,
    n_params
  };
  static constexpr array_parameter array_parameters[] = {
      {"E_rev", E_rev_1, max_receptors, E_rev_count},
      {"tau_rise", tau_rise_1, max_receptors, tau_rise_count},
      {"tau_decay", tau_decay_1, max_receptors, tau_decay_count},
  };
  static constexpr int n_array_parameters = 3;
  static constexpr int port_count = E_rev_count;  // NEST's n_receptors: the size of E_rev

  /// Public states first (NEST's recordables V_m, w, g_1 ...); then the conductances'
  /// derivatives, the current input of the step, the refractory countdown and the RKF45 step
  /// size carried from step to step (NEST's IntegrationStep_; 0: not yet set, the resolution is
  /// used).
  static constexpr quantity states[] = {
      {"V_m", -70.6, "mV"},
      {"w", 0.0, "pA"},
      {"g_1", 0.0, "nS"},
      {"g_2", 0.0, "nS"},
      {"g_3", 0.0, "nS"},
      {"g_4", 0.0, "nS"},
      {"g_5", 0.0, "nS"},
      {"g_6", 0.0, "nS"},
      {"g_7", 0.0, "nS"},
      {"g_8", 0.0, "nS"},
      {"dg_1", 0.0, "nS/ms"},
      {"dg_2", 0.0, "nS/ms"},
      {"dg_3", 0.0, "nS/ms"},
      {"dg_4", 0.0, "nS/ms"},
      {"dg_5", 0.0, "nS/ms"},
      {"dg_6", 0.0, "nS/ms"},
      {"dg_7", 0.0, "nS/ms"},
      {"dg_8", 0.0, "nS/ms"},
      {"I_stim", 0.0, "pA"},
      {"refractory_steps", 0.0, ""},
      {"integration_step", 0.0, "ms"},
  };
  enum state : int {
    V_m,
    w,
    g_1,
    dg_1 = g_1 + max_receptors,
    I_stim = dg_1 + max_receptors,
    r_ref,
    h_step,
    n_states
  };
  static constexpr int n_public_states = dg_1;

  /// NEST's state vector for the integrator: V_m, w, then dg_k, g_k for each receptor.
  enum ode : int { y_V = 0, y_w = 1, y_dg_1 = 2, y_g_1 = 3 };

  enum coeff : int {
    c_C_m,
    c_g_L,
    c_E_L,
    c_V_th,
    c_V_peak,
    c_V_reset,
    c_t_ref,
    c_Delta_T,
    c_a,
    c_b,
    c_tau_w,
    c_I_e,
    c_tol,
    c_h,
    c_refr,
    c_V_spike,
    c_n_rec,
    c_E_rev_1,
    c_tau_rise_1 = c_E_rev_1 + max_receptors,
    c_tau_decay_1 = c_tau_rise_1 + max_receptors,
    c_g0_1 = c_tau_decay_1 + max_receptors,
    n_coeffs = c_g0_1 + max_receptors
  };

  static constexpr receptor_scheme receptors = receptor_scheme::by_port;
  enum channel : int { rec_current = max_receptors, n_channels };
  static constexpr int current_channel = rec_current;
  static constexpr int current_state = I_stim;
  static constexpr int refractory_coeff = c_refr;
  static constexpr std::uint32_t max_spikes_per_step = 0;  // unbounded when t_ref = 0
  static constexpr bool threshold_sees_input = false;
  static constexpr bool exact_integration = false;
  static constexpr double a_dydt = 1.0;  // NEST's gsl_odeiv_control_yp_new(tol, tol)

  /// NEST's beta_normalization_factor: the jump of dg that gives g a peak of 1 nS.
  static double normalization(double tau_rise, double tau_decay) {
    const double eps = std::numeric_limits<double>::epsilon();
    const double diff = tau_decay - tau_rise;
    double peak = 0.0;
    if (std::abs(diff) > eps) {
      const double t_peak = tau_decay * tau_rise * std::log(tau_decay / tau_rise) / diff;
      peak = std::exp(-t_peak / tau_decay) - std::exp(-t_peak / tau_rise);
    }
    if (std::abs(peak) < eps) return e / tau_decay;
    return (1. / tau_rise - 1. / tau_decay) / peak;
  }

  static void derive(const double* p, double h, double* c) {
    auto fail = [&](int i, const std::string& what) {
      bad_parameter(name, parameters[i], p[i], what);
    };
    const double count = p[E_rev_count];
    if (!(count >= 0.0 && count <= max_receptors && count == std::floor(count)))
      throw invalid_argument(std::string(name) + ": E_rev has " + number(count) +
                             " values; expected 0 to 8");
    if (p[tau_rise_count] != count || p[tau_decay_count] != count)
      throw invalid_argument(std::string(name) + ": E_rev, tau_rise and tau_decay have " +
                             number(count) + ", " + number(p[tau_rise_count]) + " and " +
                             number(p[tau_decay_count]) +
                             " values; expected the same number (one per receptor)");
    const int n = static_cast<int>(count);
    for (int k = 0; k < n; ++k) {
      if (!(p[tau_rise_1 + k] > 0.0)) fail(tau_rise_1 + k, "a strictly positive time constant");
      if (!(p[tau_decay_1 + k] > 0.0)) fail(tau_decay_1 + k, "a strictly positive time constant");
      if (!(p[tau_decay_1 + k] >= p[tau_rise_1 + k]))
        fail(tau_decay_1 + k, "a value >= tau_rise[" + std::to_string(k + 1) +
                                  "] = " + number(p[tau_rise_1 + k]) + " ms");
      if (!std::isfinite(p[E_rev_1 + k])) fail(E_rev_1 + k, "a finite value");
    }
    if (!(p[V_peak] >= p[V_th])) fail(V_peak, "a value >= V_th = " + number(p[V_th]) + " mV");
    if (!(p[V_reset] < p[V_peak]))
      fail(V_reset, "a value below V_peak = " + number(p[V_peak]) + " mV");
    if (!(p[Delta_T] >= 0.0)) fail(Delta_T, "a value >= 0");
    if (p[Delta_T] > 0.0 &&
        !((p[V_peak] - p[V_th]) / p[Delta_T] < std::log(1.7976931348623157e308 / 1e20)))
      fail(Delta_T, "a larger value or a lower V_peak (exp((V_peak - V_th) / Delta_T) overflows)");
    if (!(p[C_m] > 0.0)) fail(C_m, "a strictly positive capacitance");
    if (!(p[t_ref] >= 0.0)) fail(t_ref, "a value >= 0");
    if (!(p[tau_w] > 0.0)) fail(tau_w, "a strictly positive time constant");
    if (!(p[gsl_error_tol] > 0.0)) fail(gsl_error_tol, "a strictly positive tolerance");
    for (int i = 0; i < c_h; ++i) c[i] = p[i];
    c[c_h] = h;
    c[c_refr] = std::nearbyint(p[t_ref] / h);
    c[c_V_spike] = p[Delta_T] > 0.0 ? p[V_peak] : p[V_th];  // NEST's V_.V_peak
    c[c_n_rec] = count;
    for (int k = 0; k < max_receptors; ++k) {
      const bool used = k < n;
      c[c_E_rev_1 + k] = used ? p[E_rev_1 + k] : 0.0;
      c[c_tau_rise_1 + k] = used ? p[tau_rise_1 + k] : 1.0;
      c[c_tau_decay_1 + k] = used ? p[tau_decay_1 + k] : 1.0;
      c[c_g0_1 + k] = used ? normalization(p[tau_rise_1 + k], p[tau_decay_1 + k]) : 0.0;
    }
  }

  /// The right-hand side (NEST's aeif_cond_beta_multisynapse_dynamics) on NEST's state vector
  /// for K receptors in use: the refractory flag is that at the start of the sub-step, the
  /// current input that of the step.
  template <int K>
  struct dynamics {
    const double* c;
    bool refractory;
    double i_stim;  // pA
    STARLING_HOST_DEVICE void operator()(const double* y, double* f) const {
      const double v_peak = c[c_V_peak];
      const double v = refractory ? c[c_V_reset] : (v_peak < y[y_V] ? v_peak : y[y_V]);
      double i_syn = 0.0;
      for (int k = 0; k < K; ++k) i_syn += y[y_g_1 + 2 * k] * (c[c_E_rev_1 + k] - v);
      const double i_spike = c[c_Delta_T] == 0.0 ? 0.0
                                                 : c[c_Delta_T] * c[c_g_L] *
                                                       portable_exp((v - c[c_V_th]) / c[c_Delta_T]);
      f[y_V] = refractory
                   ? 0.0
                   : (-c[c_g_L] * (v - c[c_E_L]) + i_spike + i_syn - y[y_w] + c[c_I_e] + i_stim) /
                         c[c_C_m];
      f[y_w] = (c[c_a] * (v - c[c_E_L]) - y[y_w]) / c[c_tau_w];
      for (int k = 0; k < K; ++k) {
        const int j = 2 * k;
        f[y_dg_1 + j] = -y[y_dg_1 + j] / c[c_tau_rise_1 + k];
        f[y_g_1 + j] = y[y_dg_1 + j] - y[y_g_1 + j] / c[c_tau_decay_1 + k];
      }
    }
  };

  /// The integration over the step for K receptors in use (NEST's state vector has 2 + 2K
  /// entries; a vector sized for all 8 would not fit a GPU thread's registers), with the
  /// threshold after each sub-step, then the refractory countdown; returns the number of spikes.
  template <int K>
  STARLING_HOST_DEVICE static std::uint32_t advance_with(double* s, const double* c) {
    double y[2 + 2 * K];
    y[y_V] = s[V_m];
    y[y_w] = s[w];
    for (int k = 0; k < K; ++k) {
      y[y_dg_1 + 2 * k] = s[dg_1 + k];
      y[y_g_1 + 2 * k] = s[g_1 + k];
    }
    const double h = c[c_h];
    double step = s[h_step] > 0.0 ? s[h_step] : h;
    double t = 0.0;
    double r = s[r_ref];
    std::uint32_t spikes = 0;
    while (t < h) {
      const dynamics<K> f{c, r > 0.0, s[I_stim]};
      rkf45_apply(y, t, h, step, c[c_tol], c[c_tol], f, a_dydt);
      if (r > 0.0) {
        y[y_V] = c[c_V_reset];
      } else if (y[y_V] >= c[c_V_spike]) {
        y[y_V] = c[c_V_reset];
        y[y_w] += c[c_b];
        r = c[c_refr] > 0.0 ? c[c_refr] + 1.0 : 0.0;  // + 1: counted down after the loop
        ++spikes;
      }
    }
    if (r > 0.0) r -= 1.0;
    s[V_m] = y[y_V];
    s[w] = y[y_w];
    for (int k = 0; k < K; ++k) {
      s[dg_1 + k] = y[y_dg_1 + 2 * k];
      s[g_1 + k] = y[y_g_1 + 2 * k];
    }
    s[h_step] = step;
    s[r_ref] = r;
    return spikes;
  }

  STARLING_HOST_DEVICE static std::uint32_t advance(double* s, const double* c) {
    static_assert(max_receptors == 8, "advance dispatches on 0 ... 8 receptors");
    switch (static_cast<int>(c[c_n_rec])) {
      case 0:
        return advance_with<0>(s, c);
      case 1:
        return advance_with<1>(s, c);
      case 2:
        return advance_with<2>(s, c);
      case 3:
        return advance_with<3>(s, c);
      case 4:
        return advance_with<4>(s, c);
      case 5:
        return advance_with<5>(s, c);
      case 6:
        return advance_with<6>(s, c);
      case 7:
        return advance_with<7>(s, c);
      default:
        return advance_with<8>(s, c);
    }
  }

  /// The step's arrivals on each receptor in use (weights in nS, normalised to the peak) and the
  /// current for the next step.
  STARLING_HOST_DEVICE static void add_inputs(double* s, const double* c, const double* in) {
    const int n = static_cast<int>(c[c_n_rec]);
    for (int k = 0; k < n; ++k) s[dg_1 + k] += in[k] * c[c_g0_1 + k];
    s[I_stim] = in[rec_current];
  }
};

}  // namespace starling::codelets::models
