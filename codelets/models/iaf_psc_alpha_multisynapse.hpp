#pragma once
// iaf_psc_alpha_multisynapse: leaky integrate-and-fire neuron with alpha-shaped post-synaptic
// currents on up to 8 receptor ports, each with its own time constant, as in NEST. Exact
// integration (Rotter & Diesmann 1999), propagators as NEST's IAFPropagatorAlpha:
//   C_m dV/dt = -(V - E_L) C_m / tau_m + sum_k I_syn_k + I_e + I_0
//   I_syn_k(t) = w (t / tau_syn[k]) e^{1 - t / tau_syn[k]} for a spike of weight w on receptor k
//   (peak w at t = tau_syn[k]); V >= V_th: spike, V = V_reset, clamped for t_ref; V >= V_min.
// Order of a step (NEST): membrane with the currents of the step before (bounded by V_min),
// synaptic propagation, the step's arrivals, the threshold; a current input acts during the
// step after its arrival. I_syn is the sum of the receptors' currents (NEST's recordable).
//
// | parameter  | default | unit | meaning                                       |
// |------------|---------|------|-----------------------------------------------|
// | E_L        | -70     | mV   | resting potential                             |
// | C_m        | 250     | pF   | membrane capacitance                          |
// | tau_m      | 10      | ms   | membrane time constant                        |
// | t_ref      | 2       | ms   | absolute refractory period                    |
// | V_th       | -55     | mV   | spike threshold                               |
// | V_reset    | -70     | mV   | reset potential                               |
// | V_min      | -inf    | mV   | lower bound of the membrane potential         |
// | I_e        | 0       | pA   | constant input current                        |
// | tau_syn    | [2]     | ms   | list: rise time of each receptor's current (<= 8) |
// | state      |         |      |                                               |
// | V_m        | -70     | mV   | membrane potential                            |
// | I_syn      | 0       | pA   | total synaptic current                        |
// | I_syn_k    | 0       | pA   | synaptic current of receptor k = 1 ... 8      |
//
// Ring channels: 0 ... 7 receptors 1 ... 8, 8 currents from current generators.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "iaf_psc_alpha.hpp"  // alpha_propagator: NEST's IAFPropagatorAlpha
#include "neuron_model.hpp"
#include "starling/error.hpp"

namespace starling::codelets::models {

struct iaf_psc_alpha_multisynapse {
  static constexpr const char* name = "iaf_psc_alpha_multisynapse";
  static constexpr int max_receptors = 8;
  static constexpr double e = 2.718281828459045;  // Euler's number (NEST's numerics::e)

  static constexpr quantity parameters[] = {
      {"E_L", -70.0, "mV"},
      {"C_m", 250.0, "pF"},
      {"tau_m", 10.0, "ms"},
      {"t_ref", 2.0, "ms"},
      {"V_th", -55.0, "mV"},
      {"V_reset", -70.0, "mV"},
      {"V_min", -std::numeric_limits<double>::infinity(), "mV"},
      {"I_e", 0.0, "pA"},
      {"tau_syn[1]", 2.0, "ms"},
      {"tau_syn[2]", 2.0, "ms"},
      {"tau_syn[3]", 2.0, "ms"},
      {"tau_syn[4]", 2.0, "ms"},
      {"tau_syn[5]", 2.0, "ms"},
      {"tau_syn[6]", 2.0, "ms"},
      {"tau_syn[7]", 2.0, "ms"},
      {"tau_syn[8]", 2.0, "ms"},
      {"_tau_syn_count", 1.0, ""},
  };
  enum param : int {
    E_L,
    C_m,
    tau_m,
    t_ref,
    V_th,
    V_reset,
    V_min,
    I_e,
    tau_syn_1,
    tau_syn_count = tau_syn_1 + max_receptors,
    n_params
  };
  static constexpr array_parameter array_parameters[] = {
      {"tau_syn", tau_syn_1, max_receptors, tau_syn_count}};
  static constexpr int n_array_parameters = 1;
  static constexpr int port_count = tau_syn_count;

  /// Public states first (NEST's recordables); the alpha currents' derivative terms, the
  /// current input of the step and the refractory countdown follow.
  static constexpr quantity states[] = {
      {"V_m", -70.0, "mV"},       {"I_syn", 0.0, "pA"},          {"I_syn_1", 0.0, "pA"},
      {"I_syn_2", 0.0, "pA"},     {"I_syn_3", 0.0, "pA"},        {"I_syn_4", 0.0, "pA"},
      {"I_syn_5", 0.0, "pA"},     {"I_syn_6", 0.0, "pA"},        {"I_syn_7", 0.0, "pA"},
      {"I_syn_8", 0.0, "pA"},     {"dI_syn_1", 0.0, "pA/ms"},    {"dI_syn_2", 0.0, "pA/ms"},
      {"dI_syn_3", 0.0, "pA/ms"}, {"dI_syn_4", 0.0, "pA/ms"},    {"dI_syn_5", 0.0, "pA/ms"},
      {"dI_syn_6", 0.0, "pA/ms"}, {"dI_syn_7", 0.0, "pA/ms"},    {"dI_syn_8", 0.0, "pA/ms"},
      {"i_0", 0.0, "pA"},         {"refractory_steps", 0.0, ""},
  };
  enum state : int {
    V_m,
    I_syn,
    I_syn_1,
    dI_syn_1 = I_syn_1 + max_receptors,
    i_0 = dI_syn_1 + max_receptors,
    r_ref,
    n_states
  };
  static constexpr int n_public_states = dI_syn_1;

