#pragma once
// Update codelet of a neuron population of any model of the list: one step of all its members.
// Buffers: state (RW, double [n_states][n]), coefficients (R, double [n_coeffs][n]),
// input ring (RW, int64 [ring_slots][n_channels][n]), spike list (W).
#include <cstdint>
#include <vector>

#include "codelets/common/op.hpp"
#include "starling/model_list.hpp"

namespace starling::codelets::neuron {

inline constexpr int max_coeffs = models::max_coeffs(models::all{});

struct args {
  op_buffers io;
  std::int32_t model = 0;  ///< index in models::all
  std::int64_t n = 0;
  std::int64_t ring_slots = 0;
  bool uniform = false;  ///< every member has the coefficients below (the batched GPU update
                         ///< reads them instead of the per-member rows)
  /// Whether any projection delivers into the current channel (else the batched GPU update
  /// neither reads nor clears it: it stays zero).
  bool reads_current = true;
  double coeff[max_coeffs] = {};
};

void step_cpu(const args& a, void* const* ptrs, const step_context& ctx);
/// Launches the step on `stream` (a cudaStream_t).
void step_cuda(const args& a, void* const* ptrs, const step_context& ctx, void* stream);
/// Submits one step as one task.
void insert(const args& a, const std::vector<runtime::handle>& handles, const step_context& ctx,
            const runtime::task_order& order = {});

}  // namespace starling::codelets::neuron
