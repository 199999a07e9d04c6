#pragma once
// The per-generator rule of a step_current_generator step, shared by the CPU and CUDA codelets.
#include "codelets/common/generator_args.hpp"
#include "codelets/common/generator_io.hpp"
#include "step_current_generator_math.hpp"

namespace starling::codelets::step_current_generator {

struct step_rule {
  std::int64_t n;
  std::int64_t step;
  double* state;
  const double* coeff;
  const std::int64_t* stamps;
  const std::int64_t* offsets;
  const double* values;

  STARLING_HOST_DEVICE std::uint32_t operator()(std::int64_t g) const {
    const double c[n_coeffs] = {coeff[start_step * n + g], coeff[stop_step * n + g]};
    double cur = state[cursor * n + g];
    if (cur < static_cast<double>(offsets[g])) cur = static_cast<double>(offsets[g]);
    double amp = state[amplitude * n + g];
    const std::uint32_t m = advance(stamps, values, offsets[g + 1], &cur, &amp, c, step);
    state[cursor * n + g] = cur;
    state[amplitude * n + g] = amp;
    state[(step_amplitude + (step & 1)) * n + g] = amp;
    return m;
  }
};

inline step_rule make_rule(const generator_args& a, void* const* ptrs, std::int64_t step) {
  return {a.n,
          step,
          buffer_ptr<double>(ptrs, a.io, gen_state),
          buffer_ptr<const double>(ptrs, a.io, gen_coeff),
          buffer_ptr<const std::int64_t>(ptrs, a.io, gen_stamps),
          buffer_ptr<const std::int64_t>(ptrs, a.io, gen_offsets),
          buffer_ptr<const double>(ptrs, a.io, gen_values)};
}

}  // namespace starling::codelets::step_current_generator
