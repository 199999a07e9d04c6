#pragma once
// Recorders' buffers (one slice's worth) and their flush into the host-side results.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "runtime/buffer.hpp"
#include "starling/types.hpp"

namespace starling::network {

/// One slice's spikes: a count and the entries it counts.
struct spike_side {
  std::uint64_t count = 0;  ///< entries of the slice; registered as `b`
  /// The count, where the recording runs: the tasks that record hold it; the host waits for
  /// them through it (runtime::host_wait) but reads `published`, so it never moves.
  runtime::buffer b;
  /// A slice's entries (step within the slice << 32 | index), in host memory that GPU kernels
  /// write directly: only the spikes cross the bus, not the buffer.
  runtime::host_block<std::uint64_t> entries;
  /// [1] the count at the end of the slice, written there by the task that recorded last.
  runtime::host_block<std::uint64_t> published;
};

struct spike_recorder {
  std::size_t pop = 0;
  spike_data data;
  /// A recorder's slices alternate between two sides, so that the host reads one slice's
  /// spikes while the next slice records into the other side; an outbox (read by the exchange
  /// after its slice) has one.
  spike_side side[2];
  int sides = 1;
  std::int64_t capacity = 0;
  /// NEST's window in steps: spikes stamped t_min < t <= t_max are kept (origin + start,
  /// origin + stop).
  std::int64_t t_min = -1;
  std::int64_t t_max = std::numeric_limits<std::int64_t>::max();

  /// Sizes the entries of each side for slices in which each of n members spikes at most
  /// `per_member` times and the population sends at most `extra` more events (spike
  /// multiplicities).
  void allocate(std::int64_t n, std::int64_t per_member, std::int64_t extra, int n_sides);
  /// Registers each side's count with the runtime.
  void register_counts();
  /// Unregisters them (after the tasks that use them).
  void unregister_counts();
  /// Moves the spikes of a finished slice, recorded on side s, into `data`, sorted by time
  /// then index; those outside the window are dropped.
  void flush(std::int64_t first, double h, int s);
  /// A finished slice's raw entries on side s (step within the slice << 32 | index), sorted.
  std::vector<std::uint64_t> take_entries(int s);
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
