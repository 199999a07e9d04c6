#include "slice_scheduler.hpp"

#include <algorithm>

#include "starling/error.hpp"

namespace starling::runtime {

void run_slices(std::int64_t first, std::int64_t total, std::int64_t slice,
                const slice_stages& stages, const std::function<void(std::int64_t)>& progress) {
  if (slice < 1)
    throw invalid_argument("slice_scheduler: slice length " + std::to_string(slice) +
                           " steps; expected at least 1");
  std::int64_t lagging_start = 0, lagging_steps = 0;  // a slice whose `after` is due
  for (std::int64_t done = 0; done < total;) {
    const std::int64_t steps = std::min(slice, total - done);
    const std::int64_t start = first + done;
    for (const auto* stage : {&stages.advance, &stages.exchange})
      if (*stage) (*stage)(start, steps);
    if (stages.after && stages.after_lags) {
      if (lagging_steps > 0) stages.after(lagging_start, lagging_steps);
      lagging_start = start;
      lagging_steps = steps;
    } else if (stages.after) {
      stages.after(start, steps);
    }
    done += steps;
    if (progress) progress(done);
  }
  if (lagging_steps > 0) stages.after(lagging_start, lagging_steps);
}

}  // namespace starling::runtime
