#pragma once
// iaf_psc_exp: leaky integrate-and-fire neuron with exponential post-synaptic currents, as in
// NEST. Exact integration (Rotter & Diesmann 1999, Biol. Cybern. 81:381); the synaptic time
// constants of excitatory (weight >= 0) and inhibitory (weight < 0) inputs differ.
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
// Receptors of the input ring buffer: 0 excitatory spikes, 1 inhibitory spikes, 2 currents from
// current generators (applied during the step after their arrival, as NEST's I_0).
#include <cmath>
#include <string>

#include "codelets/common/host_device.hpp"
#include "codelets/common/quantity.hpp"
#include "starling/error.hpp"

namespace starling::codelets::iaf_psc_exp {

inline constexpr quantity parameters[] = {
    {"E_L", -70.0, "mV"},      {"C_m", 250.0, "pF"},      {"tau_m", 10.0, "ms"},
    {"t_ref", 2.0, "ms"},      {"V_th", -55.0, "mV"},     {"V_reset", -70.0, "mV"},
    {"tau_syn_ex", 2.0, "ms"}, {"tau_syn_in", 2.0, "ms"}, {"I_e", 0.0, "pA"},
};
enum param : int { E_L, C_m, tau_m, t_ref, V_th, V_reset, tau_syn_ex, tau_syn_in, I_e, n_params };

/// Public states first; the internal ones (current input of the step, refractory countdown)
/// follow and are not recordable by name.
inline constexpr quantity states[] = {
    {"V_m", -70.0, "mV"}, {"I_syn_ex", 0.0, "pA"},       {"I_syn_in", 0.0, "pA"},
    {"i_0", 0.0, "pA"},   {"refractory_steps", 0.0, ""},
};
enum state : int { V_m, I_syn_ex, I_syn_in, i_0, r_ref, n_states };
inline constexpr int n_public_states = 3;

/// Propagators and constants, computed on the host in double precision.
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

enum receptor : int { rec_ex, rec_in, rec_current, n_receptors };

/// Propagator from synaptic current to membrane potential over h for time constants tau_s and
/// tau_m (NEST's propagator_32), with the limit tau_s == tau_m handled.
inline double propagator_32(double tau_s, double tau_m, double c_m, double h) {
  const double d = 1.0 / tau_m - 1.0 / tau_s;
  if (std::fabs(d) * h < 1e-12) return h / c_m * std::exp(-h / tau_m);
  // tau_s tau_m / (C (tau_m - tau_s)) (e^{-h/tau_m} - e^{-h/tau_s}), written with expm1.
  return std::exp(-h / tau_m) * std::expm1(h * d) / (c_m * d);
}

/// Checks one neuron's parameters and computes its coefficients. Throws invalid_argument.
inline void derive(const double* p, double h, double* c) {
  auto positive = [&](int i, const char* name) {
    if (!(p[i] > 0.0))
      throw invalid_argument(std::string("iaf_psc_exp: ") + name + " = " + number(p[i]) +
                             "; expected a positive value");
  };
  positive(param::C_m, "C_m");
  positive(param::tau_m, "tau_m");
  positive(param::tau_syn_ex, "tau_syn_ex");
  positive(param::tau_syn_in, "tau_syn_in");
  if (!(p[param::t_ref] >= 0.0))
    throw invalid_argument("iaf_psc_exp: t_ref = " + number(p[param::t_ref]) +
                           " ms; expected a value >= 0");
  if (!(p[param::V_reset] < p[param::V_th]))
    throw invalid_argument("iaf_psc_exp: V_reset = " + number(p[param::V_reset]) +
                           " mV; expected a value below V_th = " + number(p[param::V_th]));
  c[P22] = std::exp(-h / p[param::tau_m]);
  c[P21ex] = propagator_32(p[param::tau_syn_ex], p[param::tau_m], p[param::C_m], h);
  c[P21in] = propagator_32(p[param::tau_syn_in], p[param::tau_m], p[param::C_m], h);
  c[P11ex] = std::exp(-h / p[param::tau_syn_ex]);
  c[P11in] = std::exp(-h / p[param::tau_syn_in]);
  c[P20] = -p[param::tau_m] / p[param::C_m] * std::expm1(-h / p[param::tau_m]);
  c[c_E_L] = p[param::E_L];
  c[c_I_e] = p[param::I_e];
  c[c_V_th] = p[param::V_th];
  c[c_V_reset] = p[param::V_reset];
  c[c_refr] = std::nearbyint(p[param::t_ref] / h);
}

/// The part of a step that its inputs do not change: the membrane (with the currents of the
/// previous step), refractoriness, synaptic decay and the threshold. True on a spike.
STARLING_HOST_DEVICE inline bool advance_membrane(double* s, const double* c) {
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
    return true;
  }
  return false;
}

/// The inputs that arrived in the step, after advance_membrane (products and sums are rounded
/// one at a time: the build contracts no multiply-add).
STARLING_HOST_DEVICE inline void add_inputs(double* s, double in_ex, double in_in,
                                            double in_current) {
  s[I_syn_ex] += in_ex;
  s[I_syn_in] += in_in;
  s[i_0] = in_current;
}

/// One step of one neuron, in NEST's order: membrane first (with the currents of the previous
/// step), then synaptic decay and the inputs that arrived in this step; the threshold sees
/// the membrane only, so it may come before the inputs. `s` holds the state by `state` index,
/// `c` the coefficients; returns true on a spike.
STARLING_HOST_DEVICE inline bool update(double* s, const double* c, double in_ex, double in_in,
                                        double in_current) {
  const bool spiked = advance_membrane(s, c);
  add_inputs(s, in_ex, in_in, in_current);
  return spiked;
}

}  // namespace starling::codelets::iaf_psc_exp
