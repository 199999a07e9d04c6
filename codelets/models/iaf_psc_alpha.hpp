#pragma once
// iaf_psc_alpha: leaky integrate-and-fire neuron with alpha-shaped post-synaptic currents, as in
// NEST. Exact integration (Rotter & Diesmann 1999, Biol. Cybern. 81:381):
//   C_m dV/dt = -(V - E_L) C_m / tau_m + I_syn_ex + I_syn_in + I_e + I_0
//   I_syn_X(t) = w (t / tau_syn_X) e^{1 - t / tau_syn_X} for a spike of weight w at t = 0: the
//   current peaks at w (pA) at t = tau_syn_X; w > 0 to ex, w <= 0 to in.
//   V >= V_th: spike, V = V_reset, clamped for t_ref; V is bounded below by V_min.
// Order of a step (NEST): membrane with the currents of the step before (clamped to V_min),
// synaptic propagation, the step's arrivals, the threshold; a current input acts during the step
// after its arrival. The membrane is propagated relative to E_L, as NEST does.
//
// | parameter  | default | unit | meaning                                   |
// |------------|---------|------|-------------------------------------------|
// | E_L        | -70     | mV   | resting potential                         |
// | C_m        | 250     | pF   | membrane capacitance                      |
// | tau_m      | 10      | ms   | membrane time constant                    |
// | t_ref      | 2       | ms   | absolute refractory period                |
// | V_th       | -55     | mV   | spike threshold                           |
// | V_reset    | -70     | mV   | reset potential                           |
// | V_min      | -inf    | mV   | lower bound of the membrane potential     |
// | tau_syn_ex | 2       | ms   | rise time of the excitatory alpha current |
// | tau_syn_in | 2       | ms   | rise time of the inhibitory alpha current |
// | I_e        | 0       | pA   | constant input current                    |
// | state      |         |      |                                           |
// | V_m        | -70     | mV   | membrane potential                        |
// | I_syn_ex   | 0       | pA   | excitatory synaptic current               |
// | I_syn_in   | 0       | pA   | inhibitory synaptic current (<= 0)        |
//
// Ring channels: 0 excitatory spikes, 1 inhibitory spikes, 2 currents from current generators.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "neuron_model.hpp"
#include "starling/error.hpp"

namespace starling::codelets::models {

/// Propagators from an alpha current (its derivative term P31 and the current P32) to the
/// membrane over h, computed as NEST's IAFPropagatorAlpha does (libnestutil/iaf_propagator):
/// the regular closed form unless it is not a positive normal number or h is below NEST's
/// stability bound, then the limit tau_syn == tau_m. Host only.
struct iaf_alpha_propagator {
  double p31;
  double p32;
};

inline iaf_alpha_propagator alpha_propagator(double tau_syn, double tau_m, double c_m, double h) {
  const double h_min_regular = 1e-7 * tau_m * tau_m / std::fabs(tau_m - tau_syn);
  const double beta = tau_syn * tau_m / (tau_m - tau_syn);  // inf where tau_m == tau_syn
  const double gamma = beta / c_m;
  const double inv_beta = (tau_m - tau_syn) / (tau_syn * tau_m);
  const double exp_h_tau_syn = std::exp(-h * (1 / tau_syn));
  const double expm1_h_tau = std::expm1(h * inv_beta);
  const double exp_h_tau_m = std::exp(-h * (1 / tau_m));
  iaf_alpha_propagator p{};
  p.p32 = gamma * exp_h_tau_syn * expm1_h_tau;
  if (!(std::isnormal(p.p32) && p.p32 > 0)) p.p32 = h * (1 / c_m) * exp_h_tau_m;
  if (h > h_min_regular)
    p.p31 = gamma * exp_h_tau_syn * (beta * expm1_h_tau - h);
  else
    p.p31 = 0.5 * h * h * (1 / c_m) * exp_h_tau_m;
  return p;
}

struct iaf_psc_alpha : no_arrays {
  static constexpr const char* name = "iaf_psc_alpha";

  static constexpr quantity parameters[] = {
      {"E_L", -70.0, "mV"},
      {"C_m", 250.0, "pF"},
      {"tau_m", 10.0, "ms"},
      {"t_ref", 2.0, "ms"},
      {"V_th", -55.0, "mV"},
      {"V_reset", -70.0, "mV"},
      {"V_min", -std::numeric_limits<double>::infinity(), "mV"},
      {"tau_syn_ex", 2.0, "ms"},
      {"tau_syn_in", 2.0, "ms"},
      {"I_e", 0.0, "pA"},
  };
  enum param : int {
    E_L,
    C_m,
    tau_m,
    t_ref,
    V_th,
    V_reset,
    V_min,
    tau_syn_ex,
    tau_syn_in,
    I_e,
    n_params
  };

