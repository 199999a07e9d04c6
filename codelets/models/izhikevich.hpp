#pragma once
// izhikevich: Izhikevich's simple spiking neuron (IEEE Trans. Neural Netw. 14:1569, 2003), as in
// NEST, integrated with NEST's forward Euler steps:
//   dV/dt = 0.04 V^2 + 5 V + 140 - U + I_e + I,  dU/dt = a (b V - U)
//   V >= V_th: spike, V = c, U = U + d; V is bounded below by V_min.
// A spike of weight w makes V jump by w (mV) in the step it arrives, and the threshold sees it.
// consistent_integration 1 (NEST's default): one Euler step of h for V and U from the values at
// the step's start, plus the jumps. 0: the published scheme, two half steps for V (the jumps
// entering the derivative) and then U from the new V. A current input acts during the step after
// its arrival.
//
// | parameter              | default  | unit | meaning                                  |
// |------------------------|----------|------|------------------------------------------|
// | I_e                    | 0        | pA   | constant input current (R = 1)           |
// | V_th                   | 30       | mV   | spike threshold                          |
// | V_min                  | -1.8e308 | mV   | lower bound of V (NEST: the lowest double) |
// | a                      | 0.02     |      | time scale of the recovery variable      |
// | b                      | 0.2      |      | sensitivity of the recovery variable     |
// | c                      | -65      | mV   | reset value of V_m                       |
// | d                      | 8        | mV   | increment of U_m at a spike              |
// | consistent_integration | 1        |      | 1: Euler, 0: the published scheme        |
// | state                  |          |      |                                          |
// | V_m                    | -65      | mV   | membrane potential                       |
// | U_m                    | -13      | mV   | recovery variable (b V_m)                |
//
// Ring channels: 0 spikes of either sign (mV), 1 currents from current generators.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "neuron_model.hpp"
#include "starling/error.hpp"

namespace starling::codelets::models {

struct izhikevich : no_arrays {
  static constexpr const char* name = "izhikevich";

  static constexpr quantity parameters[] = {
      {"I_e", 0.0, "pA"},
      {"V_th", 30.0, "mV"},
      {"V_min", -std::numeric_limits<double>::max(), "mV"},
      {"a", 0.02, ""},
      {"b", 0.2, ""},
      {"c", -65.0, "mV"},
      {"d", 8.0, "mV"},
      {"consistent_integration", 1.0, ""},
  };
  enum param : int { I_e, V_th, V_min, p_a, p_b, p_c, p_d, consistent_integration, n_params };

  /// Public states first; the current input of the step follows.
  static constexpr quantity states[] = {
      {"V_m", -65.0, "mV"},
      {"U_m", 0.2 * -65.0, "mV"},
      {"i_0", 0.0, "pA"},
  };
  enum state : int { V_m, U_m, i_0, n_states };
  static constexpr int n_public_states = 2;

  enum coeff : int { c_h, c_I_e, c_V_th, c_V_min, c_a, c_b, c_c, c_d, c_consistent, n_coeffs };

  static constexpr receptor_scheme receptors = receptor_scheme::by_sign;
  enum channel : int { rec_spikes, rec_current, n_channels };
  static constexpr int excitatory_channel = rec_spikes;
  static constexpr int inhibitory_channel = rec_spikes;
  static constexpr int current_channel = rec_current;
  static constexpr int current_state = i_0;
  static constexpr int refractory_coeff = -1;
  static constexpr std::uint32_t max_spikes_per_step = 1;
  static constexpr bool threshold_sees_input = true;
  static constexpr bool exact_integration = true;

  static void derive(const double* p, double h, double* c) {
    if (!(p[consistent_integration] == 0.0 || p[consistent_integration] == 1.0))
      throw invalid_argument(std::string(name) +
                             ": consistent_integration = " + number(p[consistent_integration]) +
                             "; expected 0 or 1 (false or true)");
    c[c_h] = h;
    c[c_I_e] = p[I_e];
    c[c_V_th] = p[V_th];
    c[c_V_min] = p[V_min];
    c[c_a] = p[p_a];
    c[c_b] = p[p_b];
    c[c_c] = p[p_c];
    c[c_d] = p[p_d];
    c[c_consistent] = p[consistent_integration];
  }

  /// The whole step in NEST's order: V and U, the lower bound, the threshold (seeing the step's
  /// jumps), then the current that arrived (acting in the next step).
  STARLING_HOST_DEVICE static std::uint32_t update(double* s, const double* c, const double* in) {
    const double h = c[c_h];
    if (c[c_consistent] != 0.0) {
      const double v_old = s[V_m];
      const double u_old = s[U_m];
      s[V_m] += h * (0.04 * v_old * v_old + 5.0 * v_old + 140.0 - u_old + s[i_0] + c[c_I_e]) +
                in[rec_spikes];
      s[U_m] += h * c[c_a] * (c[c_b] * v_old - u_old);
    } else {
      const double i_syn = in[rec_spikes];
      double v = s[V_m];
      const double u = s[U_m];
      v += h * 0.5 * (0.04 * v * v + 5.0 * v + 140.0 - u + s[i_0] + c[c_I_e] + i_syn);
      v += h * 0.5 * (0.04 * v * v + 5.0 * v + 140.0 - u + s[i_0] + c[c_I_e] + i_syn);
      s[V_m] = v;
      s[U_m] += h * c[c_a] * (c[c_b] * v - u);
    }
    s[V_m] = s[V_m] < c[c_V_min] ? c[c_V_min] : s[V_m];
    std::uint32_t spikes = 0;
    if (s[V_m] >= c[c_V_th]) {
      s[V_m] = c[c_c];
      s[U_m] = s[U_m] + c[c_d];
      spikes = 1;
    }
    s[i_0] = in[rec_current];
    return spikes;
  }
};

}  // namespace starling::codelets::models
