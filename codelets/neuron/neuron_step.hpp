#pragma once
// One member's step from the population's arrays, shared by the CPU loop and the CUDA kernel:
// reads its state, coefficients and the input ring words of the step, runs the model's step,
// clears the words and writes the state back. Returns the spikes it sends.
#include <cstdint>

#include "codelets/common/fixed_point.hpp"
#include "codelets/models/neuron_model.hpp"

namespace starling::codelets::neuron {

template <typename M>
STARLING_HOST_DEVICE inline std::uint32_t step_member(std::int64_t n, std::int64_t i, double* state,
                                                      const double* coeff, std::int64_t* slot) {
  double s[M::n_states];
  double c[M::n_coeffs];
  double in[M::n_channels];
  for (int k = 0; k < M::n_states; ++k) s[k] = state[k * n + i];
  for (int k = 0; k < M::n_coeffs; ++k) c[k] = coeff[k * n + i];
  for (int r = 0; r < M::n_channels; ++r) {
    in[r] = from_fixed(slot[r * n + i]);
    slot[r * n + i] = 0;
  }
  const std::uint32_t spikes = models::step<M>(s, c, in);
  for (int k = 0; k < M::n_states; ++k) state[k * n + i] = s[k];
  return spikes;
}

}  // namespace starling::codelets::neuron
