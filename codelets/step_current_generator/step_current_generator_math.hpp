#pragma once
// step_current_generator: a piecewise constant current, as in NEST. Its amplitude becomes
// amplitude_values[k] in the update whose events are stamped amplitude_times[k] (NEST changes it
// one step ahead, so that with delay d the neuron sees it from amplitude_times[k] + d); times
// in the past when they are set are skipped, and the amplitude before the first change is 0 (or
// the last one in effect: NEST keeps it when new lists are set). Like dc_generator, an event
// stamped T is sent if origin + start <= T*h < origin + stop, and its weight multiplies the
// amplitude.
//
// | parameter        | default | unit | meaning                                        |
// |------------------|---------|------|------------------------------------------------|
// | start            | 0       | ms   | activation time                                |
// | stop             | inf     | ms   | deactivation time                              |
// | origin           | 0       | ms   | shifts start and stop (not amplitude_times)    |
// | amplitude_times  | []      | ms   | strictly increasing, > 0 (lists, per generator)|
// | amplitude_values | []      | pA   | one per amplitude time                         |
//
// States: the amplitude of the step in the row of its parity (the delivery of step t reads it
// while the update of step t + 1 may already write), the amplitude in effect, and the cursor
// into the table of amplitude stamps.
#include <cstdint>

#include "codelets/common/generator_io.hpp"
#include "codelets/common/host_device.hpp"
#include "codelets/common/quantity.hpp"

namespace starling::codelets::step_current_generator {

inline constexpr quantity parameters[] = {
    {"start", 0.0, "ms"}, {"stop", forever, "ms"}, {"origin", 0.0, "ms"}};
enum param : int { start, stop, origin, n_params };
inline constexpr quantity states[] = {
    {"_amplitude_0", 0.0, "pA"}, {"_amplitude_1", 0.0, "pA"}, {"_amplitude", 0.0, "pA"},
    {"_next_change", 0.0, ""}};
enum state : int { step_amplitude = 0, amplitude = 2, cursor = 3, n_states };
inline constexpr int n_public_states = 0;
enum coeff : int { start_step, stop_step, n_coeffs };

/// The lists a step_current_generator takes (per member); NEST sets them together.
inline constexpr const char* lists[] = {"amplitude_times", "amplitude_values"};

inline void derive(const double* p, double h, double* c) {
  device_window("step_current_generator", p[origin], p[start], p[stop], h, &c[start_step],
                &c[stop_step]);
}

/// One generator's update stamped `step`: applies a change stamped `step` (passing those in the
/// past), writes the step's amplitude; returns 1 if it sends an event (active, amplitude != 0).
STARLING_HOST_DEVICE inline std::uint32_t advance(const std::int64_t* stamps, const double* values,
                                                  std::int64_t end, double* cursor, double* amp,
                                                  const double* c, std::int64_t step) {
  auto k = static_cast<std::int64_t>(*cursor);
  while (k < end && stamps[k] < step) ++k;
  if (k < end && stamps[k] == step) {
    *amp = values[k];
    ++k;
  }
  *cursor = static_cast<double>(k);
  const auto t = static_cast<double>(step);
  return c[start_step] <= t && t < c[stop_step] && *amp != 0.0 ? 1u : 0u;
}

}  // namespace starling::codelets::step_current_generator
