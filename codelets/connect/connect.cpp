#include "connect.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <thread>

#include "codelets/common/op_task.hpp"

namespace starling::codelets::connect {

void count_cpu(const args& a, void* const* ptrs, const step_context&) {
  auto* counts = buffer_ptr<std::int64_t>(ptrs, a.io, 0);
  const std::uint64_t n = part_units(a.spec);
  counts[0] = 0;
  for (std::uint64_t u = 0; u < n; ++u)
    counts[u + 1] = static_cast<std::int64_t>(unit_count(a.spec, a.spec.first_unit + u));
}

namespace {

/// Runs f(first, last) over [0, n) in contiguous chunks on up to the host's hardware threads.
template <typename F>
void parallel_chunks(std::uint64_t n, std::uint64_t min_chunk, F f) {
  const std::uint64_t hw = std::max(1u, std::thread::hardware_concurrency());
  const std::uint64_t chunks = std::max<std::uint64_t>(1, std::min(hw, n / min_chunk));
  if (chunks == 1) {
    f(0, n, 0);
    return;
  }
  std::vector<std::thread> threads;
  for (std::uint64_t c = 0; c < chunks; ++c)
    threads.emplace_back(f, n * c / chunks, n * (c + 1) / chunks, c);
  for (std::thread& t : threads) t.join();
}

}  // namespace

void generate_cpu(const args& a, void* const* ptrs, const step_context&) {
  const std::uint64_t m = a.total;
  std::vector<std::uint32_t> src(m), tgt(m);
  std::vector<float> w(m);
  std::vector<std::int32_t> d(m);
  auto* status = buffer_ptr<double>(ptrs, a.io, g_status);
  std::fill(status, status + n_status, 0.0);
  const generated g{src.data(),
                    tgt.data(),
                    w.data(),
                    d.data(),
                    status,
                    buffer_ptr<const double>(ptrs, a.io, g_weight_array),
                    buffer_ptr<const double>(ptrs, a.io, g_delay_array)};
  const auto* offsets = buffer_ptr<const std::int64_t>(ptrs, a.io, g_offsets);
  const std::uint64_t n = part_units(a.spec);
  // Units are independent (but for sequential rules): threads take contiguous ranges, and the
  // error reported is the one of the first failing unit, as in one pass.
  struct failure {
    std::uint64_t unit = ~0ull;
    int err = err_none;
    double bad = 0.0;
  };
  std::vector<failure> failures(std::max(1u, std::thread::hardware_concurrency()));
  auto run = [&](std::uint64_t first, std::uint64_t last, std::uint64_t chunk) {
    for (std::uint64_t p = first; p < last; ++p) {
      double bad = 0.0;
      const std::uint64_t u = a.spec.first_unit + p;
      const std::uint64_t at = a.spec.kind == rule_kind::pairwise_bernoulli
                                   ? static_cast<std::uint64_t>(offsets[p])
                                   : part_offset(a.spec, u);
      const int err = generate_unit(a.spec, g, u, at, bad);
      if (err != err_none) {
        failures[chunk] = {u, err, bad};
        return;
      }
    }
  };
  if (sequential(a.spec))
    run(0, n, 0);
  else
    parallel_chunks(n, 4096, run);
  for (const failure& f : failures) {
    if (f.err == err_none) continue;
    status[st_error] = f.err;
    status[st_value] = f.bad;
    status[st_index] = static_cast<double>(f.unit);
    return;  // chunks are in unit order: the first failure found is the first unit's
  }
  // Delivery table, ordered by (source, packed word, generation index) as the GPU's stable
  // radix sort orders it: a counting sort by source, then a stable sort of each row.
  auto* rows = buffer_ptr<std::int64_t>(ptrs, a.io, g_rows);
  auto* synapses = buffer_ptr<std::uint32_t>(ptrs, a.io, g_synapses);
  auto* weights = buffer_ptr<float>(ptrs, a.io, g_weights);
  const std::int32_t bits = a.spec.target_bits;
  const std::uint64_t n_rows = a.spec.n_pre;
  std::fill(rows, rows + n_rows + 1, 0);
  for (std::uint64_t k = 0; k < m; ++k) ++rows[src[k] + 1];
  std::partial_sum(rows, rows + n_rows + 1, rows);
  std::vector<std::uint32_t> order(m);
  {
    std::vector<std::int64_t> next(rows, rows + n_rows);
    for (std::uint64_t k = 0; k < m; ++k)
      order[static_cast<std::size_t>(next[src[k]]++)] = static_cast<std::uint32_t>(k);
  }
  std::vector<std::int32_t> longest(failures.size(), 1), shortest(failures.size(), 1 << 30);
  parallel_chunks(n_rows, 1024, [&](std::uint64_t first, std::uint64_t last, std::uint64_t chunk) {
    for (std::uint64_t i = first; i < last; ++i) {
      auto* row_begin = order.data() + rows[i];
      auto* row_end = order.data() + rows[i + 1];
      for (auto* o = row_begin; o != row_end; ++o) tgt[*o] = pack_synapse(tgt[*o], d[*o], bits);
      std::stable_sort(row_begin, row_end,
                       [&](std::uint32_t x, std::uint32_t y) { return tgt[x] < tgt[y]; });
      for (auto* o = row_begin; o != row_end; ++o) {
        const auto k = static_cast<std::size_t>(o - order.data());
        synapses[k] = tgt[*o];
        weights[k] = w[*o];
        longest[chunk] = std::max(longest[chunk], d[*o]);
        shortest[chunk] = std::min(shortest[chunk], d[*o]);
      }
    }
  });
  float heaviest = 0.0f;
  for (std::uint64_t k = 0; k < m; ++k) heaviest = std::max(heaviest, std::fabs(w[k]));
  status[st_max_weight] = heaviest;
  status[st_max_delay] = *std::max_element(longest.begin(), longest.end());
  status[st_min_delay] = m == 0 ? 0 : *std::min_element(shortest.begin(), shortest.end());
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
