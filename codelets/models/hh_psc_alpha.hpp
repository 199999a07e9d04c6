#pragma once
// hh_psc_alpha: Hodgkin-Huxley neuron with alpha-shaped post-synaptic currents, as in NEST
// (Hodgkin & Huxley 1952, J. Physiol. 117:500; rates as in Gerstner & Kistler 2002, Spiking
// Neuron Models, Cambridge UP):
//   C_m dV/dt = -g_Na m^3 h (V - E_Na) - g_K n^4 (V - E_K) - g_L (V - E_L) + I_syn_ex
//               + I_syn_in + I_e + I_stim
//   dx/dt = alpha_x(V) (1 - x) - beta_x(V) x for x = m, h, n
//   d dI_X/dt = -dI_X / tau_syn_X,  dI_X/dt = dI_X - I_X / tau_syn_X; a spike of weight w
//   (pA, signed) adds w e / tau_syn_X to dI_X (a current peak of w pA)
// integrated by GSL's adaptive RKF45 (rkf45.hpp; absolute error 1e-3, relative 0, as NEST's
// hard-coded control). After the integration: refractoriness (count down only: no clamp) or the
// spike condition V_m >= 0 mV while V_m fell over the step (the peak of the action potential
// has passed; t_ref starts at the spike), then the step's arrivals (NEST adds them before the
// spike condition, which they cannot change). A current input acts during the step after its
// arrival.
//
// | parameter  | default | unit | meaning                                   |
// |------------|---------|------|-------------------------------------------|
// | t_ref      | 2       | ms   | refractory period (no spike detection)    |
// | g_Na       | 12000   | nS   | sodium peak conductance                   |
// | g_K        | 3600    | nS   | potassium peak conductance                |
// | g_L        | 30      | nS   | leak conductance                          |
// | E_Na       | 50      | mV   | sodium reversal potential                 |
// | E_K        | -77     | mV   | potassium reversal potential              |
// | E_L        | -54.402 | mV   | leak reversal potential                   |
// | C_m        | 100     | pF   | membrane capacitance                      |
// | tau_syn_ex | 0.2     | ms   | excitatory synaptic rise time             |
// | tau_syn_in | 2       | ms   | inhibitory synaptic rise time             |
// | I_e        | 0       | pA   | constant input current                    |
// | state      |         |      |                                           |
// | V_m        | -65     | mV   | membrane potential                        |
// | Act_m      | 0.0529  |      | sodium activation (steady state at -65)   |
// | Inact_h    | 0.5961  |      | sodium inactivation (steady state at -65) |
// | Act_n      | 0.3177  |      | potassium activation (steady state at -65)|
// | I_syn_ex   | 0       | pA   | excitatory synaptic current               |
// | I_syn_in   | 0       | pA   | inhibitory synaptic current               |
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

struct hh_psc_alpha : no_arrays {
  static constexpr const char* name = "hh_psc_alpha";

  static constexpr quantity parameters[] = {
      {"t_ref", 2.0, "ms"},      {"g_Na", 12000.0, "nS"}, {"g_K", 3600.0, "nS"},
      {"g_L", 30.0, "nS"},       {"E_Na", 50.0, "mV"},    {"E_K", -77.0, "mV"},
      {"E_L", -54.402, "mV"},    {"C_m", 100.0, "pF"},    {"tau_syn_ex", 0.2, "ms"},
      {"tau_syn_in", 2.0, "ms"}, {"I_e", 0.0, "pA"},
  };
  enum param : int {
    t_ref,
    g_Na,
    g_K,
    g_L,
    E_Na,
    E_K,
    E_L,
    C_m,
    tau_syn_ex,
    tau_syn_in,
    I_e,
    n_params
  };

