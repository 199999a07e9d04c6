#include "projection.hpp"

#include <algorithm>
#include <numeric>

namespace starling::network {

projection::projection(std::size_t src, std::size_t tgt, std::int64_t n_src, std::uint64_t base,
                       std::uint64_t call_index, const std::vector<connection>& conns)
    : source_pop(src), target_pop(tgt), conn_base(base), call(call_index), n_source(n_src) {
  std::vector<std::size_t> order(conns.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (conns[a].source != conns[b].source) return conns[a].source < conns[b].source;
    return conns[a].delay < conns[b].delay;
  });
  rows.assign(static_cast<std::size_t>(n_src) + 1, 0);
  targets.reserve(conns.size());
  weights.reserve(conns.size());
  delays.reserve(conns.size());
  receptors.reserve(conns.size());
  for (std::size_t k : order) {
    const connection& c = conns[k];
    ++rows[c.source + 1];
    targets.push_back(c.target);
    weights.push_back(c.weight);
    delays.push_back(c.delay);
    receptors.push_back(c.receptor);
    max_delay = std::max(max_delay, c.delay);
  }
  std::partial_sum(rows.begin(), rows.end(), rows.begin());
}

std::size_t projection::device_bytes() const {
  return rows.size() * sizeof(std::int64_t) + targets.size() * sizeof(std::uint32_t) +
         weights.size() * sizeof(double) + delays.size() * sizeof(std::int32_t) +
         receptors.size() * sizeof(std::int32_t);
}

void projection::register_buffers() {
  b_rows = runtime::buffer(rows.data(), rows.size(), sizeof(std::int64_t));
  b_targets = runtime::buffer(targets.data(), targets.size(), sizeof(std::uint32_t));
  b_weights = runtime::buffer(weights.data(), weights.size(), sizeof(double));
  b_delays = runtime::buffer(delays.data(), delays.size(), sizeof(std::int32_t));
  b_receptors = runtime::buffer(receptors.data(), receptors.size(), sizeof(std::int32_t));
}

void projection::unregister_buffers() {
  for (runtime::buffer* b : {&b_rows, &b_targets, &b_weights, &b_delays, &b_receptors}) b->reset();
}

}  // namespace starling::network
