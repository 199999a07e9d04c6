#include "deliver.hpp"

#include "codelets/common/op_task.hpp"
#include "codelets/common/philox.hpp"
#include "codelets/common/population_io.hpp"

namespace starling::codelets::deliver {

void step_cpu(const args& a, void* const* ptrs, const step_context& ctx) {
  const spike_list spikes =
      make_spike_list(buffer_ptr<std::uint32_t>(ptrs, a.io, b_spikes), a.n_src);
  const auto* rows = buffer_ptr<const std::int64_t>(ptrs, a.io, b_rows);
  const auto* synapses = buffer_ptr<const std::uint32_t>(ptrs, a.io, b_synapses);
  const auto* weights = buffer_ptr<const float>(ptrs, a.io, b_weights);
  auto* ring = buffer_ptr<std::int64_t>(ptrs, a.io, b_ring);
  const double* coeff =
      a.kind == source_kind::spike ? nullptr : buffer_ptr<const double>(ptrs, a.io, b_src_coeff);
  const std::uint32_t count = *spikes.count;
  for (std::uint32_t j = 0; j < count; ++j) {
    const std::uint32_t g = spikes.ids[j];
    double c[max_source_coeffs] = {};
    poisson_generator::cdf_table table{};
    if (coeff != nullptr) source_coeffs(coeff, a.n_src, g, c, a.kind);
    if (a.kind == source_kind::poisson) table = poisson_generator::table_of(coeff, a.n_src, g);
    const std::uint64_t key = philox_key(a.seed, a.gid_base + g);
    for (std::int64_t k = rows[g]; k < rows[g + 1]; ++k) {
      const std::uint32_t target = synapse_target(synapses[k], a.target_bits);
      for (int part = 0; part < event_parts(a.kind); ++part) {
        const std::int64_t v =
            event_value(a.kind, a.channel.value(weights[k]), spikes.mult[j], c, key,
                        poisson_stream(a.call, a.tgt_gid_base + target), ctx.step, table, part);
        if (v == 0) continue;
        ring[ring_index(ctx.step, synapse_delay(synapses[k], a.target_bits), a.ring_slots,
                        a.receptors, a.n_tgt, event_channel(a.channel, weights[k], part),
                        target)] += v;
      }
    }
  }
}

#if !STARLING_HAVE_CUDA
void step_cuda(const args&, void* const*, const step_context&, void*) {}
#endif

void insert(const args& a, const std::vector<runtime::handle>& handles, const step_context& ctx,
            const runtime::task_order& order) {
  op_codelet<args, &step_cpu, &step_cuda>::insert("deliver", a, handles, ctx, order);
}

}  // namespace starling::codelets::deliver
