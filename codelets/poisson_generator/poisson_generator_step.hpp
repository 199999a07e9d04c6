#pragma once
// The per-generator rule of a poisson_generator step, shared by the CPU and CUDA codelets.
#include "codelets/common/generator_args.hpp"
#include "codelets/common/generator_io.hpp"
#include "poisson_generator_math.hpp"

namespace starling::codelets::poisson_generator {

struct step_rule {
  std::int64_t n;
  std::int64_t step;
  const double* coeff;

  STARLING_HOST_DEVICE std::uint32_t operator()(std::int64_t g) const {
    double c[n_scalar_coeffs];
    for (int k = 0; k < n_scalar_coeffs; ++k) c[k] = coeff[k * n + g];
    return active(c, step) ? 1u : 0u;
  }
};

inline step_rule make_rule(const generator_args& a, void* const* ptrs, std::int64_t step) {
  return {a.n, step, buffer_ptr<const double>(ptrs, a.io, gen_coeff)};
}

}  // namespace starling::codelets::poisson_generator
