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

void publish_cpu(const publication* list, int n) {
  for (int q = 0; q < n; ++q) *list[q].to = *list[q].count;
}

#if !STARLING_HAVE_CUDA
void step_cuda(const args&, void* const*, const step_context&, void*) {}
void publish_cuda(const publication*, int, void*) {}
#endif

namespace {

// A step as a task of its own publishes the count it leaves: the slice's last step's stands.
void task_step_cpu(const args& a, void* const* ptrs, const step_context& ctx) {
  step_cpu(a, ptrs, ctx);
  const publication p = publication_of(a, ptrs, ctx.side);
  publish_cpu(&p, 1);
}

void task_step_cuda(const args& a, void* const* ptrs, const step_context& ctx, void* stream) {
  step_cuda(a, ptrs, ctx, stream);
  const publication p = publication_of(a, ptrs, ctx.side);
  publish_cuda(&p, 1, stream);
}

}  // namespace

void insert(const args& a, const std::vector<runtime::handle>& handles, const step_context& ctx,
            const runtime::task_order& order) {
  op_codelet<args, &task_step_cpu, &task_step_cuda>::insert("record_spikes", a, handles, ctx,
                                                            order);
}

}  // namespace starling::codelets::record_spikes
