#pragma once
// aeif_cond_exp: adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005,
// J. Neurophysiol. 94:3637) with exponentially decaying synaptic conductances, as in NEST:
//   C_m dV/dt = -g_L (V - E_L) + g_L Delta_T exp((V - V_th) / Delta_T) - g_ex (V - E_ex)
//               - g_in (V - E_in) - w + I_e + I_stim
//   tau_w dw/dt = a (V - E_L) - w
//   dg_X/dt = -g_X / tau_syn_X; a spike of weight w adds w to g_ex (w > 0) or -w to g_in (nS)
// integrated by GSL's adaptive RKF45 (rkf45.hpp) with NEST's control on y and y'
// (eps_abs = eps_rel = gsl_error_tol, a_y = 0, a_dydt = 1). In the right-hand side V is bounded by
// V_peak (the exponential term is left out when Delta_T = 0) and held at V_reset (dV/dt = 0) while
// refractory. After each RKF45 sub-step (NEST's order): clamp to V_reset while refractory, else
// V_m >= V_peak (V_th if Delta_T = 0) is a spike (V_reset, w += b, t_ref; several spikes per step
// when t_ref = 0); after the step the refractory count goes down, then the step's conductance
// arrivals; a current input acts during the next step. NEST's NumericalInstability (V_m < -1e3
// or |w| > 1e6) is not raised.
//
// | parameter     | default | unit | meaning                                   |
// |---------------|---------|------|-------------------------------------------|
// | C_m           | 281     | pF   | membrane capacitance                      |
// | g_L           | 30      | nS   | leak conductance                          |
// | E_L           | -70.6   | mV   | leak reversal potential                   |
// | V_th          | -50.4   | mV   | spike initiation threshold                |
// | V_peak        | 0       | mV   | spike detection threshold                 |
// | V_reset       | -60     | mV   | reset potential                           |
// | t_ref         | 0       | ms   | absolute refractory period                |
// | Delta_T       | 2       | mV   | slope factor (0: no exponential term)     |
// | a             | 4       | nS   | subthreshold adaptation                   |
// | b             | 80.5    | pA   | spike-triggered adaptation                |
// | tau_w         | 144     | ms   | adaptation time constant                  |
// | E_ex          | 0       | mV   | excitatory reversal potential             |
// | E_in          | -85     | mV   | inhibitory reversal potential             |
// | tau_syn_ex    | 0.2     | ms   | excitatory conductance time constant      |
// | tau_syn_in    | 2       | ms   | inhibitory conductance time constant      |
// | I_e           | 0       | pA   | constant input current                    |
// | gsl_error_tol | 1e-6    |      | RKF45 error tolerance                     |
// | state         |         |      |                                           |
// | V_m           | -70.6   | mV   | membrane potential                        |
// | g_ex          | 0       | nS   | excitatory conductance                    |
// | g_in          | 0       | nS   | inhibitory conductance                    |
// | w             | 0       | pA   | adaptation current                        |
//
// Ring channels: 0 excitatory spikes, 1 inhibitory spikes, 2 currents from current generators.
#include <cmath>
#include <cstdint>
#include <string>

#include "codelets/common/portable_math.hpp"
#include "neuron_model.hpp"
#include "rkf45.hpp"
#include "starling/error.hpp"

namespace starling::codelets::models {

struct aeif_cond_exp : no_arrays {
  static constexpr const char* name = "aeif_cond_exp";

  static constexpr quantity parameters[] = {
      {"C_m", 281.0, "pF"},  {"g_L", 30.0, "nS"},         {"E_L", -70.6, "mV"},
      {"V_th", -50.4, "mV"}, {"V_peak", 0.0, "mV"},       {"V_reset", -60.0, "mV"},
      {"t_ref", 0.0, "ms"},  {"Delta_T", 2.0, "mV"},      {"a", 4.0, "nS"},
      {"b", 80.5, "pA"},     {"tau_w", 144.0, "ms"},      {"E_ex", 0.0, "mV"},
      {"E_in", -85.0, "mV"}, {"tau_syn_ex", 0.2, "ms"},   {"tau_syn_in", 2.0, "ms"},
      {"I_e", 0.0, "pA"},    {"gsl_error_tol", 1e-6, ""},
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
    E_ex,
    E_in,
    tau_syn_ex,
    tau_syn_in,
    I_e,
    gsl_error_tol,
    n_params
  };

  /// Public states first (NEST's state vector); then the current input of the step, the
  /// refractory countdown and the RKF45 step size carried from step to step (NEST's
  /// IntegrationStep_; 0: not yet set, the resolution is used).
  static constexpr quantity states[] = {
      {"V_m", -70.6, "mV"},
      {"g_ex", 0.0, "nS"},
      {"g_in", 0.0, "nS"},
      {"w", 0.0, "pA"},
      {"I_stim", 0.0, "pA"},
      {"refractory_steps", 0.0, ""},
      {"integration_step", 0.0, "ms"},
  };
  enum state : int { V_m, g_ex, g_in, w, I_stim, r_ref, h_step, n_states };
  static constexpr int n_public_states = 4;
  static constexpr int n_odes = 4;  ///< NEST's state vector: the public states

  /// The parameters (same order), then the derived values.
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
    c_E_ex,
    c_E_in,
    c_tau_ex,
    c_tau_in,
    c_I_e,
    c_tol,
    c_h,
    c_refr,
    c_V_spike,
    n_coeffs
  };

