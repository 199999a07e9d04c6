#pragma once
// iaf_psc_exp: leaky integrate-and-fire neuron with exponential post-synaptic currents, as in
// NEST. Exact integration (Rotter & Diesmann 1999, Biol. Cybern. 81:381):
//   C_m dV/dt = -(V - E_L) C_m / tau_m + I_syn_ex + I_syn_in + I_e + I_0
//   dI_syn_X/dt = -I_syn_X / tau_syn_X,  a spike of weight w adds w to I_syn_ex (w >= 0) or
//   I_syn_in (w < 0); V >= V_th: spike, V = V_reset, clamped for t_ref.
// Order of a step (NEST): membrane with the currents of the step before, synaptic decay, the
// threshold, then the step's arrivals; a current input acts during the step after its arrival.
//
// | parameter  | default | unit | meaning                                   |
// |------------|---------|------|-------------------------------------------|
// | E_L        | -70     | mV   | resting potential                         |
// | C_m        | 250     | pF   | membrane capacitance                      |
// | tau_m      | 10      | ms   | membrane time constant                    |
// | t_ref      | 2       | ms   | absolute refractory period                |
// | V_th       | -55     | mV   | spike threshold                           |
// | V_reset    | -70     | mV   | reset potential                           |
// | tau_syn_ex | 2       | ms   | excitatory synaptic time constant         |
// | tau_syn_in | 2       | ms   | inhibitory synaptic time constant         |
// | I_e        | 0       | pA   | constant input current                    |
// | state      |         |      |                                           |
// | V_m        | -70     | mV   | membrane potential                        |
// | I_syn_ex   | 0       | pA   | excitatory synaptic current               |
// | I_syn_in   | 0       | pA   | inhibitory synaptic current (<= 0)        |
//
// Ring channels: 0 excitatory spikes, 1 inhibitory spikes, 2 currents from current generators.
#include <cmath>
#include <cstdint>
#include <string>

#include "neuron_model.hpp"
#include "starling/error.hpp"

namespace starling::codelets::models {

/// Propagator from synaptic current to membrane potential over h for time constants tau_s and
/// tau_m (NEST's propagator_32), with the limit tau_s == tau_m handled.
inline double propagator_32(double tau_s, double tau_m, double c_m, double h) {
  const double d = 1.0 / tau_m - 1.0 / tau_s;
  if (std::fabs(d) * h < 1e-12) return h / c_m * std::exp(-h / tau_m);
  // tau_s tau_m / (C (tau_m - tau_s)) (e^{-h/tau_m} - e^{-h/tau_s}), written with expm1.
  return std::exp(-h / tau_m) * std::expm1(h * d) / (c_m * d);
}

struct iaf_psc_exp : no_arrays {
  static constexpr const char* name = "iaf_psc_exp";

  static constexpr quantity parameters[] = {
      {"E_L", -70.0, "mV"},      {"C_m", 250.0, "pF"},      {"tau_m", 10.0, "ms"},
      {"t_ref", 2.0, "ms"},      {"V_th", -55.0, "mV"},     {"V_reset", -70.0, "mV"},
      {"tau_syn_ex", 2.0, "ms"}, {"tau_syn_in", 2.0, "ms"}, {"I_e", 0.0, "pA"},
  };
  enum param : int { E_L, C_m, tau_m, t_ref, V_th, V_reset, tau_syn_ex, tau_syn_in, I_e, n_params };

  /// Public states first; the internal ones (current input of the step, refractory countdown)
  /// follow and are not recordable by name.
  static constexpr quantity states[] = {
      {"V_m", -70.0, "mV"}, {"I_syn_ex", 0.0, "pA"},       {"I_syn_in", 0.0, "pA"},
      {"i_0", 0.0, "pA"},   {"refractory_steps", 0.0, ""},
  };
  enum state : int { V_m, I_syn_ex, I_syn_in, i_0, r_ref, n_states };
  static constexpr int n_public_states = 3;

  enum coeff : int {
    P22,
    P21ex,
    P21in,
    P11ex,
    P11in,
    P20,
    c_E_L,
    c_I_e,
    c_V_th,
    c_V_reset,
    c_refr,
    n_coeffs
  };

  static constexpr receptor_scheme receptors = receptor_scheme::by_sign;
  enum channel : int { rec_ex, rec_in, rec_current, n_channels };
  static constexpr int excitatory_channel = rec_ex;
  static constexpr int inhibitory_channel = rec_in;
  static constexpr int current_channel = rec_current;
  static constexpr int current_state = i_0;
  static constexpr int refractory_coeff = c_refr;
  static constexpr std::uint32_t max_spikes_per_step = 1;
  static constexpr bool threshold_sees_input = false;
  static constexpr bool exact_integration = true;

  static void derive(const double* p, double h, double* c) {
    auto positive = [&](int i) {
      if (!(p[i] > 0.0)) bad_parameter(name, parameters[i], p[i], "a positive value");
    };
    positive(C_m);
    positive(tau_m);
    positive(tau_syn_ex);
    positive(tau_syn_in);
    if (!(p[t_ref] >= 0.0)) bad_parameter(name, parameters[t_ref], p[t_ref], "a value >= 0");
    if (!(p[V_reset] < p[V_th]))
      bad_parameter(name, parameters[V_reset], p[V_reset],
                    "a value below V_th = " + number(p[V_th]));
    c[P22] = std::exp(-h / p[tau_m]);
    c[P21ex] = propagator_32(p[tau_syn_ex], p[tau_m], p[C_m], h);
    c[P21in] = propagator_32(p[tau_syn_in], p[tau_m], p[C_m], h);
    c[P11ex] = std::exp(-h / p[tau_syn_ex]);
    c[P11in] = std::exp(-h / p[tau_syn_in]);
    c[P20] = -p[tau_m] / p[C_m] * std::expm1(-h / p[tau_m]);
    c[c_E_L] = p[E_L];
    c[c_I_e] = p[I_e];
    c[c_V_th] = p[V_th];
    c[c_V_reset] = p[V_reset];
    c[c_refr] = std::nearbyint(p[t_ref] / h);
  }

  /// The membrane (with the currents of the step before), refractoriness, synaptic decay and
  /// the threshold.
  STARLING_HOST_DEVICE static std::uint32_t advance(double* s, const double* c) {
    if (s[r_ref] == 0.0) {
      const double v = s[V_m] - c[c_E_L];
      s[V_m] = c[c_E_L] + (v * c[P22] + s[I_syn_ex] * c[P21ex] + s[I_syn_in] * c[P21in] +
                           (c[c_I_e] + s[i_0]) * c[P20]);
    } else {
      s[r_ref] -= 1.0;
    }
    s[I_syn_ex] *= c[P11ex];
    s[I_syn_in] *= c[P11in];
    if (s[V_m] >= c[c_V_th]) {
      s[r_ref] = c[c_refr];
      s[V_m] = c[c_V_reset];
      return 1;
    }
    return 0;
  }

  /// The step's arrivals (products and sums are rounded one at a time: the build contracts no
  /// multiply-add).
  STARLING_HOST_DEVICE static void add_inputs(double* s, const double*, const double* in) {
    s[I_syn_ex] += in[rec_ex];
    s[I_syn_in] += in[rec_in];
    s[i_0] = in[rec_current];
  }
};

}  // namespace starling::codelets::models
