#pragma once
// Writes the step's spike list of a generator population on the CPU: generator g is listed with
// multiplicity mult(g) when that is non-zero.
#include <cstdint>

#include "codelets/common/population_io.hpp"

namespace starling::codelets {

template <typename Mult>
void emit_cpu(std::int64_t n, std::uint32_t* words, Mult mult) {
  const spike_list spikes = make_spike_list(words, n);
  std::uint32_t count = 0;
  for (std::int64_t g = 0; g < n; ++g) {
    const std::uint32_t m = mult(g);
    if (m == 0) continue;
    spikes.ids[count] = static_cast<std::uint32_t>(g);
    spikes.mult[count] = m;
    ++count;
  }
  *spikes.count = count;
}

}  // namespace starling::codelets
