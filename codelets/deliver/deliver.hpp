#pragma once
// Delivery codelet: one projection's events of one step into the target population's ring.
// Buffers: source spike list (R), row offsets (R, int64 [n_src + 1]), packed synapses (R,
// uint32), weights (R, float), target ring (RW, int64), source coefficients or states (R,
// double [k][n_src]; read for all but plain spike sources, see source_reads_state).
#include <cstdint>
#include <vector>

#include "codelets/common/op.hpp"
#include "codelets/spike_generator/spike_generator_math.hpp"
#include "codelets/step_current_generator/step_current_generator_math.hpp"
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

/// Most numbers a delivery gathers of one source (source_coeffs).
inline constexpr int max_source_coeffs = 6;
static_assert(poisson_generator::n_scalar_coeffs <= max_source_coeffs &&
                  spike_generator::cursor <= max_source_coeffs &&
                  noise_generator::n_states - noise_generator::deliver_rows <= max_source_coeffs,
              "source_coeffs fits");

/// Numbers a source's events need of source g, gathered from the [k][n_src] layout of its
/// coefficients or states: a current source's amplitude, a Poisson source's scalar
/// coefficients, a weighted spike source's weight sums, a step current's amplitudes or a noise
/// source's draws (each by step parity).
STARLING_HOST_DEVICE inline void source_coeffs(const double* coeff, std::int64_t n_src,
                                               std::uint32_t g, double* out, source_kind kind) {
  int first = 0, count = 1;
  switch (kind) {
    case source_kind::poisson:
      count = poisson_generator::n_scalar_coeffs;
      break;
    case source_kind::weighted_spike:
      first = spike_generator::weight_sums;
      count = 4;
      break;
    case source_kind::step_current:
      first = step_current_generator::step_amplitude;
      count = 2;
      break;
    case source_kind::noise_current:
      first = noise_generator::deliver_rows;
      count = 6;
      break;
    case source_kind::spike:
    case source_kind::current:
      break;
  }
  for (int i = 0; i < count; ++i) out[i] = coeff[(first + i) * n_src + g];
}

void step_cpu(const args& a, void* const* ptrs, const step_context& ctx);
/// Launches the step on `stream` (a cudaStream_t).
void step_cuda(const args& a, void* const* ptrs, const step_context& ctx, void* stream);
/// Submits one step as one task.
void insert(const args& a, const std::vector<runtime::handle>& handles, const step_context& ctx,
            const runtime::task_order& order = {});

}  // namespace starling::codelets::deliver
