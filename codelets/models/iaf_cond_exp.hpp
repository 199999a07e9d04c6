#pragma once
// iaf_cond_exp: leaky integrate-and-fire neuron with exponentially decaying synaptic
// conductances, as in NEST (Meffin et al. 2004, J. Neurophysiol. 92:2736):
//   C_m dV/dt = -g_L (V - E_L) - g_ex (V - E_ex) - g_in (V - E_in) + I_e + I_stim
//   dg_X/dt = -g_X / tau_syn_X,  a spike of weight w adds w to g_ex (w >= 0) or -w to g_in
// integrated by GSL's adaptive RKF45 (rkf45.hpp; absolute error 1e-3, relative 0, as NEST's
// hard-coded control). In the right-hand side V is bounded by V_th, and held at V_reset with
// dV/dt = 0 while refractory. After the integration: refractoriness (clamp to V_reset, count
// down) or the threshold V_m >= V_th (spike, V_reset, t_ref), then the step's conductance
// arrivals (NEST adds them before the threshold, which they cannot change); a current input
// acts during the step after its arrival.
//
// | parameter  | default | unit | meaning                                   |
// |------------|---------|------|-------------------------------------------|
// | V_th       | -55     | mV   | spike threshold                           |
// | V_reset    | -60     | mV   | reset potential                           |
// | t_ref      | 2       | ms   | absolute refractory period                |
// | g_L        | 16.6667 | nS   | leak conductance                          |
// | E_L        | -70     | mV   | leak reversal potential                   |
// | E_ex       | 0       | mV   | excitatory reversal potential             |
// | E_in       | -85     | mV   | inhibitory reversal potential             |
// | C_m        | 250     | pF   | membrane capacitance                      |
// | tau_syn_ex | 0.2     | ms   | excitatory conductance time constant      |
// | tau_syn_in | 2       | ms   | inhibitory conductance time constant      |
// | I_e        | 0       | pA   | constant input current                    |
// | state      |         |      |                                           |
// | V_m        | -70     | mV   | membrane potential                        |
// | g_ex       | 0       | nS   | excitatory conductance                    |
// | g_in       | 0       | nS   | inhibitory conductance                    |
//
// Ring channels: 0 excitatory spikes, 1 inhibitory spikes, 2 currents from current generators.
#include <cmath>
#include <cstdint>
#include <string>

#include "neuron_model.hpp"
#include "rkf45.hpp"
#include "starling/error.hpp"

namespace starling::codelets::models {

struct iaf_cond_exp : no_arrays {
  static constexpr const char* name = "iaf_cond_exp";

  static constexpr quantity parameters[] = {
      {"V_th", -55.0, "mV"},     {"V_reset", -60.0, "mV"}, {"t_ref", 2.0, "ms"},
      {"g_L", 16.6667, "nS"},    {"E_L", -70.0, "mV"},     {"E_ex", 0.0, "mV"},
      {"E_in", -85.0, "mV"},     {"C_m", 250.0, "pF"},     {"tau_syn_ex", 0.2, "ms"},
      {"tau_syn_in", 2.0, "ms"}, {"I_e", 0.0, "pA"},
  };
  enum param : int {
    V_th,
    V_reset,
    t_ref,
    g_L,
    E_L,
    E_ex,
    E_in,
    C_m,
    tau_syn_ex,
    tau_syn_in,
    I_e,
    n_params
  };

  /// Public states first (NEST's state vector); then the current input of the step, the
  /// refractory countdown and the RKF45 step size carried from step to step (NEST's
  /// IntegrationStep_; 0: not yet set, the resolution is used).
  static constexpr quantity states[] = {
      {"V_m", -70.0, "mV"},  {"g_ex", 0.0, "nS"},           {"g_in", 0.0, "nS"},
      {"I_stim", 0.0, "pA"}, {"refractory_steps", 0.0, ""}, {"integration_step", 0.0, "ms"},
  };
  enum state : int { V_m, g_ex, g_in, I_stim, r_ref, h_step, n_states };
  static constexpr int n_public_states = 3;
  static constexpr int n_odes = 3;  ///< V_m, g_ex, g_in

