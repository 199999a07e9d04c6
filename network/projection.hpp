#pragma once
// The synapses of one connect call, in CSR by source with each row sorted by delay: what the
// delivery codelet walks. Connection k of the call keeps its generation index for
// introspection and for the random streams of Poisson sources.
#include <cstdint>
#include <vector>

#include "runtime/buffer.hpp"

namespace starling::network {

/// One generated connection, before it is sorted into the table.
struct connection {
  std::uint32_t source;
  std::uint32_t target;
  double weight;          // pA
  std::int32_t delay;     // steps
  std::int32_t receptor;  // ring channel of the target
};

struct projection {
  std::size_t source_pop = 0;
  std::size_t target_pop = 0;
  std::uint64_t conn_base = 0;  ///< global index of the call's first connection
  std::uint64_t call = 0;       ///< index of the connect call
  int port = 0;                 ///< receptor port given to connect
  std::int64_t n_source = 0;
  std::vector<std::int64_t> rows;  ///< [n_source + 1]
  std::vector<std::uint32_t> targets;
  std::vector<double> weights;
  std::vector<std::int32_t> delays;
  std::vector<std::int32_t> receptors;
  std::int32_t max_delay = 1;

  runtime::buffer b_rows, b_targets, b_weights, b_delays, b_receptors;

  projection(std::size_t src, std::size_t tgt, std::int64_t n_src, std::uint64_t base,
             std::uint64_t call_index, const std::vector<connection>& conns);

  std::size_t size() const { return targets.size(); }
  std::size_t device_bytes() const;
  void register_buffers();
  void unregister_buffers();
};

}  // namespace starling::network
