#include "record_spikes.hpp"

#include "codelets/common/op_task.hpp"
#include "codelets/common/population_io.hpp"
#include "record_spikes_math.hpp"

namespace starling::codelets::record_spikes {

void step_cpu(const args& a, void* const* ptrs, const step_context& ctx) {
  const spike_list spikes = make_spike_list(buffer_ptr<std::uint32_t>(ptrs, a.io, 0), a.n);
  auto* count = buffer_ptr<std::uint64_t>(ptrs, a.io, 1);
  if (ctx.step == ctx.first + 1) *count = 0;  // a slice's entries start at its first step
  for (std::uint32_t j = 0; j < *spikes.count; ++j) {
    put_entries(a.entries_of(ctx.side), a.capacity, *count, spikes.mult[j],
                entry(ctx.step, ctx.first, spikes.ids[j]));
    *count += spikes.mult[j];
  }
}

#if !STARLING_HAVE_CUDA
void step_cuda(const args&, void* const*, const step_context&, void*) {}
#endif

void insert(const args& a, const std::vector<runtime::handle>& handles, const step_context& ctx) {
  op_codelet<args, &step_cpu, &step_cuda>::insert("record_spikes", a, handles, ctx);
}

}  // namespace starling::codelets::record_spikes
