#pragma once
// The per-generator rule of a spike_generator step, shared by the CPU and CUDA codelets.
#include "codelets/common/generator_args.hpp"
#include "codelets/common/generator_io.hpp"
#include "spike_generator_math.hpp"

namespace starling::codelets::spike_generator {

struct step_rule {
  std::int64_t n;
  std::int64_t step;
  double* state;
  const double* coeff;
  const std::int64_t* stamps;
  const std::int64_t* offsets;
  const double* values;

  STARLING_HOST_DEVICE std::uint32_t operator()(std::int64_t g) const {
    const double c[n_coeffs] = {coeff[start_step * n + g], coeff[stop_step * n + g],
                                coeff[origin_step * n + g]};
    double cur = state[cursor * n + g];
    if (cur < static_cast<double>(offsets[g])) cur = static_cast<double>(offsets[g]);
    double pos = 0.0, neg = 0.0;
    const std::uint32_t m = emit(stamps, values, offsets[g + 1], &cur, c, step, &pos, &neg);
    state[cursor * n + g] = cur;
    const std::int64_t row = weight_sums + 2 * (step & 1);
    state[row * n + g] = pos;
    state[(row + 1) * n + g] = neg;
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

}  // namespace starling::codelets::spike_generator
