#pragma once
// Recording codelet of voltmeter / multimeter. Buffers: population state (R, double
// [n_states][n]), sample buffer (RW, double [rows][variables][n]).
#include <cstdint>
#include <vector>

#include "codelets/common/op.hpp"
#include "record_states_math.hpp"

namespace starling::codelets::record_states {

struct args {
  op_buffers io;
  std::int64_t n = 0;
  std::int64_t interval = 1;  ///< steps
  std::int32_t n_vars = 0;
  std::int32_t var[max_variables] = {};  ///< state rows to sample
};

void step_cpu(const args& a, void* const* ptrs, const step_context& ctx);
/// Launches the step on `stream` (a cudaStream_t).
void step_cuda(const args& a, void* const* ptrs, const step_context& ctx, void* stream);
/// Submits one step as one task.
void insert(const args& a, const std::vector<runtime::handle>& handles, const step_context& ctx,
            const runtime::task_order& order = {});

}  // namespace starling::codelets::record_states
