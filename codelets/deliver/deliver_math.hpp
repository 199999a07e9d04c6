#pragma once
// Spike delivery: the events a source sends in a step, through its row of a CSR synapse table,
// into the input rings of the targets. An event stamped T over a connection with delay d lands
// in the ring slot read by the update that ends at T + d (NEST's timing). Values are added as
// fixed-point integers, so the order of the additions does not matter.
#include <cstdint>

#include "codelets/common/fixed_point.hpp"
#include "codelets/common/host_device.hpp"
#include "codelets/common/synapse_table.hpp"
#include "codelets/poisson_generator/poisson_generator_math.hpp"

namespace starling::codelets::deliver {

/// What a listed source sends: a spike (weight x multiplicity), a current (weight x amplitude,
/// from the source's first coefficient) or a fresh Poisson count per connection.
enum class source_kind : std::uint8_t { spike, current, poisson };

/// Fixed-point value that synapse k adds for a source listed with multiplicity `mult`;
/// 0 when it sends nothing. A Poisson source passes its scalar coefficients and its table.
STARLING_HOST_DEVICE inline std::int64_t event_value(source_kind kind, float weight,
                                                     std::uint32_t mult, const double* src_coeff,
                                                     std::uint64_t key, std::uint64_t stream,
                                                     std::int64_t step,
                                                     poisson_generator::cdf_table table = {}) {
  switch (kind) {
    case source_kind::spike:
      return to_fixed(weight) * static_cast<std::int64_t>(mult);
    case source_kind::current:
      return to_fixed(weight * src_coeff[0]) * static_cast<std::int64_t>(mult);
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

/// Random stream of a Poisson source's train to one target: (connect call, target's global id),
/// so that the train does not depend on where or in which order the synapse is stored.
STARLING_HOST_DEVICE inline std::uint64_t poisson_stream(std::uint64_t call,
                                                         std::uint64_t target_gid) {
  return (call << 32) ^ target_gid;
}

}  // namespace starling::codelets::deliver
