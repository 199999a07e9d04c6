#pragma once
// One synapse of a delivery table in 8 bytes: a packed 32-bit word (target index in the low
// `target_bits` bits, delay - 1 in steps above them) and a float weight. The table is CSR by
// source; each row is sorted by packed word, that is by delay, then target. The ring channel
// follows from the projection (its excitatory and inhibitory channels) and the weight's sign.
#include <cstdint>

#include "host_device.hpp"

namespace starling::codelets {

/// Bits that hold a target index of a population of n neurons (at least 1).
STARLING_HOST_DEVICE constexpr std::int32_t target_bits_for(std::uint64_t n) {
  std::int32_t b = 1;
  while (b < 64 && (n - 1) >> b != 0) ++b;
  return b;
}

/// Longest delay in steps that a table with `target_bits` target bits can hold.
STARLING_HOST_DEVICE constexpr double packed_delay_limit(std::int32_t target_bits) {
  return target_bits >= 32 ? 0.0 : static_cast<double>(1ull << (32 - target_bits));
}

STARLING_HOST_DEVICE inline std::uint32_t pack_synapse(std::uint32_t target, std::int32_t delay,
                                                       std::int32_t target_bits) {
  return (static_cast<std::uint32_t>(delay - 1) << target_bits) | target;
}

STARLING_HOST_DEVICE inline std::uint32_t synapse_target(std::uint32_t packed,
                                                         std::int32_t target_bits) {
  return packed & ((1u << target_bits) - 1u);
}

STARLING_HOST_DEVICE inline std::int32_t synapse_delay(std::uint32_t packed,
                                                       std::int32_t target_bits) {
  return static_cast<std::int32_t>(packed >> target_bits) + 1;
}

/// Ring channels of a projection: weights >= 0 go to `ex`, negative weights to `in`. Into a
/// target that counts spikes (parrot_neuron, which ignores weights as in NEST) each spike
/// weighs 1.
struct channels {
  std::int32_t ex = 0;
  std::int32_t in = 1;
  std::int32_t counts = 0;
  STARLING_HOST_DEVICE std::int32_t of(float w) const { return w >= 0.0f ? ex : in; }
  /// The weight a spike over a synapse of weight w delivers.
  STARLING_HOST_DEVICE float value(float w) const { return counts != 0 ? 1.0f : w; }
};

}  // namespace starling::codelets
