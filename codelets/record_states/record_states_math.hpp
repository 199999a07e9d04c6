#pragma once
// State recording (voltmeter, multimeter), as in NEST: the state at time t = k * interval
// (t > 0) is sampled at the start of the update that follows, so a run of T ms records
// t < T and the sample at T is taken by the next run. Row r of a slice's buffer holds the
// sample at the r-th multiple of the interval at or after max(first, 1).
#include <cstdint>

#include "codelets/common/host_device.hpp"

namespace starling::codelets::record_states {

constexpr int max_variables = 8;

/// Index of the first sample row of the slice that starts after step `first`.
STARLING_HOST_DEVICE inline std::int64_t first_row(std::int64_t first, std::int64_t interval) {
  const std::int64_t from = first < 1 ? 1 : first;
  return (from + interval - 1) / interval;
}

/// Row of the sample taken in update `step`, or -1 if it takes none.
STARLING_HOST_DEVICE inline std::int64_t row(std::int64_t step, std::int64_t first,
                                             std::int64_t interval) {
  const std::int64_t t = step - 1;
  if (t < 1 || t % interval != 0) return -1;
  return t / interval - first_row(first, interval);
}

/// Number of samples a slice of `steps` steps after `first` takes.
inline std::int64_t rows_in_slice(std::int64_t first, std::int64_t steps, std::int64_t interval) {
  const std::int64_t last = (first + steps - 1) / interval;
  const std::int64_t n = last - first_row(first, interval) + 1;
  return n < 0 ? 0 : n;
}

}  // namespace starling::codelets::record_states
