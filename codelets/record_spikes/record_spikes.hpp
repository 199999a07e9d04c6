#pragma once
// Recording codelet of spike_recorder. Buffers: source spike list (R), the recorder's entry
// count (RW, uint64 [1], set to 0 at a slice's first step, where the recording runs); the
// entries go to `entries` (host memory GPU kernels write directly). At the end of a slice the
// task that recorded last publishes the count into `published`, a host word beside the entries:
// the host and the exchange read the count there once that task has finished, so the count
// itself never leaves the device that records.
#include <cstdint>
#include <vector>

#include "codelets/common/op.hpp"

namespace starling::codelets::record_spikes {

struct args {
  op_buffers io;
  std::int64_t n = 0;
  std::int64_t capacity = 0;
  std::uint64_t* entries = nullptr;        ///< [capacity]
  std::uint64_t* entries_odd = nullptr;    ///< of odd slices, where the recorder alternates
  std::uint64_t* published = nullptr;      ///< [1] the count at the end of a slice
  std::uint64_t* published_odd = nullptr;  ///< of odd slices, where the recorder alternates
  /// The entries of a slice on `side` (step_context::side).
  std::uint64_t* entries_of(int side) const {
    return side == 1 && entries_odd ? entries_odd : entries;
  }
  /// Where the count of a slice on `side` is published.
  std::uint64_t* published_of(int side) const {
    return side == 1 && published_odd ? published_odd : published;
  }
};

/// A recorder's count (buffer 1, where the task runs) and the host word it is published to.
struct publication {
  const std::uint64_t* count;
  std::uint64_t* to;
};

/// The publication of recorder `a` for a slice on `side`, from the task's buffer pointers.
inline publication publication_of(const args& a, void* const* ptrs, int side) {
  return {buffer_ptr<const std::uint64_t>(ptrs, a.io, 1), a.published_of(side)};
}

/// Copies each count to its host word, on the host.
void publish_cpu(const publication* list, int n);
/// The same queued on `stream` (a cudaStream_t) after the work that wrote the counts: the words
/// hold the counts once that stream's work has finished (when the task that queued it ends).
void publish_cuda(const publication* list, int n, void* stream);

void step_cpu(const args& a, void* const* ptrs, const step_context& ctx);
/// Launches the step on `stream` (a cudaStream_t).
void step_cuda(const args& a, void* const* ptrs, const step_context& ctx, void* stream);
/// Submits one step as one task, which publishes the count at its end.
void insert(const args& a, const std::vector<runtime::handle>& handles, const step_context& ctx,
            const runtime::task_order& order = {});

}  // namespace starling::codelets::record_spikes
