#include "step_current_generator.hpp"

#include "codelets/common/generator_emit.cuh"
#include "step_current_generator_step.hpp"

namespace starling::codelets::step_current_generator {

void step_cuda(const args& a, void* const* ptrs, const step_context& ctx, void* stream) {
  emit_cuda(a.n, buffer_ptr<std::uint32_t>(ptrs, a.io, gen_spikes), make_rule(a, ptrs, ctx.step),
            static_cast<cudaStream_t>(stream));
}

}  // namespace starling::codelets::step_current_generator