  /// Public states first; the internal ones (the alpha currents' derivative terms, the current
  /// input of the step, the refractory countdown) follow.
  static constexpr quantity states[] = {
      {"V_m", -70.0, "mV"},          {"I_syn_ex", 0.0, "pA"},     {"I_syn_in", 0.0, "pA"},
      {"dI_syn_ex", 0.0, "pA/ms"},   {"dI_syn_in", 0.0, "pA/ms"}, {"i_0", 0.0, "pA"},
      {"refractory_steps", 0.0, ""},
  };
  enum state : int { V_m, I_syn_ex, I_syn_in, dI_ex, dI_in, i_0, r_ref, n_states };
  static constexpr int n_public_states = 3;

  enum coeff : int {
    P11ex,  // = P22ex
    P21ex,
    P31ex,
    P32ex,
    P11in,  // = P22in
    P21in,
    P31in,
    P32in,
    P30,
    expm1_tau_m,
    psc_ex,  // e / tau_syn_ex: a spike of weight 1 peaks at 1 pA
    psc_in,
    c_E_L,
    c_I_e,
    theta,    // V_th - E_L
    v_reset,  // V_reset - E_L
    lower,    // V_min - E_L
    c_refr,
    n_coeffs
  };

  static constexpr double e = 2.718281828459045;  // Euler's number (NEST's numerics::e)

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
    auto bad = [&](int i, const std::string& expected) {
      bad_parameter(name, parameters[i], p[i], expected);
    };
    if (!(p[C_m] > 0.0)) bad(C_m, "a positive value");
    if (!(p[tau_m] > 0.0)) bad(tau_m, "a positive value");
    if (!(p[tau_syn_ex] > 0.0)) bad(tau_syn_ex, "a positive value");
    if (!(p[tau_syn_in] > 0.0)) bad(tau_syn_in, "a positive value");
    if (!(p[t_ref] >= 0.0)) bad(t_ref, "a value >= 0");
    if (!(p[V_reset] - p[E_L] < p[V_th] - p[E_L]))
      bad(V_reset, "a value below V_th = " + number(p[V_th]) + " mV");
    const double tau = p[tau_m];
    c[P11ex] = std::exp(-h / p[tau_syn_ex]);
    c[P11in] = std::exp(-h / p[tau_syn_in]);
    c[expm1_tau_m] = std::expm1(-h / tau);
    c[P30] = -tau / p[C_m] * std::expm1(-h / tau);
    c[P21ex] = h * c[P11ex];
    c[P21in] = h * c[P11in];
    const iaf_alpha_propagator ex = alpha_propagator(p[tau_syn_ex], tau, p[C_m], h);
    const iaf_alpha_propagator in = alpha_propagator(p[tau_syn_in], tau, p[C_m], h);
    c[P31ex] = ex.p31;
    c[P32ex] = ex.p32;
    c[P31in] = in.p31;
    c[P32in] = in.p32;
    c[psc_ex] = 1.0 * e / p[tau_syn_ex];
    c[psc_in] = 1.0 * e / p[tau_syn_in];
    c[c_E_L] = p[E_L];
    c[c_I_e] = p[I_e];
    c[theta] = p[V_th] - p[E_L];
    c[v_reset] = p[V_reset] - p[E_L];
    c[lower] = p[V_min] - p[E_L];
    c[c_refr] = std::nearbyint(p[t_ref] / h);
  }

  /// The membrane (with the currents of the step before), refractoriness, the alpha currents'
  /// propagation and the threshold (the step's arrivals do not reach the membrane in the step).
  STARLING_HOST_DEVICE static std::uint32_t advance(double* s, const double* c) {
    double y3 = s[V_m] - c[c_E_L];
    if (s[r_ref] == 0.0) {
      y3 = c[P30] * (s[i_0] + c[c_I_e]) + c[P31ex] * s[dI_ex] + c[P32ex] * s[I_syn_ex] +
           c[P31in] * s[dI_in] + c[P32in] * s[I_syn_in] + c[expm1_tau_m] * y3 + y3;
      y3 = y3 < c[lower] ? c[lower] : y3;
      s[V_m] = c[c_E_L] + y3;
    } else {
      s[r_ref] -= 1.0;
    }
    s[I_syn_ex] = c[P21ex] * s[dI_ex] + c[P11ex] * s[I_syn_ex];
    s[dI_ex] *= c[P11ex];
    s[I_syn_in] = c[P21in] * s[dI_in] + c[P11in] * s[I_syn_in];
    s[dI_in] *= c[P11in];
    if (y3 >= c[theta]) {
      s[r_ref] = c[c_refr];
      s[V_m] = c[c_E_L] + c[v_reset];
      return 1;
    }
    return 0;
  }

  /// The step's arrivals: each spike raises the derivative term by e / tau_syn times its weight.
  STARLING_HOST_DEVICE static void add_inputs(double* s, const double* c, const double* in) {
    s[dI_ex] += c[psc_ex] * in[rec_ex];
    s[dI_in] += c[psc_in] * in[rec_in];
    s[i_0] = in[rec_current];
  }
};

}  // namespace starling::codelets::models