  enum coeff : int {
    c_h,
    c_V_th,
    c_V_reset,
    c_g_L,
    c_E_L,
    c_E_ex,
    c_E_in,
    c_C_m,
    c_tau_ex,
    c_tau_in,
    c_I_e,
    c_refr,
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

  static void derive(const double* p, double h, double* c) {
    auto positive = [&](int i, const char* what) {
      if (!(p[i] > 0.0)) bad_parameter(name, parameters[i], p[i], what);
    };
    if (!(p[V_reset] < p[V_th]))
      bad_parameter(name, parameters[V_reset], p[V_reset],
                    "a value below V_th = " + number(p[V_th]) + " mV");
    positive(C_m, "a strictly positive capacitance");
    if (!(p[t_ref] >= 0.0)) bad_parameter(name, parameters[t_ref], p[t_ref], "a value >= 0");
    positive(tau_syn_ex, "a strictly positive time constant");
    positive(tau_syn_in, "a strictly positive time constant");
    c[c_h] = h;
    c[c_V_th] = p[V_th];
    c[c_V_reset] = p[V_reset];
    c[c_g_L] = p[g_L];
    c[c_E_L] = p[E_L];
    c[c_E_ex] = p[E_ex];
    c[c_E_in] = p[E_in];
    c[c_C_m] = p[C_m];
    c[c_tau_ex] = p[tau_syn_ex];
    c[c_tau_in] = p[tau_syn_in];
    c[c_I_e] = p[I_e];
    c[c_refr] = std::nearbyint(p[t_ref] / h);
  }

  /// The right-hand side over one step (NEST's iaf_cond_exp_dynamics): the refractory flag and
  /// the current input are those at the step's start.
  struct dynamics {
    const double* c;
    bool refractory;
    double i_stim;  // pA
    STARLING_HOST_DEVICE void operator()(const double* y, double* f) const {
      const double v_th = c[c_V_th];
      const double v = refractory ? c[c_V_reset] : (v_th < y[0] ? v_th : y[0]);
      const double i_syn_exc = y[1] * (v - c[c_E_ex]);
      const double i_syn_inh = y[2] * (v - c[c_E_in]);
      const double i_l = c[c_g_L] * (v - c[c_E_L]);
      f[0] = refractory ? 0.0 : (-i_l + i_stim + c[c_I_e] - i_syn_exc - i_syn_inh) / c[c_C_m];
      f[1] = -y[1] / c[c_tau_ex];
      f[2] = -y[2] / c[c_tau_in];
    }
  };

  /// The integration over the step, then refractoriness or the threshold.
  STARLING_HOST_DEVICE static std::uint32_t advance(double* s, const double* c) {
    double y[n_odes] = {s[V_m], s[g_ex], s[g_in]};
    const double h = c[c_h];
    double step = s[h_step] > 0.0 ? s[h_step] : h;
    double t = 0.0;
    const dynamics f{c, s[r_ref] > 0.0, s[I_stim]};
    while (t < h) rkf45_apply(y, t, h, step, eps_abs, eps_rel, f);
    s[V_m] = y[0];
    s[g_ex] = y[1];
    s[g_in] = y[2];
    s[h_step] = step;
    if (s[r_ref] > 0.0) {
      s[r_ref] -= 1.0;
      s[V_m] = c[c_V_reset];
    } else if (s[V_m] >= c[c_V_th]) {
      s[r_ref] = c[c_refr];
      s[V_m] = c[c_V_reset];
      return 1;
    }
    return 0;
  }

  /// The step's arrivals: conductance jumps (nS) and the current for the next step.
  STARLING_HOST_DEVICE static void add_inputs(double* s, const double*, const double* in) {
    s[g_ex] += in[rec_ex];
    s[g_in] += -in[rec_in];
    s[I_stim] = in[rec_current];
  }
};

}  // namespace starling::codelets::models
