#include "dc_generator.hpp"

#include "codelets/common/generator_emit.hpp"
#include "codelets/common/op_task.hpp"
#include "dc_generator_step.hpp"

namespace starling::codelets::dc_generator {

void step_cpu(const args& a, void* const* ptrs, const step_context& ctx) {
  emit_cpu(a.n, buffer_ptr<std::uint32_t>(ptrs, a.io, gen_spikes), make_rule(a, ptrs, ctx.step));
}

#if !STARLING_HAVE_CUDA
void step_cuda(const args&, void* const*, const step_context&, void*) {}
#endif

void insert(const args& a, const std::vector<runtime::handle>& handles, const step_context& ctx,
            const runtime::task_order& order) {
  op_codelet<args, &step_cpu, &step_cuda>::insert("dc_generator", a, handles, ctx, order);
}

}  // namespace starling::codelets::dc_generator
