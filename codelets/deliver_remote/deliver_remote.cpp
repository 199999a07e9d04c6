#include "deliver_remote.hpp"

#include "codelets/common/op_task.hpp"
#include "codelets/deliver/deliver_math.hpp"

namespace starling::codelets::deliver_remote {

void step_cpu(const args& a, void* const* ptrs, const step_context&) {
  const std::uint64_t count = *a.count;
  const std::uint64_t* entries = a.entries;
  const auto* rows = buffer_ptr<const std::int64_t>(ptrs, a.io, 0);
  const auto* synapses = buffer_ptr<const std::uint32_t>(ptrs, a.io, 1);
  const auto* weights = buffer_ptr<const float>(ptrs, a.io, 2);
  auto* ring = buffer_ptr<std::int64_t>(ptrs, a.io, 3);
  for (std::uint64_t j = 0; j < count; ++j) {
    const std::int64_t step = a.first + 1 + static_cast<std::int64_t>(entries[j] >> 32);
    const auto g = static_cast<std::uint32_t>(entries[j] & 0xffffffffu);
    for (std::int64_t k = rows[g]; k < rows[g + 1]; ++k)
      ring[deliver::ring_index(step, synapse_delay(synapses[k], a.target_bits), a.ring_slots,
                               a.receptors, a.n_tgt, a.channel.of(weights[k]),
                               synapse_target(synapses[k], a.target_bits))] += to_fixed(a.channel.value(weights[k]));
  }
}

#if !STARLING_HAVE_CUDA
void step_cuda(const args&, void* const*, const step_context&, void*) {}
#endif

void insert(const args& a, const std::vector<runtime::handle>& handles,
            const runtime::task_order& order) {
  op_codelet<args, &step_cpu, &step_cuda>::insert("deliver_remote", a, handles, {}, order);
}

}  // namespace starling::codelets::deliver_remote
