#pragma once
// The per-generator rule of a noise_generator step, shared by the CPU and CUDA codelets.
#include "codelets/common/generator_args.hpp"
#include "codelets/common/generator_io.hpp"
#include "noise_generator_math.hpp"

namespace starling::codelets::noise_generator {

struct step_rule {
  std::int64_t n;
  std::int64_t step;
  double* state;
  const double* coeff;

  STARLING_HOST_DEVICE std::uint32_t operator()(std::int64_t g) const {
    double c[n_coeffs];
    for (int k = 0; k < n_coeffs; ++k) c[k] = coeff[k * n + g];
    double s[deliver_rows];
    for (int k = 0; k < deliver_rows; ++k) s[k] = state[k * n + g];
    const std::uint32_t m = advance(s, c, step);
    if (m == 0) return 0u;
    for (int k = 0; k < deliver_rows; ++k) state[k * n + g] = s[k];
    const std::int64_t row = deliver_rows + 3 * (step & 1);
    state[row * n + g] = s[drawn_mean];
    state[(row + 1) * n + g] = s[drawn_sigma];
    state[(row + 2) * n + g] = s[drawn_step];
    return m;
  }
};

inline step_rule make_rule(const generator_args& a, void* const* ptrs, std::int64_t step) {
  return {a.n, step, buffer_ptr<double>(ptrs, a.io, gen_state),
          buffer_ptr<const double>(ptrs, a.io, gen_coeff)};
}

}  // namespace starling::codelets::noise_generator
