#pragma once
// iaf_psc_delta: leaky integrate-and-fire neuron with delta-shaped post-synaptic currents, as in
// NEST. Exact integration:
//   C_m dV/dt = -(V - E_L) C_m / tau_m + I_e + I_0,  a spike of weight w makes V jump by w (mV)
//   V >= V_th: spike, V = V_reset, clamped for t_ref; V is bounded below by V_min.
// Order of a step (NEST): the membrane with the current of the step before, plus the jumps of
// the spikes arriving in the step, bounded by V_min; the threshold (it sees the jumps of the
// same step); a current input acts during the step after its arrival. Spikes that arrive while
// the neuron is refractory are lost unless refractory_input is 1: then they are summed, each
// decayed by exp(-r h / tau_m) for the r steps of refractoriness left at its arrival, and added
// to V in the first step after the refractory period.
//
// | parameter        | default  | unit | meaning                                        |
// |------------------|----------|------|------------------------------------------------|
// | E_L              | -70      | mV   | resting potential                              |
// | C_m              | 250      | pF   | membrane capacitance                           |
// | tau_m            | 10       | ms   | membrane time constant                         |
// | t_ref            | 2        | ms   | absolute refractory period                     |
// | V_th             | -55      | mV   | spike threshold                                |
// | V_reset          | -70      | mV   | reset potential                                |
// | V_min            | -1.8e308 | mV   | lower bound of V (NEST: the lowest double)     |
// | I_e              | 0        | pA   | constant input current                         |
// | refractory_input | 0        |      | 1: spikes arriving in refractoriness count     |
// | state            |          |      |                                                |
// | V_m              | -70      | mV   | membrane potential                             |
//
// Ring channels: 0 spikes of either sign (mV), 1 currents from current generators.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "codelets/common/portable_math.hpp"
#include "neuron_model.hpp"
#include "starling/error.hpp"

namespace starling::codelets::models {

struct iaf_psc_delta : no_arrays {
  static constexpr const char* name = "iaf_psc_delta";

  static constexpr quantity parameters[] = {
      {"E_L", -70.0, "mV"},
      {"C_m", 250.0, "pF"},
      {"tau_m", 10.0, "ms"},
      {"t_ref", 2.0, "ms"},
      {"V_th", -55.0, "mV"},
      {"V_reset", -70.0, "mV"},
      {"V_min", -std::numeric_limits<double>::max(), "mV"},
      {"I_e", 0.0, "pA"},
      {"refractory_input", 0.0, ""},
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
    refractory_input,
    n_params
  };

  /// Public states first; the internal ones (current input of the step, refractory countdown,
  /// spikes received in refractoriness) follow.
  static constexpr quantity states[] = {
      {"V_m", -70.0, "mV"},
      {"i_0", 0.0, "pA"},
      {"refractory_steps", 0.0, ""},
      {"refractory_spikes", 0.0, "mV"},
  };
  enum state : int { V_m, i_0, r_ref, refr_spikes, n_states };
  static constexpr int n_public_states = 1;

  enum coeff : int {
    P33,
    P30,
    c_E_L,
    c_I_e,
    theta,    // V_th - E_L
    v_reset,  // V_reset - E_L
    lower,    // V_min - E_L
    with_refr_input,
    c_h,
    c_tau_m,
    c_refr,
    n_coeffs
  };

  static constexpr receptor_scheme receptors = receptor_scheme::by_sign;
  enum channel : int { rec_spikes, rec_current, n_channels };
  static constexpr int excitatory_channel = rec_spikes;
  static constexpr int inhibitory_channel = rec_spikes;
  static constexpr int current_channel = rec_current;
  static constexpr int current_state = i_0;
  static constexpr int refractory_coeff = c_refr;
  static constexpr std::uint32_t max_spikes_per_step = 1;
  static constexpr bool threshold_sees_input = true;
  static constexpr bool exact_integration = true;

  static void derive(const double* p, double h, double* c) {
    auto bad = [&](int i, const std::string& expected) {
      bad_parameter(name, parameters[i], p[i], expected);
    };
    if (!(p[V_reset] - p[E_L] < p[V_th] - p[E_L]))
      bad(V_reset, "a value below V_th = " + number(p[V_th]) + " mV");
    if (!(p[C_m] > 0.0)) bad(C_m, "a positive value");
    if (!(p[t_ref] >= 0.0)) bad(t_ref, "a value >= 0");
    if (!(p[tau_m] > 0.0)) bad(tau_m, "a positive value");
    if (!(p[refractory_input] == 0.0 || p[refractory_input] == 1.0))
      bad(refractory_input, "0 or 1 (false or true)");
    c[P33] = std::exp(-h / p[tau_m]);
    c[P30] = 1 / p[C_m] * (1 - c[P33]) * p[tau_m];
    c[c_E_L] = p[E_L];
    c[c_I_e] = p[I_e];
    c[theta] = p[V_th] - p[E_L];
    c[v_reset] = p[V_reset] - p[E_L];
    c[lower] = p[V_min] - p[E_L];
    c[with_refr_input] = p[refractory_input];
    c[c_h] = h;
    c[c_tau_m] = p[tau_m];
    c[c_refr] = std::nearbyint(p[t_ref] / h);
  }

  /// The whole step: the membrane with the step's spike jumps, refractoriness, the threshold,
  /// then the current that arrived (acting in the next step).
  STARLING_HOST_DEVICE static std::uint32_t update(double* s, const double* c, const double* in) {
    double y3 = s[V_m] - c[c_E_L];
    if (s[r_ref] == 0.0) {
      y3 = c[P30] * (s[i_0] + c[c_I_e]) + c[P33] * y3 + in[rec_spikes];
      if (c[with_refr_input] != 0.0 && s[refr_spikes] != 0.0) {
        y3 += s[refr_spikes];
        s[refr_spikes] = 0.0;
      }
      y3 = y3 < c[lower] ? c[lower] : y3;
      s[V_m] = c[c_E_L] + y3;
    } else {
      if (c[with_refr_input] != 0.0)
        s[refr_spikes] += in[rec_spikes] * portable_exp(-s[r_ref] * c[c_h] / c[c_tau_m]);
      s[r_ref] -= 1.0;
    }
    std::uint32_t spikes = 0;
    if (y3 >= c[theta]) {
      s[r_ref] = c[c_refr];
      s[V_m] = c[c_E_L] + c[v_reset];
      spikes = 1;
    }
    s[i_0] = in[rec_current];
    return spikes;
  }
};

}  // namespace starling::codelets::models