  enum coeff : int {
    P33,
    P30,
    c_h,                            // P21 = h P11
    P11_1,                          // exp(-h / tau_syn[k]) (= P22)
    P31_1 = P11_1 + max_receptors,  // derivative term to membrane
    P32_1 = P31_1 + max_receptors,  // current to membrane
    psc_1 = P32_1 + max_receptors,  // e / tau_syn[k]: a spike of weight 1 peaks at 1 pA
    c_E_L = psc_1 + max_receptors,
    c_I_e,
    theta,    // V_th - E_L
    v_reset,  // V_reset - E_L
    lower,    // V_min - E_L
    n_rec,
    c_refr,
    n_coeffs
  };

  static constexpr receptor_scheme receptors = receptor_scheme::by_port;
  enum channel : int { rec_current = max_receptors, n_channels };
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
    const double count = p[tau_syn_count];
    if (!(count >= 0.0 && count <= max_receptors && count == std::floor(count)))
      throw invalid_argument(std::string(name) + ": tau_syn has " + number(count) +
                             " values; expected 0 to 8");
    const int n = static_cast<int>(count);
    for (int k = 0; k < n; ++k)
      if (!(p[tau_syn_1 + k] > 0.0)) bad(tau_syn_1 + k, "a positive value");
    if (!(p[t_ref] >= 0.0)) bad(t_ref, "a value >= 0");
    if (!(p[V_reset] - p[E_L] < p[V_th] - p[E_L]))
      bad(V_reset, "a value below V_th = " + number(p[V_th]) + " mV");
    c[P33] = std::exp(-h / p[tau_m]);
    c[P30] = 1 / p[C_m] * (1 - c[P33]) * p[tau_m];
    c[c_h] = h;
    for (int k = 0; k < max_receptors; ++k) {
      const bool used = k < n;
      const double tau = p[tau_syn_1 + k];
      const iaf_alpha_propagator prop =
          used ? alpha_propagator(tau, p[tau_m], p[C_m], h) : iaf_alpha_propagator{0.0, 0.0};
      c[P11_1 + k] = used ? std::exp(-h / tau) : 0.0;
      c[P31_1 + k] = prop.p31;
      c[P32_1 + k] = prop.p32;
      c[psc_1 + k] = used ? 1.0 * e / tau : 0.0;
    }
    c[c_E_L] = p[E_L];
    c[c_I_e] = p[I_e];
    c[theta] = p[V_th] - p[E_L];
    c[v_reset] = p[V_reset] - p[E_L];
    c[lower] = p[V_min] - p[E_L];
    c[n_rec] = count;
    c[c_refr] = std::nearbyint(p[t_ref] / h);
  }

  /// The membrane (with the currents of the step before), refractoriness, the alpha currents'
  /// propagation and the threshold.
  STARLING_HOST_DEVICE static std::uint32_t advance(double* s, const double* c) {
    const int n = static_cast<int>(c[n_rec]);
    double v = s[V_m] - c[c_E_L];
    if (s[r_ref] == 0.0) {
      v = c[P30] * (s[i_0] + c[c_I_e]) + c[P33] * v;
      for (int k = 0; k < n; ++k)
        v += c[P31_1 + k] * s[dI_syn_1 + k] + c[P32_1 + k] * s[I_syn_1 + k];
      v = v < c[lower] ? c[lower] : v;
      s[V_m] = c[c_E_L] + v;
    } else {
      s[r_ref] -= 1.0;
    }
    for (int k = 0; k < n; ++k) {
      s[I_syn_1 + k] = c[c_h] * c[P11_1 + k] * s[dI_syn_1 + k] + c[P11_1 + k] * s[I_syn_1 + k];
      s[dI_syn_1 + k] *= c[P11_1 + k];
    }
    if (v >= c[theta]) {
      s[r_ref] = c[c_refr];
      s[V_m] = c[c_E_L] + c[v_reset];
      return 1;
    }
    return 0;
  }

  /// The step's arrivals on each receptor (e / tau_syn times the weight into the derivative
  /// term), the current input, and the total I_syn (receptors not in use hold no current).
  STARLING_HOST_DEVICE static void add_inputs(double* s, const double* c, const double* in) {
    const int n = static_cast<int>(c[n_rec]);
    double total = 0.0;
    for (int k = 0; k < max_receptors; ++k) {
      if (k < n) {
        s[dI_syn_1 + k] += c[psc_1 + k] * in[k];
        total += s[I_syn_1 + k];
      } else {
        s[I_syn_1 + k] = 0.0;
        s[dI_syn_1 + k] = 0.0;
      }
    }
    s[I_syn] = total;
    s[i_0] = in[rec_current];
  }
};

}  // namespace starling::codelets::models
