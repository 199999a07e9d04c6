#pragma once
// Recording codelet of spike_recorder. Buffers: source spike list (R), the recorder's entry
// count (RW, uint64 [1], set to 0 at a slice's first step, so that the host only reads it); the
// entries go to `entries` (host memory GPU kernels write directly).
#include <cstdint>
#include <vector>

#include "codelets/common/op.hpp"

namespace starling::codelets::record_spikes {

struct args {
  op_buffers io;
  std::int64_t n = 0;
  std::int64_t capacity = 0;
  std::uint64_t* entries = nullptr;      ///< [capacity]
  std::uint64_t* entries_odd = nullptr;  ///< of odd slices, where the recorder alternates
  /// The entries of a slice on `side` (step_context::side).
  std::uint64_t* entries_of(int side) const {
    return side == 1 && entries_odd ? entries_odd : entries;
  }
};

void step_cpu(const args& a, void* const* ptrs, const step_context& ctx);
/// Launches the step on `stream` (a cudaStream_t).
void step_cuda(const args& a, void* const* ptrs, const step_context& ctx, void* stream);
/// Submits one step as one task.
void insert(const args& a, const std::vector<runtime::handle>& handles, const step_context& ctx);

}  // namespace starling::codelets::record_spikes
