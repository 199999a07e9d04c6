#pragma once
// Operations of plastic synapses (stdp_math.hpp has the rules):
//   history_args  after a population's update: its spikes of the step into its post history;
//   deliver_args  one plastic projection's events of a step (or, remote, of a received slice):
//                 each synapse of a spiking source updates its weight, then delivers it; then
//                 the source's trace and last spike step are committed;
//   init_args     once: the double weights of a plastic projection from its generated table.
// A plan with plastic operations runs one kernel per operation and step on the GPU.
#include <cstdint>
#include <vector>

#include "codelets/common/fixed_point.hpp"
#include "codelets/common/op.hpp"
#include "codelets/common/synapse_table.hpp"
#include "codelets/deliver/deliver_math.hpp"
#include "runtime/task_order.hpp"
#include "stdp_math.hpp"

namespace starling::codelets::plasticity {

struct history_args {
  op_buffers io;  ///< spike list (R), history (RW)
  std::int64_t n = 0;
  std::int64_t capacity = 1;
  double h = 0.1;
};

/// Layout of a plastic projection's source state, 8-byte words: [n_src] Kplus (double),
/// [n_src] step of the last spike (int64, 0 before the first), then the flags.
enum source_flag : int { flag_history_lost, flag_record_full, n_source_flags };

inline std::uint64_t source_words(std::int64_t n_src) {
  return 2 * static_cast<std::uint64_t>(n_src) + n_source_flags;
}

/// A weight_recorder's buffer of one projection: [0] count, then `capacity` entries of three
/// words: step, (source << 32 | target), weight (double).
inline constexpr int record_entry_words = 3;

enum deliver_buffer : int {
  pb_rows,      ///< int64 [n_src + 1]
  pb_synapses,  ///< uint32 packed target and delay
  pb_weights,   ///< double [count] (RW)
  pb_ring,      ///< target ring (RW)
  pb_source,    ///< source state (RW, source_words)
  pb_history,   ///< target's post history (R)
  pb_spikes,    ///< local deliveries: the source's spike list (R); remote ones have none
  n_deliver_buffers
};

struct deliver_args {
  op_buffers io;
  stdp_params p;
  std::int64_t n_src = 0;
  std::int64_t n_tgt = 0;
  std::int64_t ring_slots = 0;
  std::int64_t receptors = 0;
  std::int64_t history_capacity = 1;
  std::int32_t target_bits = 1;
  std::int32_t row_blocks = 1;
  channels channel;
  std::int32_t syn_kplus = -1;  ///< position of the synapses' Kplus (double [count], RW), or -1
  std::int32_t record = -1;     ///< position of the weight_recorder's buffer (RW), or -1
  std::int64_t record_capacity = 0;
  /// Remote: the received slice's count and entries (step offset << 32 | source, sorted), host
  /// memory the GPU reads directly; the slice covered steps first + 1 ... first + slice_steps.
  const std::uint64_t* count = nullptr;
  const std::uint64_t* entries = nullptr;
  std::int64_t first = 0;
  std::int64_t slice_steps = 0;
};

struct init_args {
  op_buffers io;  ///< float weights (R), double weights (W), [synapses' Kplus (W)]
  std::uint64_t count = 0;
};

/// The arrays a plastic delivery works on.
struct plastic_tables {
  const std::int64_t* rows;
  const std::uint32_t* synapses;
  double* weights;
  std::int64_t* ring;
  double* kplus;          ///< [n_src]
  std::int64_t* last;     ///< [n_src]
  std::uint64_t* flags;   ///< [n_source_flags]
  double* syn_kplus;      ///< [count] or null
  std::uint64_t* record;  ///< weight_recorder buffer or null
  history_view history;
};

inline plastic_tables make_tables(const deliver_args& a, void* const* ptrs) {
  auto* source = buffer_ptr<std::uint64_t>(ptrs, a.io, pb_source);
  const auto n = static_cast<std::uint64_t>(a.n_src);
  return {buffer_ptr<const std::int64_t>(ptrs, a.io, pb_rows),
          buffer_ptr<const std::uint32_t>(ptrs, a.io, pb_synapses),
          buffer_ptr<double>(ptrs, a.io, pb_weights),
          buffer_ptr<std::int64_t>(ptrs, a.io, pb_ring),
          reinterpret_cast<double*>(source),
          reinterpret_cast<std::int64_t*>(source + n),
          source + 2 * n,
          a.syn_kplus >= 0 ? buffer_ptr<double>(ptrs, a.io, a.syn_kplus) : nullptr,
          a.record >= 0 ? buffer_ptr<std::uint64_t>(ptrs, a.io, a.record) : nullptr,
          make_history(buffer_ptr<void>(ptrs, a.io, pb_history), a.n_tgt, a.history_capacity)};
}

/// What synapse k sends after its update: `value` (fixed point; 0: nothing) into ring word
/// `index`.
struct plastic_event {
  std::int64_t index = 0;
  std::int64_t value = 0;
  bool lost = false;  ///< the history lacked a post spike the rule needs (weight unchanged)
};

/// Synapse k of source g's row, for its source's `mult` spikes at `step`: the weight's update
/// (written back) and the event it sends. The source's trace and last spike are read, not
/// written (commit_source does that once every synapse of the row is done).
STARLING_HOST_DEVICE inline plastic_event update_synapse(const deliver_args& a,
                                                         const plastic_tables& t, std::uint32_t g,
                                                         std::int64_t k, std::uint32_t mult,
                                                         std::int64_t step) {
  const std::uint32_t packed = t.synapses[k];
  const std::uint32_t target = synapse_target(packed, a.target_bits);
  const std::int32_t d = synapse_delay(packed, a.target_bits);
  double skp = t.syn_kplus != nullptr ? t.syn_kplus[k] : 0.0;
  plastic_event e;
  const double w = update_weight(a.p, t.weights[k], skp, t.kplus[g], t.last[g], step, d, t.history,
                                 target, e.lost);
  t.weights[k] = w;
  if (t.syn_kplus != nullptr) t.syn_kplus[k] = skp;
  const float wf = static_cast<float>(w);
  e.value = to_fixed(a.channel.counts != 0 ? 1.0 : w) * static_cast<std::int64_t>(mult);
  e.index =
      deliver::ring_index(step, d, a.ring_slots, a.receptors, a.n_tgt, a.channel.of(wf), target);
  return e;
}

/// Entry `at` of the weight recorder (a position the caller reserved in its count): synapse k
/// of source g's row and its weight after the update at `step`; past the buffer's end, the
/// overflow flag instead.
STARLING_HOST_DEVICE inline void record_weight(const deliver_args& a, const plastic_tables& t,
                                               std::uint64_t at, std::uint32_t g, std::int64_t k,
                                               std::int64_t step) {
  if (at >= static_cast<std::uint64_t>(a.record_capacity)) {
    t.flags[flag_record_full] = 1;
    return;
  }
  std::uint64_t* entry = t.record + 1 + at * record_entry_words;
  entry[0] = static_cast<std::uint64_t>(step);
  entry[1] = (static_cast<std::uint64_t>(g) << 32) | synapse_target(t.synapses[k], a.target_bits);
  *reinterpret_cast<double*>(entry + 2) = t.weights[k];
}

/// After every synapse of source g's row: its trace (where the rule keeps one per source) and
/// the step of its last spike.
STARLING_HOST_DEVICE inline void commit_source(const deliver_args& a, const plastic_tables& t,
                                               std::uint32_t g, std::int64_t step) {
  if (a.p.rule == stdp_rule::stdp || a.p.rule == stdp_rule::pl_hom)
    t.kplus[g] = next_kplus(a.p, t.kplus[g], t.last[g], step);
  t.last[g] = step;
}

void step_cpu(const history_args& a, void* const* ptrs, const step_context& ctx);
void step_cuda(const history_args& a, void* const* ptrs, const step_context& ctx, void* stream);
void step_cpu(const deliver_args& a, void* const* ptrs, const step_context& ctx);
void step_cuda(const deliver_args& a, void* const* ptrs, const step_context& ctx, void* stream);
void step_cpu(const init_args& a, void* const* ptrs, const step_context& ctx);
void step_cuda(const init_args& a, void* const* ptrs, const step_context& ctx, void* stream);

/// One step as one task (the per-step graph).
void insert(const history_args& a, const std::vector<runtime::handle>& handles,
            const step_context& ctx, const runtime::task_order& order = {});
void insert(const deliver_args& a, const std::vector<runtime::handle>& handles,
            const step_context& ctx, const runtime::task_order& order = {});
/// The remote delivery of a received slice (a.count and a.entries set), as one task that
/// follows the exchange (order.after).
void insert_remote(const deliver_args& a, const std::vector<runtime::handle>& handles,
                   const runtime::task_order& order);
/// The one-off initialisation of a projection's weights.
void insert(const init_args& a, const std::vector<runtime::handle>& handles);

/// The CPU body of one source spike (mult spikes at `step`) over its row: shared by the local
/// and the remote delivery.
void deliver_source_cpu(const deliver_args& a, void* const* ptrs, std::uint32_t g,
                        std::uint32_t mult, std::int64_t step);

}  // namespace starling::codelets::plasticity