  /// Public states first (NEST's recordables; the gating variables start at their steady state
  /// at -65 mV, as NEST computes them); then the synaptic currents' derivatives, the current
  /// input of the step, the refractory countdown and the RKF45 step size carried from step to
  /// step (NEST's IntegrationStep_; 0: not yet set, the resolution is used).
  static constexpr quantity states[] = {
      {"V_m", -65.0, "mV"},
      {"Act_m", 0.05293248525724958, ""},
      {"Inact_h", 0.5961207535084603, ""},
      {"Act_n", 0.3176769140606974, ""},
      {"I_syn_ex", 0.0, "pA"},
      {"I_syn_in", 0.0, "pA"},
      {"dI_syn_ex", 0.0, "pA/ms"},
      {"dI_syn_in", 0.0, "pA/ms"},
      {"I_stim", 0.0, "pA"},
      {"refractory_steps", 0.0, ""},
      {"integration_step", 0.0, "ms"},
  };
  enum state : int {
    V_m,
    Act_m,
    Inact_h,
    Act_n,
    I_syn_ex,
    I_syn_in,
    dI_syn_ex,
    dI_syn_in,
    I_stim,
    r_ref,
    h_step,
    n_states
  };
  static constexpr int n_public_states = 6;

  /// NEST's state vector order, as the integrator sees it.
  enum ode : int { y_V, y_m, y_h, y_n, y_dI_ex, y_I_ex, y_dI_in, y_I_in, n_odes };

  enum coeff : int {
    c_h,
    c_g_Na,
    c_g_K,
    c_g_L,
    c_E_Na,
    c_E_K,
    c_E_L,
    c_C_m,
    c_tau_ex,
    c_tau_in,
    c_I_e,
    c_refr,
    c_psc_ex,
    c_psc_in,
    n_coeffs
  };

  static constexpr receptor_scheme receptors = receptor_scheme::by_sign;
  enum channel : int { rec_ex, rec_in, rec_current, n_channels };
  static constexpr int excitatory_channel = rec_ex;
  static constexpr int inhibitory_channel = rec_in;
  static constexpr int current_channel = rec_current;
  static constexpr int current_state = I_stim;
  static constexpr int refractory_coeff = c_refr;
  static constexpr std::uint32_t max_spikes_per_step = 1;
  static constexpr bool threshold_sees_input = false;
  static constexpr bool exact_integration = false;
  static constexpr double eps_abs = 1e-3;  // NEST's gsl_odeiv_control_y_new(1e-3, 0.0)
  static constexpr double eps_rel = 0.0;
  static constexpr double e = 2.718281828459045;  // Euler's number (NEST's numerics::e)

  static void derive(const double* p, double h, double* c) {
    auto check = [&](int i, bool ok, const char* what) {
      if (!ok) bad_parameter(name, parameters[i], p[i], what);
    };
    check(C_m, p[C_m] > 0.0, "a strictly positive capacitance");
    check(t_ref, p[t_ref] >= 0.0, "a value >= 0");
    check(tau_syn_ex, p[tau_syn_ex] > 0.0, "a strictly positive time constant");
    check(tau_syn_in, p[tau_syn_in] > 0.0, "a strictly positive time constant");
    check(g_K, p[g_K] >= 0.0, "a non-negative conductance");
    check(g_Na, p[g_Na] >= 0.0, "a non-negative conductance");
    check(g_L, p[g_L] >= 0.0, "a non-negative conductance");
    c[c_h] = h;
    c[c_g_Na] = p[g_Na];
    c[c_g_K] = p[g_K];
    c[c_g_L] = p[g_L];
    c[c_E_Na] = p[E_Na];
    c[c_E_K] = p[E_K];
    c[c_E_L] = p[E_L];
    c[c_C_m] = p[C_m];
    c[c_tau_ex] = p[tau_syn_ex];
    c[c_tau_in] = p[tau_syn_in];
    c[c_I_e] = p[I_e];
    c[c_refr] = std::nearbyint(p[t_ref] / h);
    c[c_psc_ex] = 1.0 * e / p[tau_syn_ex];  // a current peak of 1 pA per unit weight
    c[c_psc_in] = 1.0 * e / p[tau_syn_in];
  }

