#include "record_states.hpp"

#include "codelets/common/op_task.hpp"

namespace starling::codelets::record_states {

void step_cpu(const args& a, void* const* ptrs, const step_context& ctx) {
  const std::int64_t r = row(ctx.step, ctx.first, a.interval);
  if (r < 0) return;
  const auto* state = buffer_ptr<const double>(ptrs, a.io, 0);
  auto* out = buffer_ptr<double>(ptrs, a.io, 1) + r * a.n_vars * a.n;
  for (int v = 0; v < a.n_vars; ++v)
    for (std::int64_t i = 0; i < a.n; ++i) out[v * a.n + i] = state[a.var[v] * a.n + i];
}

#if !STARLING_HAVE_CUDA
void step_cuda(const args&, void* const*, const step_context&, void*) {}
#endif

void insert(const args& a, const std::vector<runtime::handle>& handles, const step_context& ctx,
            const runtime::task_order& order) {
  op_codelet<args, &step_cpu, &step_cuda>::insert("record_states", a, handles, ctx, order);
}

}  // namespace starling::codelets::record_states
