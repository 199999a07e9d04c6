#pragma once
// Cuts a run into slices and submits each slice's task graph:
//   advance (with the device-side gather) -> exchange and remote deliveries -> next advance
// The stages submit StarPU tasks; the dependencies follow from their data access modes.
#include <cstdint>
#include <functional>

namespace starling::runtime {

struct slice_stages {
  /// Submits the tasks of a slice of `steps` steps starting after step `first`.
  using submit = std::function<void(std::int64_t first, std::int64_t steps)>;
  submit advance;
  submit exchange;  ///< several processes only
  /// Runs on the host after the slice's tasks were submitted (recording flushes); may wait.
  submit after;
  /// Whether `after` may run once the next slice's tasks are submitted too (the recorders
  /// alternate buffers), so that the device does not wait for the host between slices.
  bool after_lags = false;
};

/// Runs `total` steps after step `first` in slices of at most `slice` steps.
/// `progress`, when set, is called after each slice with the steps done so far.
void run_slices(std::int64_t first, std::int64_t total, std::int64_t slice,
                const slice_stages& stages,
                const std::function<void(std::int64_t done)>& progress = {});

}  // namespace starling::runtime
