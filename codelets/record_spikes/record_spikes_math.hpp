#pragma once
// Spike recording: each listed source of a step is appended to the recorder's entries as
// multiplicity-many entries (step within the slice << 32 | local id). A count word counts
// the entries; a count above the capacity means an overflow, reported on the host.
#include <cstdint>

#include "codelets/common/host_device.hpp"

namespace starling::codelets::record_spikes {

STARLING_HOST_DEVICE inline std::uint64_t entry(std::int64_t step, std::int64_t first,
                                                std::uint32_t id) {
  return (static_cast<std::uint64_t>(step - first - 1) << 32) | id;
}

/// Writes `mult` copies of entry e from position `at` on, as far as the capacity goes (the
/// count, which goes on, tells the host of an overflow).
STARLING_HOST_DEVICE inline void put_entries(std::uint64_t* entries, std::int64_t capacity,
                                             std::uint64_t at, std::uint32_t mult,
                                             std::uint64_t e) {
  for (std::uint32_t m = 0; m < mult; ++m)
    if (at + m < static_cast<std::uint64_t>(capacity)) entries[at + m] = e;
}

}  // namespace starling::codelets::record_spikes
