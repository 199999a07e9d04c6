#pragma once
// Spike delivery: the events a source sends in a step, through its row of a CSR synapse table,
// into the input rings of the targets. An event stamped T over a connection with delay d lands
// in the ring slot read by the update that ends at T + d (NEST's timing). Values are added as
// fixed-point integers, so the order of the additions does not matter.
#include <cstdint>

#include "codelets/common/fixed_point.hpp"
#include "codelets/common/host_device.hpp"
#include "codelets/common/synapse_table.hpp"
#include "codelets/noise_generator/noise_generator_math.hpp"
#include "codelets/poisson_generator/poisson_generator_math.hpp"

namespace starling::codelets::deliver {

/// What a listed source sends: a spike (weight x multiplicity), a current (weight x amplitude,
/// from the source's first coefficient), a fresh Poisson count per connection, spikes with
/// their own weights (spike_generator with spike_weights: weight x the step's weight sums, in
/// two parts by sign), a step current (weight x the step's amplitude) or a noise current
/// (weight x a fresh draw per connection). The last three read the source's states, not its
/// coefficients (see source_reads_state).
enum class source_kind : std::uint8_t {
  spike,
  current,
  poisson,
  weighted_spike,
  step_current,
  noise_current
};

/// Whether a source of this kind sends a current (into the target's current channel).
STARLING_HOST_DEVICE inline bool sends_current(source_kind kind) {
  return kind == source_kind::current || kind == source_kind::step_current ||
         kind == source_kind::noise_current;
}

/// Whether a delivery reads the source's states (else its coefficients).
inline bool source_reads_state(source_kind kind) {
  return kind == source_kind::weighted_spike || kind == source_kind::step_current ||
         kind == source_kind::noise_current;
}

/// Values a synapse adds for one event: 2 for weighted spikes (weights >= 0, then < 0, whose
/// product with the synapse weight has the other sign), else 1.
STARLING_HOST_DEVICE inline int event_parts(source_kind kind) {
  return kind == source_kind::weighted_spike ? 2 : 1;
}

/// The ring channel of part `part` of an event over a synapse of weight w.
STARLING_HOST_DEVICE inline std::int32_t event_channel(const channels& ch, float w, int part) {
  return ch.of(part == 0 ? w : -w);
}

/// Fixed-point value that synapse k adds for a source listed with multiplicity `mult`;
/// 0 when it sends nothing. A Poisson source passes its scalar coefficients and its table;
/// others the rows source_coeffs gathers.
STARLING_HOST_DEVICE inline std::int64_t event_value(source_kind kind, float weight,
                                                     std::uint32_t mult, const double* src_coeff,
                                                     std::uint64_t key, std::uint64_t stream,
                                                     std::int64_t step,
                                                     poisson_generator::cdf_table table = {},
                                                     int part = 0) {
  switch (kind) {
    case source_kind::spike:
      return to_fixed(weight) * static_cast<std::int64_t>(mult);
    case source_kind::current:
      return to_fixed(weight * src_coeff[0]) * static_cast<std::int64_t>(mult);
    case source_kind::weighted_spike:
      return to_fixed(weight * src_coeff[2 * (step & 1) + part]);
    case source_kind::step_current:
      return to_fixed(weight * src_coeff[step & 1]);
    case source_kind::noise_current:
      return to_fixed(weight * noise_generator::current(src_coeff, key, stream, step));
    case source_kind::poisson:
      break;
  }
  return to_fixed(weight) *
         static_cast<std::int64_t>(poisson_generator::draw(src_coeff, table, key, stream, step));
}

/// Ring index of the input for (target, receptor) that arrives with delay d after `step`.
STARLING_HOST_DEVICE inline std::int64_t ring_index(std::int64_t step, std::int32_t delay,
                                                    std::int64_t slots, std::int64_t receptors,
                                                    std::int64_t n_tgt, std::int32_t receptor,
                                                    std::uint32_t target) {
  return ((step + delay) % slots) * receptors * n_tgt + receptor * n_tgt + target;
}

/// Random stream of a Poisson (or noise) source's train to one target: (connect call, target's global id),
/// so that the train does not depend on where or in which order the synapse is stored.
STARLING_HOST_DEVICE inline std::uint64_t poisson_stream(std::uint64_t call,
                                                         std::uint64_t target_gid) {
  return (call << 32) ^ target_gid;
}

}  // namespace starling::codelets::deliver
