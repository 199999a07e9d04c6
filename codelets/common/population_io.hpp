#pragma once
// Buffers every population update reads and writes, in this order, and the layout of the
// per-step spike list that updates write and deliveries and recorders read.
#include <cstdint>

#include "codelets/common/host_device.hpp"

namespace starling::codelets {

enum population_buffer : int { buf_state, buf_coeff, buf_ring, buf_spikes, n_population_buffers };

/// Spike list of a population for the current step: uint32 words
/// [0] count, [1 .. n] local ids, [1 + n .. 2n] multiplicities.
struct spike_list {
  std::uint32_t* count;
  std::uint32_t* ids;
  std::uint32_t* mult;
};

STARLING_HOST_DEVICE inline spike_list make_spike_list(std::uint32_t* words, std::int64_t n) {
  return {words, words + 1, words + 1 + n};
}

inline std::int64_t spike_list_words(std::int64_t n) { return 1 + 2 * n; }

}  // namespace starling::codelets
