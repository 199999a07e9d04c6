#pragma once
// The neuron model interface. A model is one header in this folder declaring a struct with:
//
//   name                          NEST's model name
//   parameters[], enum param      NEST names, defaults and units (quantity rows); n_params
//   states[], enum state          public states first (recordable, settable), internal ones after;
//                                 n_states, n_public_states
//   enum coeff, n_coeffs          constants derived on the host in double precision
//   derive(p, h, c)               checks one member's parameters (throws invalid_argument naming
//                                 the model, the value and what was expected) and fills c
//   receptors                     how connections choose a ring channel: by_sign (weight >= 0 to
//                                 excitatory_channel, < 0 to inhibitory_channel, receptor 0) or
//                                 by_port (receptor k = 1 ... ports in use goes to channel k - 1;
//                                 the count is parameter `port_count`)
//   n_channels                    input ring channels per member (spike receptors and currents)
//   current_channel               ring channel of currents from current generators, or -1
//   current_state                 state holding the step's current input (0 unless a current
//                                 arrives; the batched GPU step skips it without current input)
//   refractory_coeff              coefficient holding the refractory period in steps, or -1
//   max_spikes_per_step           bound on the multiplicity a member sends in one step
//   counts_spikes (optional)      each arriving spike weighs 1 whatever its synapse's weight, and
//                                 receptor 1 is a second channel (NEST's parrot_neuron)
//   exact_integration             true where NEST integrates exactly (propagators), false where
//                                 it uses an adaptive Runge-Kutta-Fehlberg 4(5) (rkf45.hpp)
//   threshold_sees_input          whether the step's inputs can make the member spike in that
//                                 same step (psc_delta, izhikevich, parrot): then the step is
//                                   update(s, c, in) -> multiplicity;
//                                 otherwise it is split at the point NEST adds the inputs:
//                                   advance(s, c) -> multiplicity  (membrane, spikes, reset)
//                                   add_inputs(s, c, in)            (the step's arrivals)
//                                 so that the batched GPU step computes spikes before the
//                                 delivery of the step before has ended.
//
// `s` holds a member's state by index, `c` its coefficients, `in` the values (pA, nS or mV, as
// NEST's units for the model) that arrived in each ring channel in the step. The step functions
// are STARLING_HOST_DEVICE and use only +, -, *, / and portable_math (no libm), so the CPU and
// the GPU compute the same bits. The model list (models.cmake) drives the registry, the
// per-operation codelets, the batched GPU step and the typed tests.
#include <cstdint>
#include <string>
#include <type_traits>

#include "codelets/common/host_device.hpp"
#include "codelets/common/quantity.hpp"
#include "starling/error.hpp"

namespace starling::codelets::models {

enum class receptor_scheme { by_sign, by_port };

/// A receptor-array parameter of a multisynapse model (NEST sets it as a list, one value per
/// receptor): `max` consecutive parameter rows from `first`, of which `count` (a parameter row
/// too) are in use.
struct array_parameter {
  const char* name;
  int first;
  int max;
  int count;
};

template <typename... M>
struct model_list {
  static constexpr int size = sizeof...(M);
};

template <typename M>
struct model_tag {
  using type = M;
};

/// Calls f(model_tag<M>{}, index) for every model of the list, in order.
template <typename... M, typename F>
void for_each_model(model_list<M...>, F&& f) {
  int index = 0;
  (f(model_tag<M>{}, index++), ...);
}

/// Calls f(model_tag<M>{}) for the model at `index` of the list; false where there is none.
template <typename... M, typename F>
bool with_model(model_list<M...>, int index, F&& f) {
  int i = 0;
  bool found = false;
  ((i++ == index ? (f(model_tag<M>{}), found = true) : false), ...);
  return found;
}

/// Index of model M in the list.
template <typename M, typename... L>
constexpr int index_of(model_list<L...>) {
  int i = 0, found = -1;
  ((std::is_same_v<M, L> ? (found = i, ++i) : ++i), ...);
  return found;
}

/// Largest n_coeffs of the list's models.
template <typename... M>
constexpr int max_coeffs(model_list<M...>) {
  int m = 0;
  ((m = static_cast<int>(M::n_coeffs) > m ? static_cast<int>(M::n_coeffs) : m), ...);
  return m;
}

/// Whether model M counts spikes, ignoring their weights (parrot_neuron: `counts_spikes`);
/// false where it does not say.
template <typename M, typename = void>
struct counts_spikes : std::false_type {};
template <typename M>
struct counts_spikes<M, std::void_t<decltype(M::counts_spikes)>>
    : std::bool_constant<M::counts_spikes> {};

/// The error of a parameter row: "<model>: <name> = <value> <unit>; expected <what>". Every
/// model's derive and the engine's finite-value check build their message here.
[[noreturn]] inline void bad_parameter(const char* model, const quantity& q, double value,
                                       const std::string& expected) {
  throw invalid_argument(std::string(model) + ": " + q.name + " = " + number(value) +
                         (q.unit[0] != '\0' ? " " : "") + q.unit + "; expected " + expected);
}

/// Models without receptor-array parameters.
struct no_arrays {
  static constexpr array_parameter array_parameters[1] = {{nullptr, 0, 0, 0}};
  static constexpr int n_array_parameters = 0;
};

/// One step of one member in NEST's order; returns the spikes it sends (multiplicity).
template <typename M>
STARLING_HOST_DEVICE inline std::uint32_t step(double* s, const double* c, const double* in) {
  if constexpr (M::threshold_sees_input) {
    return M::update(s, c, in);
  } else {
    const std::uint32_t spikes = M::advance(s, c);
    M::add_inputs(s, c, in);
    return spikes;
  }
}

}  // namespace starling::codelets::models
