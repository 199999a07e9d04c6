#pragma once
// Remote delivery codelet: spikes of a population on another process, received at the end of a
// slice, through one projection's table into the local target ring. Each entry is
// (step within the slice << 32 | source id); the step is first + 1 + that offset.
// Buffers: rows (R), packed synapses (R), weights (R), target ring (RW): the tables as for
// deliver. The count and the entries are host memory the GPU reads directly, written by the
// exchange task, which the task follows by an explicit dependency.
#include <cstdint>
#include <vector>

#include "codelets/common/op.hpp"
#include "codelets/common/synapse_table.hpp"

namespace starling::codelets::deliver_remote {

struct args {
  op_buffers io;
  std::int64_t first = 0;  ///< the slice covered steps first + 1 ...
  std::int64_t n_tgt = 0;
  std::int64_t ring_slots = 0;
  std::int64_t receptors = 0;
  std::int32_t target_bits = 1;
  channels channel;
  const std::uint64_t* count = nullptr;  ///< [1] entries received
  const std::uint64_t* entries = nullptr;
};

void step_cpu(const args& a, void* const* ptrs, const step_context& ctx);
/// Launches on `stream` (a cudaStream_t).
void step_cuda(const args& a, void* const* ptrs, const step_context& ctx, void* stream);
/// Submits the delivery of one slice's inbox; it must follow (order.after) the exchange.
void insert(const args& a, const std::vector<runtime::handle>& handles,
            const runtime::task_order& order);

}  // namespace starling::codelets::deliver_remote