  /// The right-hand side (NEST's hh_psc_alpha_dynamics) with the step's current input.
  struct dynamics {
    const double* c;
    double i_stim;  // pA
    STARLING_HOST_DEVICE void operator()(const double* y, double* f) const {
      const double v = y[y_V];
      const double m = y[y_m];
      const double hh = y[y_h];
      const double n = y[y_n];
      const double alpha_n = (0.01 * (v + 55.)) / (1. - portable_exp(-(v + 55.) / 10.));
      const double beta_n = 0.125 * portable_exp(-(v + 65.) / 80.);
      const double alpha_m = (0.1 * (v + 40.)) / (1. - portable_exp(-(v + 40.) / 10.));
      const double beta_m = 4. * portable_exp(-(v + 65.) / 18.);
      const double alpha_h = 0.07 * portable_exp(-(v + 65.) / 20.);
      const double beta_h = 1. / (1. + portable_exp(-(v + 35.) / 10.));
      const double i_na = c[c_g_Na] * m * m * m * hh * (v - c[c_E_Na]);
      const double i_k = c[c_g_K] * n * n * n * n * (v - c[c_E_K]);
      const double i_l = c[c_g_L] * (v - c[c_E_L]);
      f[y_V] = (-(i_na + i_k + i_l) + i_stim + c[c_I_e] + y[y_I_ex] + y[y_I_in]) / c[c_C_m];
      f[y_m] = alpha_m * (1 - m) - beta_m * m;
      f[y_h] = alpha_h * (1 - hh) - beta_h * hh;
      f[y_n] = alpha_n * (1 - n) - beta_n * n;
      f[y_dI_ex] = -y[y_dI_ex] / c[c_tau_ex];
      f[y_I_ex] = y[y_dI_ex] - (y[y_I_ex] / c[c_tau_ex]);
      f[y_dI_in] = -y[y_dI_in] / c[c_tau_in];
      f[y_I_in] = y[y_dI_in] - (y[y_I_in] / c[c_tau_in]);
    }
  };

  /// The integration over the step, then refractoriness or the spike condition.
  STARLING_HOST_DEVICE static std::uint32_t advance(double* s, const double* c) {
    const double u_old = s[V_m];
    double y[n_odes] = {s[V_m],       s[Act_m],    s[Inact_h],   s[Act_n],
                        s[dI_syn_ex], s[I_syn_ex], s[dI_syn_in], s[I_syn_in]};
    const double h = c[c_h];
    double step = s[h_step] > 0.0 ? s[h_step] : h;
    double t = 0.0;
    const dynamics f{c, s[I_stim]};
    while (t < h) rkf45_apply(y, t, h, step, eps_abs, eps_rel, f);
    s[V_m] = y[y_V];
    s[Act_m] = y[y_m];
    s[Inact_h] = y[y_h];
    s[Act_n] = y[y_n];
    s[dI_syn_ex] = y[y_dI_ex];
    s[I_syn_ex] = y[y_I_ex];
    s[dI_syn_in] = y[y_dI_in];
    s[I_syn_in] = y[y_I_in];
    s[h_step] = step;
    if (s[r_ref] > 0.0) {
      s[r_ref] -= 1.0;
    } else if (s[V_m] >= 0.0 && u_old > s[V_m]) {
      s[r_ref] = c[c_refr];
      return 1;
    }
    return 0;
  }

  /// The step's arrivals: jumps of the currents' derivatives (weights in pA, inhibitory ones
  /// negative) and the current for the next step.
  STARLING_HOST_DEVICE static void add_inputs(double* s, const double* c, const double* in) {
    s[dI_syn_ex] += in[rec_ex] * c[c_psc_ex];
    s[dI_syn_in] += in[rec_in] * c[c_psc_in];
    s[I_stim] = in[rec_current];
  }
};

}  // namespace starling::codelets::models
