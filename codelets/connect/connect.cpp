#include "connect.hpp"

#include <algorithm>
#include <numeric>
#include <set>

#include "codelets/common/op_task.hpp"

namespace starling::codelets::connect {

void count_cpu(const args& a, void* const* ptrs, const step_context&) {
  auto* counts = buffer_ptr<std::int64_t>(ptrs, a.io, 0);
  const std::uint64_t n = units(a.spec);
  counts[0] = 0;
  for (std::uint64_t u = 0; u < n; ++u)
    counts[u + 1] = static_cast<std::int64_t>(unit_count(a.spec, u));
}

void generate_cpu(const args& a, void* const* ptrs, const step_context&) {
  const std::uint64_t m = a.total;
  std::vector<std::uint32_t> src(m), tgt(m);
  std::vector<double> w(m);
  std::vector<std::int32_t> d(m), rec(m);
  auto* status = buffer_ptr<double>(ptrs, a.io, g_status);
  std::fill(status, status + n_status, 0.0);
  const generated g{src.data(),
                    tgt.data(),
                    w.data(),
                    d.data(),
                    rec.data(),
                    status,
                    buffer_ptr<const double>(ptrs, a.io, g_weight_array),
                    buffer_ptr<const double>(ptrs, a.io, g_delay_array)};
  const auto* offsets = buffer_ptr<const std::int64_t>(ptrs, a.io, g_offsets);
  const std::uint64_t n = units(a.spec);
  for (std::uint64_t u = 0; u < n; ++u) {
    double bad = 0.0;
    const std::uint64_t at = a.spec.kind == rule_kind::pairwise_bernoulli
                                 ? static_cast<std::uint64_t>(offsets[u])
                                 : unit_offset(a.spec, u);
    const int err = generate_unit(a.spec, g, u, at, bad);
    if (err != err_none) {
      status[st_error] = err;
      status[st_value] = bad;
      status[st_index] = static_cast<double>(u);
      return;
    }
  }
  // Delivery table: stable sort by (source, delay), so ties keep the generation order.
  std::vector<std::uint32_t> order(m);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    return csr_key(src[x], d[x]) < csr_key(src[y], d[y]);
  });
  auto* rows = buffer_ptr<std::int64_t>(ptrs, a.io, g_rows);
  auto* targets = buffer_ptr<std::uint32_t>(ptrs, a.io, g_targets);
  auto* weights = buffer_ptr<double>(ptrs, a.io, g_weights);
  auto* delays = buffer_ptr<std::int32_t>(ptrs, a.io, g_delays);
  auto* receptors = buffer_ptr<std::int32_t>(ptrs, a.io, g_receptors);
  std::fill(rows, rows + a.spec.n_pre + 1, 0);
  std::int32_t longest = 1;
  for (std::uint64_t k = 0; k < m; ++k) {
    const std::uint32_t o = order[k];
    targets[k] = tgt[o];
    weights[k] = w[o];
    delays[k] = d[o];
    receptors[k] = rec[o];
    ++rows[src[o] + 1];
    longest = std::max(longest, d[o]);
  }
  std::partial_sum(rows, rows + a.spec.n_pre + 1, rows);
  status[st_max_delay] = longest;
}

#if !STARLING_HAVE_CUDA
void count_cuda(const args&, void* const*, const step_context&, void*) {}
void generate_cuda(const args&, void* const*, const step_context&, void*) {}
#endif

void insert_count(const args& a, const std::vector<runtime::handle>& handles) {
  op_codelet<args, &count_cpu, &count_cuda>::insert("connect_count", a, handles, {});
}

void insert_generate(const args& a, const std::vector<runtime::handle>& handles) {
  op_codelet<args, &generate_cpu, &generate_cuda>::insert("connect_generate", a, handles, {});
}

}  // namespace starling::codelets::connect
