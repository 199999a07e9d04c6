#pragma once
// parrot_neuron: repeats every spike it receives on receptor 0, with its multiplicity, in the
// step it arrives (NEST): a spike that arrives at t is sent with time stamp t. Weights are
// ignored (each arriving spike counts once, whatever its synapse's weight, even 0 or negative);
// spikes on receptor 1 are received and not repeated. No parameters, no state but the count.
#include <cstdint>

#include "neuron_model.hpp"

namespace starling::codelets::models {

struct parrot_neuron : no_arrays {
  static constexpr const char* name = "parrot_neuron";

  static constexpr quantity parameters[] = {{"_unused", 0.0, ""}};
  enum param : int { n_params = 0 };
  static constexpr quantity states[] = {{"_repeated", 0.0, ""}};
  enum state : int { repeated, n_states };
  static constexpr int n_public_states = 0;
  enum coeff : int { unused, n_coeffs };

  static constexpr receptor_scheme receptors = receptor_scheme::by_sign;
  enum channel : int { rec_repeat, rec_ignored, n_channels };
  static constexpr int excitatory_channel = rec_repeat;
  static constexpr int inhibitory_channel = rec_repeat;
  static constexpr int current_channel = -1;
  static constexpr int current_state = -1;
  static constexpr int refractory_coeff = -1;
  static constexpr std::uint32_t max_spikes_per_step = 0;  // as many as arrive
  static constexpr bool threshold_sees_input = true;
  static constexpr bool exact_integration = true;
  static constexpr bool counts_spikes = true;

  static void derive(const double*, double, double* c) { c[unused] = 0.0; }

  /// The spikes that arrived on receptor 0 in the step, each weighing 1 (a whole number: the
  /// ring sums them exactly in fixed point).
  STARLING_HOST_DEVICE static std::uint32_t update(double* s, const double*, const double* in) {
    const double n = in[rec_repeat];
    s[repeated] = n;
    return n > 0.0 ? static_cast<std::uint32_t>(n + 0.5) : 0u;
  }
};

}  // namespace starling::codelets::models
