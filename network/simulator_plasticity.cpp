// The simulator's plastic synapses: their operations in the slice plan, their remote deliveries,
// the weight recorders (gathered over the processes on request) and the checks after a run
// (codelets/plasticity).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <tuple>
#include <vector>

#include "model_registry.hpp"
#include "simulator_impl.hpp"

namespace starling {

namespace pl = codelets::plasticity;
using network::population_data;
using runtime::access;

namespace {

/// Bytes of weight-recorder entries one projection may buffer per slice.
constexpr double record_limit_bytes = 1024.0 * 1024.0 * 1024.0;

/// What one plastic projection's delivery needs but its buffers.
pl::deliver_args plastic_args(const network::projection& pr, const population_data& src,
                              const population_data& tgt) {
  pl::deliver_args a;
  a.p = pr.plastic->params;
  a.n_src = src.n;
  a.n_tgt = tgt.n;
  a.ring_slots = tgt.ring_slots;
  a.receptors = tgt.model->n_receptors;
  a.history_capacity = tgt.history_capacity;
  a.target_bits = pr.target_bits;
  a.row_blocks = row_parts(pr, src);
  a.channel = pr.channel;
  a.record_capacity = pr.plastic->record_capacity;
  return a;
}

/// The buffers of a plastic delivery in deliver_buffer order up to the history, then (local
/// deliveries) the spike list, then the optional ones, whose positions it sets in a.
std::vector<std::pair<runtime::handle, access>> plastic_buffers(pl::deliver_args& a,
                                                                network::projection& pr,
                                                                const population_data& tgt,
                                                                const runtime::buffer* spikes) {
  network::plastic_state& st = *pr.plastic;
  std::vector<std::pair<runtime::handle, access>> b{
      {pr.b_rows.native(), access::read},          {pr.b_synapses.native(), access::read},
      {st.b_weights.native(), access::read_write}, {tgt.b_ring.native(), access::read_write},
      {st.b_source.native(), access::read_write},  {tgt.b_history.native(), access::read}};
  if (spikes != nullptr) b.emplace_back(spikes->native(), access::read);
  if (st.b_syn_kplus.registered()) {
    a.syn_kplus = static_cast<std::int32_t>(b.size());
    b.emplace_back(st.b_syn_kplus.native(), access::read_write);
  }
  if (st.b_record.registered()) {
    a.record = static_cast<std::int32_t>(b.size());
    b.emplace_back(st.b_record.native(), access::read_write);
  }
  return b;
}

/// A recorded weight: time (ms), source population, source, target population, target, weight.
using weight_row =
    std::tuple<double, std::size_t, std::uint32_t, std::size_t, std::uint32_t, double>;

/// Sorts rows (by time, then source, then target, as weights() keeps them) and appends them.
void append_sorted(std::vector<weight_row>& rows, weight_data& d) {
  std::sort(rows.begin(), rows.end());
  for (const auto& [t, sp, s, tp, tg, w] : rows) {
    d.time.push_back(t);
    d.source_population.push_back(sp);
    d.source.push_back(s);
    d.target_population.push_back(tp);
    d.target.push_back(tg);
    d.weight.push_back(w);
  }
}

}  // namespace

std::vector<bool> simulator::impl::plastic_targets() const {
  std::vector<bool> targeted(pops.size(), false);
  for (const auto& pr : projections)
    if (pr->plastic && pr->count > 0) targeted[pr->target_pop] = true;
  return targeted;
}

void simulator::impl::prepare_plasticity() {
  if (opts.stdp_history < 1)
    throw invalid_argument("kernel: stdp_history = " + std::to_string(opts.stdp_history) +
                           "; expected at least 1 post spike per neuron");
  const std::vector<bool> targeted = plastic_targets();
  for (std::size_t i = 0; i < pops.size(); ++i) {
    if (!targeted[i]) continue;
    population_data& p = *pops[i];
    p.prepare_history(opts.stdp_history);
    pl::history_args a;
    use(a.io, p.b_spikes.native(), access::read);
    use(a.io, p.b_history.native(), access::read_write);
    a.n = p.n;
    a.capacity = p.history_capacity;
    a.h = opts.resolution;
    plan.ops.emplace_back(a);
  }
  for (auto& pr : projections) {
    if (!pr->plastic || pr->count == 0) continue;
    population_data& src = *pops[pr->source_pop];
    population_data& tgt = *pops[pr->target_pop];
    network::plastic_state& st = *pr->plastic;
    st.b_record.reset();
    st.record_capacity = 0;
    if (st.recorder) {
      // Each synapse records once per spike of its source: at most the source's spikes in a
      // slice times the synapses.
      const std::int64_t per_member =
          src.held ? network::spikes_per_member_bound(*src.model, src.coeff, src.n, slice)
                   : slice * std::max<std::int64_t>(1, src.model->max_spikes_per_step);
      const double entries = static_cast<double>(per_member) * static_cast<double>(pr->count);
      const double bytes = entries * pl::record_entry_words * sizeof(std::uint64_t);
      if (bytes > record_limit_bytes)
        throw invalid_argument("weight_recorder: the " + st.model + " connections of population " +
                               std::to_string(pr->source_pop) + " to " +
                               std::to_string(pr->target_pop) + " (" + std::to_string(pr->count) +
                               " synapses) may record " + codelets::number(entries) +
                               " weights in a slice of " + std::to_string(slice) + " steps (" +
                               codelets::number(bytes / 1e9) +
                               " GB); expected at most 1 GB: record fewer "
                               "connections or set shorter slices (slice_steps)");
      st.record_capacity = static_cast<std::int64_t>(entries);
      st.record.assign(1 + static_cast<std::size_t>(entries) * pl::record_entry_words, 0);
      st.b_record = runtime::buffer(st.record.data(), st.record.size(), sizeof(std::uint64_t));
    }
    if (!src.held) continue;  // delivered at the end of each slice (submit_remote_plastic)
    pl::deliver_args a = plastic_args(*pr, src, tgt);
    for (const auto& [h, m] : plastic_buffers(a, *pr, tgt, &src.b_spikes)) use(a.io, h, m);
    plan.ops.emplace_back(a);
  }
}

void simulator::impl::submit_remote_plastic(network::projection& pr, std::int64_t first,
                                            const runtime::task_order& order) {
  if (pr.count == 0) return;
  population_data& src = *pops[pr.source_pop];
  population_data& tgt = *pops[pr.target_pop];
  pl::deliver_args a = plastic_args(pr, src, tgt);
  a.count = inbox_data.at(pr.source_pop).data();
  a.entries = a.count + 1;
  a.first = first;
  a.slice_steps = slice;
  std::vector<runtime::handle> handles;
  for (const auto& [h, m] : plastic_buffers(a, pr, tgt, nullptr)) {
    a.io.add(static_cast<std::int32_t>(handles.size()), m);
    handles.push_back(h);
  }
  pl::insert_remote(a, handles, order);
}

void simulator::impl::flush_weights() {
  const double h = opts.resolution;
  std::vector<std::vector<weight_row>> rows(weight_recs.size());
  for (auto& pr : projections) {
    if (!pr->plastic || !pr->plastic->b_record.registered()) continue;
    network::plastic_state& st = *pr->plastic;
    runtime::host_access hold(st.b_record, access::read_write);
    auto* words = static_cast<std::uint64_t*>(hold.data());
    const std::uint64_t n =
        std::min<std::uint64_t>(words[0], static_cast<std::uint64_t>(st.record_capacity));
    auto& out = rows[recorder_slot[*st.recorder]];
    for (std::uint64_t j = 0; j < n; ++j) {
      const std::uint64_t* e = words + 1 + j * pl::record_entry_words;
      double w = 0.0;
      std::memcpy(&w, &e[2], sizeof w);
      out.emplace_back(static_cast<double>(static_cast<std::int64_t>(e[0])) * h, pr->source_pop,
                       static_cast<std::uint32_t>(e[1] >> 32), pr->target_pop,
                       static_cast<std::uint32_t>(e[1] & 0xffffffffu), w);
    }
    words[0] = 0;
  }
  for (std::size_t r = 0; r < rows.size(); ++r) append_sorted(rows[r], weight_recs[r]);
}

weight_data simulator::gather_weights(const recorder& r) const {
  const weight_data& mine = weights(r);
  // Five words a row: time and weight as their bits (exact), the two indices in one word.
  constexpr std::size_t words = 5;
  auto bits = [](double x) {
    std::uint64_t b = 0;
    std::memcpy(&b, &x, sizeof b);
    return b;
  };
  auto real = [](std::uint64_t b) {
    double x = 0.0;
    std::memcpy(&x, &b, sizeof x);
    return x;
  };
  std::vector<std::uint64_t> flat;
  flat.reserve(mine.time.size() * words);
  for (std::size_t k = 0; k < mine.time.size(); ++k) {
    flat.push_back(bits(mine.time[k]));
    flat.push_back(mine.source_population[k]);
    flat.push_back((static_cast<std::uint64_t>(mine.source[k]) << 32) | mine.target[k]);
    flat.push_back(mine.target_population[k]);
    flat.push_back(bits(mine.weight[k]));
  }
  const std::vector<std::uint64_t> all = impl_->comm.all_gather(flat);
  std::vector<weight_row> rows;
  rows.reserve(all.size() / words);
  for (std::size_t j = 0; j + words <= all.size(); j += words)
    rows.emplace_back(real(all[j]), all[j + 1], static_cast<std::uint32_t>(all[j + 2] >> 32),
                      all[j + 3], static_cast<std::uint32_t>(all[j + 2] & 0xffffffffu),
                      real(all[j + 4]));
  weight_data out;
  append_sorted(rows, out);
  return out;
}

bool simulator::impl::records_weights() const {
  return std::any_of(projections.begin(), projections.end(), [](const auto& pr) {
    return pr->plastic && pr->plastic->b_record.registered();
  });
}

void simulator::impl::check_plasticity() {
  for (auto& pr : projections) {
    if (!pr->plastic || pr->count == 0) continue;
    network::plastic_state& st = *pr->plastic;
    std::uint64_t flags[pl::n_source_flags] = {};
    {
      runtime::host_access hold(st.b_source, access::read_write);
      auto* words = static_cast<std::uint64_t*>(hold.data());
      std::uint64_t* f = words + 2 * static_cast<std::uint64_t>(pr->n_source);
      std::copy(f, f + pl::n_source_flags, flags);
      std::fill(f, f + pl::n_source_flags, 0);
    }
    const std::string which = "the " + st.model + " connections of population " +
                              std::to_string(pr->source_pop) + " to " +
                              std::to_string(pr->target_pop);
    if (flags[pl::flag_history_lost] != 0)
      throw runtime_error(
          "simulate: " + which + " needed post spikes older than the " +
          std::to_string(opts.stdp_history) +
          " their targets keep (a source silent while its target spiked more often); weights "
          "of those synapses were left unchanged at such spikes; expected a larger "
          "kernel_options::stdp_history");
    if (flags[pl::flag_record_full] != 0)
      throw runtime_error("simulate: the weight_recorder of " + which +
                          " received more entries in a slice than its buffer of " +
                          std::to_string(st.record_capacity) + " holds; entries were lost");
  }
}

}  // namespace starling
