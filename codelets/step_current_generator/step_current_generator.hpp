#pragma once
// Update codelet of step_current_generator: lists the generators that send events stamped with this step.
// Buffers: state (RW), coefficients (R), spike list (W), amplitude stamps (R, int64), offsets (R, int64 [n+1]), amplitudes (R, double).
#include <vector>

#include "codelets/common/generator_args.hpp"

namespace starling::codelets::step_current_generator {

struct args : generator_args {};

void step_cpu(const args& a, void* const* ptrs, const step_context& ctx);
/// Launches the step on `stream` (a cudaStream_t).
void step_cuda(const args& a, void* const* ptrs, const step_context& ctx, void* stream);
/// Submits one step as one task.
void insert(const args& a, const std::vector<runtime::handle>& handles, const step_context& ctx,
            const runtime::task_order& order = {});

}  // namespace starling::codelets::step_current_generator
