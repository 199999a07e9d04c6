#include "neuron.hpp"

#include "codelets/common/op_task.hpp"
#include "codelets/common/population_io.hpp"
#include "neuron_step.hpp"

namespace starling::codelets::neuron {

namespace {

template <typename M>
void run(const args& a, void* const* ptrs, const step_context& ctx) {
  const std::int64_t n = a.n;
  double* state = buffer_ptr<double>(ptrs, a.io, buf_state);
  const double* coeff = buffer_ptr<const double>(ptrs, a.io, buf_coeff);
  std::int64_t* slot = buffer_ptr<std::int64_t>(ptrs, a.io, buf_ring) +
                       (ctx.step % a.ring_slots) * M::n_channels * n;
  const spike_list spikes = make_spike_list(buffer_ptr<std::uint32_t>(ptrs, a.io, buf_spikes), n);
  std::uint32_t count = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const std::uint32_t m = step_member<M>(n, i, state, coeff, slot);
    if (m != 0) {
      spikes.ids[count] = static_cast<std::uint32_t>(i);
      spikes.mult[count] = m;
      ++count;
    }
  }
  *spikes.count = count;
}

}  // namespace

void step_cpu(const args& a, void* const* ptrs, const step_context& ctx) {
  models::with_model(models::all{}, a.model,
                     [&](auto tag) { run<typename decltype(tag)::type>(a, ptrs, ctx); });
}

#if !STARLING_HAVE_CUDA
void step_cuda(const args&, void* const*, const step_context&, void*) {}
#endif

void insert(const args& a, const std::vector<runtime::handle>& handles, const step_context& ctx,
            const runtime::task_order& order) {
  op_codelet<args, &step_cpu, &step_cuda>::insert("neuron", a, handles, ctx, order);
}

}  // namespace starling::codelets::neuron
