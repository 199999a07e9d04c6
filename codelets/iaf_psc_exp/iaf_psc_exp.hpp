#pragma once
// Update codelet of iaf_psc_exp: one step of all neurons of a population.
// Buffers: state (RW, double [n_states][n]), coefficients (R, double [n_coeffs][n]),
// input ring (RW, int64 [ring_slots][3][n]), spike list (W).
#include <cstdint>
#include <vector>

#include "codelets/common/op.hpp"
#include "iaf_psc_exp_math.hpp"

namespace starling::codelets::iaf_psc_exp {

struct args {
  op_buffers io;
  std::int64_t n = 0;
  std::int64_t ring_slots = 0;
  bool uniform = false;  ///< every member has the coefficients below (the batched GPU update
                         ///< reads them instead of the per-member rows)
  double coeff[n_coeffs] = {};
  /// Whether any projection delivers into the current channel (else the batched GPU update
  /// neither reads nor clears it: it stays zero).
  bool reads_current = true;
};

void step_cpu(const args& a, void* const* ptrs, const step_context& ctx);
/// Launches the step on `stream` (a cudaStream_t).
void step_cuda(const args& a, void* const* ptrs, const step_context& ctx, void* stream);
/// Submits one step as one task.
void insert(const args& a, const std::vector<runtime::handle>& handles, const step_context& ctx);

}  // namespace starling::codelets::iaf_psc_exp
