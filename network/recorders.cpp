#include "recorders.hpp"

#include <algorithm>

#include "codelets/record_states/record_states_math.hpp"
#include "starling/error.hpp"

namespace starling::network {

void spike_recorder::allocate(std::int64_t n, std::int64_t per_member, std::int64_t extra,
                              int n_sides) {
  unregister_counts();
  capacity = n * per_member + extra;
  sides = n_sides;
  for (int s = 0; s < 2; ++s) {
    const std::size_t size = s < sides ? static_cast<std::size_t>(capacity) : 0;
    if (side[s].entries.size() != size) side[s].entries = runtime::host_block<std::uint64_t>(size);
    if (side[s].published.size() != 1) side[s].published = runtime::host_block<std::uint64_t>(1);
    side[s].count = 0;
    *side[s].published.data() = 0;
  }
}

void spike_recorder::register_counts() {
  for (int s = 0; s < sides; ++s)
    side[s].b = runtime::buffer(&side[s].count, 1, sizeof(std::uint64_t));
}

void spike_recorder::unregister_counts() {
  for (spike_side& s : side) s.b.reset();
}

std::vector<std::uint64_t> spike_recorder::take_entries(int s) {
  spike_side& at = side[s];
  // Once the slice's recording has finished, its count is in `published`; the next slice on
  // this side waits until the entries are read.
  runtime::host_wait done(at.b);
  const std::uint64_t n = *at.published.data();
  if (n > static_cast<std::uint64_t>(capacity))
    throw runtime_error("spike_recorder: " + std::to_string(n) +
                        " spikes in a slice exceed the buffer of " + std::to_string(capacity));
  std::vector<std::uint64_t> out(at.entries.data(), at.entries.data() + n);
  std::sort(out.begin(), out.end());
  return out;
}

void spike_recorder::flush(std::int64_t first, double h, int s) {
  for (std::uint64_t e : take_entries(s)) {
    const std::int64_t step = first + 1 + static_cast<std::int64_t>(e >> 32);
    if (step <= t_min || step > t_max) continue;
    data.index.push_back(static_cast<std::uint32_t>(e & 0xffffffffu));
    data.time.push_back(static_cast<double>(step) * h);
  }
}

void state_recorder::allocate(std::int64_t steps) {
  b.reset();
  const std::int64_t rows = steps / interval + 1;
  buf.assign(static_cast<std::size_t>(rows * static_cast<std::int64_t>(vars.size()) * n), 0.0);
}

void state_recorder::flush(std::int64_t first, std::int64_t steps, double h) {
  namespace rs = codelets::record_states;
  const std::int64_t rows = rs::rows_in_slice(first, steps, interval);
  if (rows == 0) return;
  runtime::host_access hold(b, runtime::access::read);
  const auto nv = static_cast<std::int64_t>(vars.size());
  const std::int64_t row0 = rs::first_row(first, interval);
  for (std::int64_t r = 0; r < rows; ++r) {
    const double t = static_cast<double>((row0 + r) * interval) * h;
    for (std::int64_t i = 0; i < n; ++i) {
      data.time.push_back(t);
      data.index.push_back(static_cast<std::uint32_t>(i));
      for (std::int64_t v = 0; v < nv; ++v)
        data.values[static_cast<std::size_t>(v)].push_back(
            buf[static_cast<std::size_t>((r * nv + v) * n + i)]);
    }
  }
}

}  // namespace starling::network
