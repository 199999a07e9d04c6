#pragma once
// spike_generator: emits spikes at given times, as in NEST. A spike at time t (a multiple of the
// resolution) is emitted with time stamp t if start < t <= stop; repeated times give one event
// with that multiplicity.
//
// | parameter   | default | unit | meaning                                  |
// |-------------|---------|------|------------------------------------------|
// | start       | 0       | ms   | spikes at or before start are not sent   |
// | stop        | inf     | ms   | spikes after stop are not sent           |
// | spike_times | []      | ms   | spike times (set per generator)          |
#include <cstdint>
#include <string>

#include "codelets/common/generator_io.hpp"
#include "codelets/common/host_device.hpp"
#include "codelets/common/quantity.hpp"

namespace starling::codelets::spike_generator {

inline constexpr quantity parameters[] = {{"start", 0.0, "ms"}, {"stop", forever, "ms"}};
enum param : int { start, stop, n_params };
inline constexpr quantity states[] = {{"next_spike", 0.0, ""}};
enum state : int { cursor, n_states };
inline constexpr int n_public_states = 0;
enum coeff : int { start_step, stop_step, n_coeffs };

inline void derive(const double* p, double h, double* c) {
  c[start_step] = device_steps("spike_generator", "start", p[start], h);
  c[stop_step] = device_steps("spike_generator", "stop", p[stop], h);
}

/// Advances one generator's cursor past the spikes stamped `step`; returns their multiplicity
/// if the generator is active, else 0.
STARLING_HOST_DEVICE inline std::uint32_t emit(const std::int64_t* stamps, std::int64_t end,
                                               double* cursor, const double* c, std::int64_t step) {
  auto k = static_cast<std::int64_t>(*cursor);
  while (k < end && stamps[k] < step) ++k;
  std::uint32_t mult = 0;
  while (k < end && stamps[k] == step) {
    ++mult;
    ++k;
  }
  *cursor = static_cast<double>(k);
  const auto t = static_cast<double>(step);
  return (c[start_step] < t && t <= c[stop_step]) ? mult : 0u;
}

}  // namespace starling::codelets::spike_generator