  static constexpr receptor_scheme receptors = receptor_scheme::by_sign;
  enum channel : int { rec_ex, rec_in, rec_current, n_channels };
  static constexpr int excitatory_channel = rec_ex;
  static constexpr int inhibitory_channel = rec_in;
  static constexpr int current_channel = rec_current;
  static constexpr int current_state = I_stim;
  static constexpr int refractory_coeff = c_refr;
  static constexpr std::uint32_t max_spikes_per_step = 0;  // unbounded when t_ref = 0
  static constexpr bool threshold_sees_input = false;
  static constexpr bool exact_integration = false;
  static constexpr double a_dydt = 1.0;  // NEST's gsl_odeiv_control_yp_new(tol, tol)

  static void derive(const double* p, double h, double* c) {
    auto fail = [&](int i, const std::string& what) {
      bad_parameter(name, parameters[i], p[i], what);
    };
    if (!(p[V_reset] < p[V_peak]))
      fail(V_reset, "a value below V_peak = " + number(p[V_peak]) + " mV");
    if (!(p[Delta_T] >= 0.0)) fail(Delta_T, "a value >= 0");
    if (p[Delta_T] > 0.0 &&
        !((p[V_peak] - p[V_th]) / p[Delta_T] < std::log(1.7976931348623157e308 / 1e20)))
      fail(Delta_T, "a larger value or a lower V_peak (exp((V_peak - V_th) / Delta_T) overflows)");
    if (!(p[V_peak] >= p[V_th])) fail(V_peak, "a value >= V_th = " + number(p[V_th]) + " mV");
    if (!(p[C_m] > 0.0)) fail(C_m, "a strictly positive capacitance");
    if (!(p[t_ref] >= 0.0)) fail(t_ref, "a value >= 0");
    if (!(p[tau_syn_ex] > 0.0)) fail(tau_syn_ex, "a strictly positive time constant");
    if (!(p[tau_syn_in] > 0.0)) fail(tau_syn_in, "a strictly positive time constant");
    if (!(p[tau_w] > 0.0)) fail(tau_w, "a strictly positive time constant");
    if (!(p[gsl_error_tol] > 0.0)) fail(gsl_error_tol, "a strictly positive tolerance");
    for (int i = 0; i < n_params; ++i) c[i] = p[i];
    c[c_h] = h;
    c[c_refr] = std::nearbyint(p[t_ref] / h);
    c[c_V_spike] = p[Delta_T] > 0.0 ? p[V_peak] : p[V_th];  // NEST's V_.V_peak
  }

  /// The right-hand side (NEST's aeif_cond_exp_dynamics): the refractory flag is that at the
  /// start of the sub-step, the current input that of the step.
  struct dynamics {
    const double* c;
    bool refractory;
    double i_stim;  // pA
    STARLING_HOST_DEVICE void operator()(const double* y, double* f) const {
      const double v_peak = c[c_V_peak];
      const double v = refractory ? c[c_V_reset] : (v_peak < y[V_m] ? v_peak : y[V_m]);
      const double i_syn_exc = y[g_ex] * (v - c[c_E_ex]);
      const double i_syn_inh = y[g_in] * (v - c[c_E_in]);
      const double i_spike = c[c_Delta_T] == 0.0 ? 0.0
                                                 : c[c_g_L] * c[c_Delta_T] *
                                                       portable_exp((v - c[c_V_th]) / c[c_Delta_T]);
      f[V_m] = refractory ? 0.0
                          : (-c[c_g_L] * (v - c[c_E_L]) + i_spike - i_syn_exc - i_syn_inh - y[w] +
                             c[c_I_e] + i_stim) /
                                c[c_C_m];
      f[g_ex] = -y[g_ex] / c[c_tau_ex];
      f[g_in] = -y[g_in] / c[c_tau_in];
      f[w] = (c[c_a] * (v - c[c_E_L]) - y[w]) / c[c_tau_w];
    }
  };

  /// The integration over the step with the threshold after each sub-step, then the refractory
  /// countdown; returns the number of spikes of the step.
  STARLING_HOST_DEVICE static std::uint32_t advance(double* s, const double* c) {
    double y[n_odes];
    for (int i = 0; i < n_odes; ++i) y[i] = s[i];
    const double h = c[c_h];
    double step = s[h_step] > 0.0 ? s[h_step] : h;
    double t = 0.0;
    double r = s[r_ref];
    std::uint32_t spikes = 0;
    while (t < h) {
      const dynamics f{c, r > 0.0, s[I_stim]};
      rkf45_apply(y, t, h, step, c[c_tol], c[c_tol], f, a_dydt);
      if (r > 0.0) {
        y[V_m] = c[c_V_reset];
      } else if (y[V_m] >= c[c_V_spike]) {
        y[V_m] = c[c_V_reset];
        y[w] += c[c_b];
        r = c[c_refr] > 0.0 ? c[c_refr] + 1.0 : 0.0;  // + 1: counted down after the loop
        ++spikes;
      }
    }
    if (r > 0.0) r -= 1.0;
    for (int i = 0; i < n_odes; ++i) s[i] = y[i];
    s[h_step] = step;
    s[r_ref] = r;
    return spikes;
  }

  /// The step's arrivals: jumps of the conductances (weights in nS) and the current for the next
  /// step.
  STARLING_HOST_DEVICE static void add_inputs(double* s, const double* c, const double* in) {
    (void)c;
    s[g_ex] += in[rec_ex];
    s[g_in] += -in[rec_in];
    s[I_stim] = in[rec_current];
  }
};

}  // namespace starling::codelets::models
