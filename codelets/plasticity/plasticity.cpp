#include "plasticity.hpp"

#include "codelets/common/op_task.hpp"
#include "codelets/common/population_io.hpp"

namespace starling::codelets::plasticity {

void step_cpu(const history_args& a, void* const* ptrs, const step_context& ctx) {
  const spike_list spikes = make_spike_list(buffer_ptr<std::uint32_t>(ptrs, a.io, 0), a.n);
  const history_view v = make_history(buffer_ptr<void>(ptrs, a.io, 1), a.n, a.capacity);
  for (std::uint32_t j = 0; j < *spikes.count; ++j)
    push_spike(v, spikes.ids[j], ctx.step, spikes.mult[j], a.h);
}

void deliver_source_cpu(const deliver_args& a, void* const* ptrs, std::uint32_t g,
                        std::uint32_t mult, std::int64_t step) {
  const plastic_tables t = make_tables(a, ptrs);
  for (std::int64_t k = t.rows[g]; k < t.rows[g + 1]; ++k) {
    const plastic_event e = update_synapse(a, t, g, k, mult, step);
    if (e.lost) t.flags[flag_history_lost] = 1;
    if (e.value != 0) t.ring[e.index] += e.value;
    if (t.record != nullptr) record_weight(a, t, t.record[0]++, g, k, step);
  }
  commit_source(a, t, g, step);
}

void step_cpu(const deliver_args& a, void* const* ptrs, const step_context& ctx) {
  if (a.entries != nullptr) {
    // Remote: the received slice, sorted by step then source; equal entries are one spike's
    // multiplicity.
    const std::uint64_t count = *a.count;
    for (std::uint64_t j = 0; j < count;) {
      std::uint64_t end = j + 1;
      while (end < count && a.entries[end] == a.entries[j]) ++end;
      deliver_source_cpu(a, ptrs, static_cast<std::uint32_t>(a.entries[j] & 0xffffffffu),
                         static_cast<std::uint32_t>(end - j),
                         a.first + 1 + static_cast<std::int64_t>(a.entries[j] >> 32));
      j = end;
    }
    return;
  }
  const spike_list spikes =
      make_spike_list(buffer_ptr<std::uint32_t>(ptrs, a.io, pb_spikes), a.n_src);
  for (std::uint32_t j = 0; j < *spikes.count; ++j)
    deliver_source_cpu(a, ptrs, spikes.ids[j], spikes.mult[j], ctx.step);
}

void step_cpu(const init_args& a, void* const* ptrs, const step_context&) {
  const auto* wf = buffer_ptr<const float>(ptrs, a.io, 0);
  auto* w = buffer_ptr<double>(ptrs, a.io, 1);
  double* kplus = a.io.count > 2 ? buffer_ptr<double>(ptrs, a.io, 2) : nullptr;
  for (std::uint64_t k = 0; k < a.count; ++k) {
    w[k] = static_cast<double>(wf[k]);
    if (kplus != nullptr) kplus[k] = 0.0;
  }
}

#if !STARLING_HAVE_CUDA
void step_cuda(const history_args&, void* const*, const step_context&, void*) {}
void step_cuda(const deliver_args&, void* const*, const step_context&, void*) {}
void step_cuda(const init_args&, void* const*, const step_context&, void*) {}
#endif

namespace {

template <typename Args>
void insert_as(const char* name, const Args& a, const std::vector<runtime::handle>& handles,
               const step_context& ctx, const runtime::task_order& order = {}) {
  op_codelet<Args, static_cast<void (*)(const Args&, void* const*, const step_context&)>(&step_cpu),
             static_cast<void (*)(const Args&, void* const*, const step_context&, void*)>(
                 &step_cuda)>::insert(name, a, handles, ctx, order);
}

}  // namespace

void insert(const history_args& a, const std::vector<runtime::handle>& handles,
            const step_context& ctx, const runtime::task_order& order) {
  insert_as("post_history", a, handles, ctx, order);
}

void insert(const deliver_args& a, const std::vector<runtime::handle>& handles,
            const step_context& ctx, const runtime::task_order& order) {
  insert_as("deliver_plastic", a, handles, ctx, order);
}

void insert_remote(const deliver_args& a, const std::vector<runtime::handle>& handles,
                   const runtime::task_order& order) {
  insert_as("deliver_plastic_remote", a, handles, {}, order);
}

void insert(const init_args& a, const std::vector<runtime::handle>& handles) {
  insert_as("plastic_init", a, handles, {});
}

}  // namespace starling::codelets::plasticity
