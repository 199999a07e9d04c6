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

}  // namespace starling::codelets::record_spikes
