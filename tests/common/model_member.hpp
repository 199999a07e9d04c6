#pragma once
// One member of a neuron model, stepped directly through the model's header: its parameters
// (NEST's defaults), coefficients and states, for the per-model tests of tests/models.
#include <cstdint>
#include <string>

#include "codelets/models/neuron_model.hpp"
#include "starling/error.hpp"

namespace starling::testing {

template <typename M>
struct model_member {
  double p[M::n_params];
  double c[M::n_coeffs];
  double s[M::n_states];
  double h;  // ms

  explicit model_member(double dt = 0.1) : h(dt) {
    for (int k = 0; k < M::n_params; ++k) p[k] = M::parameters[k].default_value;
    for (int k = 0; k < M::n_states; ++k) s[k] = M::states[k].default_value;
    derive();
  }
  /// Recomputes the coefficients from p (throws as the model's derive does).
  void derive() { M::derive(p, h, c); }
  /// The same at another resolution, kept for the steps that follow.
  void derive(double dt) {
    h = dt;
    derive();
  }
  /// One step with the given inputs on the model's channels in order, the others 0.
  template <typename... In>
  std::uint32_t step(In... in) {
    const double input[M::n_channels] = {static_cast<double>(in)...};
    return codelets::models::step<M>(s, c, input);
  }
};

/// Whether derive refuses the member's parameters with a message naming the model and `what`.
template <typename M>
bool throws_naming(model_member<M>& n, const char* what) {
  try {
    n.derive();
  } catch (const starling::invalid_argument& e) {
    const std::string message = e.what();
    return message.find(what) != std::string::npos && message.find(M::name) != std::string::npos;
  }
  return false;
}

}  // namespace starling::testing
