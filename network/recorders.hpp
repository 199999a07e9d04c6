#pragma once
// Recorders' buffers (one slice's worth) and their flush into the host-side results.
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/buffer.hpp"
#include "starling/types.hpp"

namespace starling::network {

struct spike_recorder {
  std::size_t pop = 0;
  spike_data data;
  std::uint64_t count = 0;  ///< entries of the slice; registered as `b`
  runtime::buffer b;        ///< the count: tasks that record or read entries hold it
  /// A slice's entries (step within the slice << 32 | index), in host memory that GPU kernels
  /// write directly: only the spikes cross the bus, not the buffer.
  runtime::host_block<std::uint64_t> entries;
  std::int64_t capacity = 0;

  /// Sizes the entries for slices in which each of n members spikes at most `per_member` times
  /// and the population sends at most `extra` more events (spike multiplicities).
  void allocate(std::int64_t n, std::int64_t per_member, std::int64_t extra);
  /// Moves a finished slice's spikes into `data`, sorted by time then index.
  void flush(std::int64_t first, double h);
  /// A finished slice's raw entries (step within the slice << 32 | index), sorted; the buffer
  /// is emptied.
  std::vector<std::uint64_t> take_entries();
};

struct state_recorder {
  std::size_t pop = 0;
  std::vector<std::int32_t> vars;  ///< state rows
  std::int64_t interval = 1;       ///< steps
  std::int64_t n = 0;
  sample_data data;
  std::vector<double> buf;  ///< [rows][vars][n]
  runtime::buffer b;

  void allocate(std::int64_t steps);
  void flush(std::int64_t first, std::int64_t steps, double h);
};

}  // namespace starling::network
