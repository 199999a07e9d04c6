#include "slice_scheduler.hpp"

#include <algorithm>

#include "starling/error.hpp"

namespace starling::runtime {

void run_slices(std::int64_t first, std::int64_t total, std::int64_t slice,
                const slice_stages& stages, const std::function<void(std::int64_t)>& progress) {
  if (slice < 1)
    throw invalid_argument("slice_scheduler: slice length " + std::to_string(slice) +
                           " steps; expected at least 1");
  for (std::int64_t done = 0; done < total;) {
    const std::int64_t steps = std::min(slice, total - done);
    const std::int64_t start = first + done;
    for (const auto* stage : {&stages.advance, &stages.exchange, &stages.after})
      if (*stage) (*stage)(start, steps);
    done += steps;
    if (progress) progress(done);
  }
}

}  // namespace starling::runtime
