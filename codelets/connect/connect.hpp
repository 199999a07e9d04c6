#pragma once
// Connection codelets: generate one connect call's synapses where the targets live and sort
// them into the delivery table (CSR by source, rows sorted by delay, then target; see
// codelets/common/synapse_table.hpp).
//   count:    buffers counts (W, int64 [units + 1]): counts[u + 1] = connections of unit u
//   generate: buffers offsets (R, int64 [units + 1]; pairwise_bernoulli only, else unused),
//             weight array (R, double), delay array (R, double), rows (W, int64 [n_pre + 1]),
//             synapses (W, uint32 packed [M]), weights (W, float [M]), status (W,
//             double [n_status]: error, offending value, its index, longest and shortest delay,
//             largest |weight|
//             in steps)
#include <cstdint>
#include <vector>

#include "codelets/common/op.hpp"
#include "connect_math.hpp"

namespace starling::codelets::connect {

enum generate_buffer : int {
  g_offsets,
  g_weight_array,
  g_delay_array,
  g_rows,
  g_synapses,
  g_weights,
  g_status
};

struct args {
  op_buffers io;
  rule_spec spec;
  std::uint64_t total = 0;  ///< connections M
};

void count_cpu(const args& a, void* const* ptrs, const step_context& ctx);
void count_cuda(const args& a, void* const* ptrs, const step_context& ctx, void* stream);
void generate_cpu(const args& a, void* const* ptrs, const step_context& ctx);
void generate_cuda(const args& a, void* const* ptrs, const step_context& ctx, void* stream);

/// Submits the count task (pairwise_bernoulli) or the generate task.
void insert_count(const args& a, const std::vector<runtime::handle>& handles);
void insert_generate(const args& a, const std::vector<runtime::handle>& handles);

}  // namespace starling::codelets::connect
