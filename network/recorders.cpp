#include "recorders.hpp"

#include <algorithm>

#include "codelets/record_states/record_states_math.hpp"
#include "starling/error.hpp"

namespace starling::network {

void spike_recorder::allocate(std::int64_t n, std::int64_t per_member, std::int64_t extra) {
  b.reset();
  capacity = n * per_member + extra;
  if (entries.size() != static_cast<std::size_t>(capacity))
    entries = runtime::host_block<std::uint64_t>(static_cast<std::size_t>(capacity));
  count = 0;
}

std::vector<std::uint64_t> spike_recorder::take_entries() {
  runtime::host_access hold(b, runtime::access::read_write);
  const std::uint64_t n = count;
  count = 0;
  if (n > static_cast<std::uint64_t>(capacity))
    throw runtime_error("spike_recorder: " + std::to_string(n) +
                        " spikes in a slice exceed the buffer of " + std::to_string(capacity));
  std::vector<std::uint64_t> out(entries.data(), entries.data() + n);
  std::sort(out.begin(), out.end());
  return out;
}

void spike_recorder::flush(std::int64_t first, double h) {
  for (std::uint64_t e : take_entries()) {
    const std::int64_t step = first + 1 + static_cast<std::int64_t>(e >> 32);
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
