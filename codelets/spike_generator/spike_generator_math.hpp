#pragma once
// spike_generator: emits spikes at given times, as in NEST. A spike at time t (a multiple of the
// resolution) is emitted with time stamp origin + t if origin + start < origin + t <= origin +
// stop. A spike's multiplicity (spike_multiplicities, else 1) and repeated equal times add up to
// one event of that multiplicity; with spike_weights, each spike's weight multiplies the
// synapse weight (NEST's DSSpikeEvent), so a step's event carries the sums of its spikes'
// weight x multiplicity, apart by sign (the product's sign chooses the synapse type).
//
// | parameter            | default | unit | meaning                                     |
// |----------------------|---------|------|---------------------------------------------|
// | start                | 0       | ms   | spikes at or before origin + start not sent |
// | stop                 | inf     | ms   | spikes after origin + stop not sent         |
// | origin               | 0       | ms   | shifts spike times, start and stop          |
// | spike_times          | []      | ms   | spike times (lists, per generator)          |
// | spike_weights        | []      | 1    | one per spike time, or none                 |
// | spike_multiplicities | []      | 1    | one per spike time, or none                 |
//
// The stamp table holds a spike of multiplicity m as m equal stamps, and its weight (1 without
// spike_weights) as their value. States: the step's weight sums of both signs, in the rows of
// the step's parity (the delivery of step t reads them while the update of step t + 1 may
// already write), then the cursor into the stamp table.
#include <cstdint>
#include <string>

#include "codelets/common/generator_io.hpp"
#include "codelets/common/host_device.hpp"
#include "codelets/common/quantity.hpp"

namespace starling::codelets::spike_generator {

inline constexpr quantity parameters[] = {
    {"start", 0.0, "ms"}, {"stop", forever, "ms"}, {"origin", 0.0, "ms"}};
enum param : int { start, stop, origin, n_params };
inline constexpr quantity states[] = {{"_weight_pos_0", 0.0, ""}, {"_weight_neg_0", 0.0, ""},
                                      {"_weight_pos_1", 0.0, ""}, {"_weight_neg_1", 0.0, ""},
                                      {"_next_spike", 0.0, ""}};
/// Row (parity p) * 2 + 0 holds the sum of weight x multiplicity over the step's spikes of
/// weight >= 0, + 1 over those of weight < 0.
enum state : int { weight_sums = 0, cursor = 4, n_states };
inline constexpr int n_public_states = 0;
enum coeff : int { start_step, stop_step, origin_step, n_coeffs };

/// The lists a spike_generator takes (per member).
inline constexpr const char* lists[] = {"spike_times", "spike_weights", "spike_multiplicities"};

inline void derive(const double* p, double h, double* c) {
  device_window("spike_generator", p[origin], p[start], p[stop], h, &c[start_step], &c[stop_step]);
  c[origin_step] = device_steps("spike_generator", "origin", p[origin], h);
}

/// Advances one generator's cursor past the spikes stamped `step` (their stamps are relative to
/// origin); returns their multiplicity if the generator is active, else 0, and their weight sums
/// of both signs.
STARLING_HOST_DEVICE inline std::uint32_t emit(const std::int64_t* stamps, const double* values,
                                               std::int64_t end, double* cursor, const double* c,
                                               std::int64_t step, double* pos, double* neg) {
  auto k = static_cast<std::int64_t>(*cursor);
  const auto o = static_cast<std::int64_t>(c[origin_step]);
  while (k < end && stamps[k] + o < step) ++k;
  std::uint32_t mult = 0;
  double p = 0.0, q = 0.0;
  while (k < end && stamps[k] + o == step) {
    ++mult;
    if (values[k] >= 0.0)
      p += values[k];
    else
      q += values[k];
    ++k;
  }
  *cursor = static_cast<double>(k);
  const auto t = static_cast<double>(step);
  const bool on = c[start_step] < t && t <= c[stop_step];
  *pos = on ? p : 0.0;
  *neg = on ? q : 0.0;
  return on ? mult : 0u;
}

}  // namespace starling::codelets::spike_generator
