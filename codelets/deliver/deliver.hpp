#pragma once
// Delivery codelet: one projection's events of one step into the target population's ring.
// Buffers: source spike list (R), row offsets (R, int64 [n_src + 1]), packed synapses (R,
// uint32), weights (R, float), target ring (RW, int64), source coefficients (R, double
// [k][n_src]; read for current and Poisson sources).
#include <cstdint>
#include <vector>

#include "codelets/common/op.hpp"
#include "deliver_math.hpp"

namespace starling::codelets::deliver {

enum buffer : int { b_spikes, b_rows, b_synapses, b_weights, b_ring, b_src_coeff };

struct args {
  op_buffers io;
  source_kind kind = source_kind::spike;
  std::int64_t n_src = 0;
  std::int64_t n_tgt = 0;
  std::int64_t ring_slots = 0;
  std::int64_t receptors = 0;
  std::uint64_t seed = 0;          ///< master seed (Poisson sources)
  std::uint64_t gid_base = 0;      ///< global id of the source population's first member
  std::uint64_t tgt_gid_base = 0;  ///< global id of the target population's first member
  std::uint64_t call = 0;          ///< index of the connect call (Poisson streams)
  std::int32_t row_blocks = 1;     ///< CUDA blocks that share one source's row
  std::int32_t target_bits = 1;    ///< of the packed synapses
  channels channel;                ///< ring channels by the weight's sign
  /// The delay of every synapse where each source reaches every target once with one delay
  /// (synapse rows[g] + i goes to target i), else 0.
  std::int32_t all_pairs_delay = 0;
};

/// Coefficients a source's events need of source g, gathered from the [k][n_src] layout: a
/// current source's amplitude, or a Poisson source's scalar coefficients.
STARLING_HOST_DEVICE inline void source_coeffs(const double* coeff, std::int64_t n_src,
                                               std::uint32_t g, double* out, source_kind kind) {
  if (kind == source_kind::poisson) {
    for (int i = 0; i < poisson_generator::n_scalar_coeffs; ++i) out[i] = coeff[i * n_src + g];
  } else {
    out[0] = coeff[g];
  }
}

void step_cpu(const args& a, void* const* ptrs, const step_context& ctx);
/// Launches the step on `stream` (a cudaStream_t).
void step_cuda(const args& a, void* const* ptrs, const step_context& ctx, void* stream);
/// Submits one step as one task.
void insert(const args& a, const std::vector<runtime::handle>& handles, const step_context& ctx);

}  // namespace starling::codelets::deliver
