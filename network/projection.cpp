#include "projection.hpp"

namespace starling::network {

projection::projection(std::size_t src, std::size_t tgt, std::int64_t n_src, std::uint64_t synapses)
    : source_pop(src),
      target_pop(tgt),
      n_source(n_src),
      count(synapses),
      b_rows(static_cast<std::size_t>(n_src) + 1, sizeof(std::int64_t)),
      b_synapses(synapses, sizeof(std::uint32_t)),
      b_weights(synapses, sizeof(float)) {}

double projection::bytes(double n_src, double m) {
  return (n_src + 1) * sizeof(std::int64_t) + m * (sizeof(std::uint32_t) + sizeof(float));
}

}  // namespace starling::network
