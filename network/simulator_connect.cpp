#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <variant>
#include <vector>

#include "codelets/common/quantity.hpp"
#include "codelets/connect/connect.hpp"
#include "connect_rules.hpp"
#include "model_registry.hpp"
#include "random_values.hpp"
#include "simulator_impl.hpp"
#include "synapse_models.hpp"

namespace starling {

using network::population_data;
using network::projection;
using runtime::access;

namespace {

/// A weight or delay as the connect codelet takes it; arrays travel as their own buffer.
codelets::connect::value_spec value_spec_of(const value& v, std::uint64_t key, const char* what) {
  codelets::connect::value_spec spec;
  if (const auto* x = std::get_if<double>(&v)) {
    spec.scalar = *x;
  } else if (const auto* d = std::get_if<distribution>(&v)) {
    spec.kind = codelets::connect::value_kind::distribution;
    spec.dist = network::to_params(*d, std::string("connect: ") + what);
    spec.key = key;
  } else {
    spec.kind = codelets::connect::value_kind::array;
  }
  return spec;
}

/// A per-connection array as a buffer, or a one-element placeholder.
runtime::buffer array_buffer(const value& v, std::uint64_t m, const char* what) {
  static double unused = 0.0;
  const auto* arr = std::get_if<std::vector<double>>(&v);
  if (arr == nullptr) return runtime::buffer(&unused, 1, sizeof(double));
  if (arr->size() != m)
    throw invalid_argument(std::string("connect: ") + what + " array has " +
                           std::to_string(arr->size()) + " values; expected " + std::to_string(m) +
                           " (one per connection)");
  return runtime::buffer(const_cast<double*>(arr->data()), m, sizeof(double));
}

/// Connections per part of a connect call: 2^30, or STARLING_CONNECT_PART (at least 1; the
/// tests make small calls take the path of large ones).
std::uint64_t connect_part_limit() {
  const char* v = std::getenv("STARLING_CONNECT_PART");
  const unsigned long long n = v != nullptr ? std::strtoull(v, nullptr, 10) : 0;
  return n > 0 && n < (1ull << 30) ? n : (1ull << 30);
}

std::string generation_error(const std::vector<double>& status, double h,
                             const codelets::connect::rule_spec& spec) {
  namespace cc = codelets::connect;
  const std::string value = codelets::number(status[cc::st_value]);
  switch (static_cast<int>(status[cc::st_error])) {
    case cc::err_delay_below_resolution:
      return "connect: delay " + value + " ms is below the resolution " + codelets::number(h) +
             " ms";
    case cc::err_delay_too_long:
      return "connect: delay " + value + " ms; expected at most " +
             codelets::number(spec.max_delay) + " steps (" + codelets::number(spec.max_delay * h) +
             " ms)" +
             (spec.max_delay < cc::max_delay_steps
                  ? " for a target population of " + std::to_string(spec.n_post) + " neurons"
                  : std::string());
    case cc::err_weight_not_finite:
      return "connect: weight " + value + "; expected a finite value that a 32-bit float holds";
    case cc::err_weight_beyond_ring:
      return "connect: weight " + value + "; expected |weight| < 2^31 (the input rings sum in " +
             "64-bit fixed point and hold |sum| < 2^31 pA or nS)";
    case cc::err_weight_lost_in_float:
      return "connect: weight " + value + " is 0 in 32-bit storage; expected 0 or |weight| >= " +
             "1.4e-45 (weights are stored as 32-bit floats, 24 bits of precision)";
    default:
      break;
  }
  return "connect: the rule found no candidates to draw from";
}

/// STARLING_CONNECT_TIMES: wall time of connect's phases, summed over the process's calls and
/// printed at exit (a diagnostic for construction speed).
struct connect_clock {
  using clock = std::chrono::steady_clock;
  bool on = std::getenv("STARLING_CONNECT_TIMES") != nullptr;
  double seconds[4] = {};
  long calls = 0;
  clock::time_point last;
  void start() { last = clock::now(); }
  void lap(int phase) {
    const clock::time_point now = clock::now();
    seconds[phase] += std::chrono::duration<double>(now - last).count();
    last = now;
  }
  ~connect_clock() {
    if (on && calls > 0)
      std::fprintf(stderr,
                   "connect: %ld calls: checks and offsets %.3f s, buffers and submission %.3f s, "
                   "generation (wait) %.3f s, release of call buffers %.3f s\n",
                   calls, seconds[0], seconds[1], seconds[2], seconds[3]);
  }
};

connect_clock& connect_times() {
  static connect_clock c;
  return c;
}

}  // namespace

void simulator::connect(const population& pre, const population& post, const rule& r,
                        const synapse& syn) {
  impl_->local_pop(pre, "connect");
  impl_->local_pop(post, "connect");
  impl_->connect_any(pre, post, r, syn);
}

void simulator::remote_connect(int source_rank, const population& pre, int target_rank,
                               const population& post, const rule& r, const synapse& syn) {
  for (const auto& [rank, p] : {std::pair{source_rank, pre}, std::pair{target_rank, post}})
    if (impl_->pop(p).rank != rank)
      throw invalid_argument("remote_connect: population " + std::to_string(p.id) +
                             " lives on process " + std::to_string(impl_->pop(p).rank) +
                             ", not on " + std::to_string(rank));
  impl_->agree("remote_connect", (pre.id << 32) ^ post.id);
  impl_->connect_any(pre, post, r, syn);
}

void simulator::impl::connect_any(const population& pre, const population& post, const rule& r,
                                  const synapse& syn) {
  namespace cc = codelets::connect;
  population_data& src = pop(pre);
  population_data& tgt = pop(post);
  const network::synapse_model_spec& sm = network::find_synapse_model(syn.model);
  codelets::plasticity::stdp_params plastic_params;
  if (sm.plastic) {
    plastic_params = network::stdp_params_of(sm, syn.params, syn.weight, opts.resolution);
    if (!src.model->is_neuron())
      throw invalid_argument("connect: " + syn.model + " from the " + src.model->name +
                             " population " + std::to_string(pre.id) +
                             "; expected a neuron source (a parrot_neuron repeats a device's "
                             "spikes)");
  } else if (!syn.params.empty()) {
    throw invalid_argument("connect: static_synapse has no parameter '" +
                           syn.params.begin()->first + "'");
  }
  if (syn.weight_recorder) {
    const std::size_t id = syn.weight_recorder->id;
    if (!sm.plastic)
      throw invalid_argument("connect: a weight_recorder records plastic synapses; " + syn.model +
                             " does not change its weights");
    if (id >= recorder_kinds.size() || recorder_kinds[id] != recorder_kind::weights)
      throw invalid_argument("connect: recorder " + std::to_string(id) +
                             " is not a weight recorder (record_weights)");
  }
  if (!tgt.model->is_neuron())
    throw invalid_argument(std::string("connect: target population ") + std::to_string(post.id) +
                           " is a " + tgt.model->name + "; expected a neuron model");
  if (!tgt.local) {
    // Generated on the target's process; this one only sends a neuron source's spikes there
    // (a generator is held there too and drives its targets itself).
    unprepare();
    if (src.local && src.model->is_neuron()) src.export_to.insert(tgt.rank);
    if (!src.model->is_neuron() && src.held) src.targets_changed = true;
    ++connect_calls;
    return;
  }
  if (!src.held && !src.model->is_neuron())
    throw invalid_argument(std::string("connect: the ") + src.model->name + " population " +
                           std::to_string(pre.id) + " lives on process " +
                           std::to_string(src.rank) +
                           " only; create generators with remote_create to drive neurons on "
                           "other processes");
  connect_clock& times = connect_times();
  if (times.on) times.start();
  const std::uint64_t call = connect_calls;
  const double h = opts.resolution;
  cc::rule_spec spec = network::make_rule_spec(r, static_cast<std::uint32_t>(src.n),
                                               static_cast<std::uint32_t>(tgt.n), pre.id == post.id,
                                               opts.seed, call);
  spec.pre_gid = src.gid_base;
  spec.post_gid = tgt.gid_base;
  spec.h = h;
  spec.weight = value_spec_of(
      syn.weight, network::draw_key(opts.seed, network::draw_purpose::weight, call), "weight");
  spec.delay = value_spec_of(
      syn.delay, network::draw_key(opts.seed, network::draw_purpose::delay, call), "delay");
  // The receptor channel: by the sign of the weight for spikes, the current channel for
  // currents; receptor_channel rejects ports and sources the target does not take.
  const int channel =
      network::receptor_channel(*tgt.model, src.model->sends, syn.receptor, tgt.ports());
  const codelets::channels channels{channel < 0 ? tgt.model->excitatory_channel : channel,
                                    channel < 0 ? tgt.model->inhibitory_channel : channel,
                                    tgt.model->counts_spikes ? 1 : 0};
  // A synapse packs its target and delay into 32 bits: large populations leave fewer bits for
  // the delay.
  spec.target_bits = codelets::target_bits_for(tgt.n);
  spec.max_delay = std::min(cc::max_delay_steps, codelets::packed_delay_limit(spec.target_bits));
  if (spec.max_delay < 1.0)
    throw invalid_argument("connect: target population " + std::to_string(post.id) + " has " +
                           std::to_string(tgt.n) + " neurons; expected at most 2^31");
  const double expected = network::expected_connections(r, static_cast<std::uint32_t>(src.n),
                                                        static_cast<std::uint32_t>(tgt.n));
  // Generation on the CPU holds source, target, weight, delay and the sort order (20 bytes per
  // connection) beside the table.
  // Plastic models add their double weights (and nn_pre_centered a trace) per synapse.
  const double plastic_bytes =
      !sm.plastic
          ? 0.0
          : expected * sizeof(double) *
                    (sm.rule == codelets::plasticity::stdp_rule::nn_pre_centered ? 2.0 : 1.0) +
                16.0 * static_cast<double>(src.n);
  check_fits(network::projection::bytes(static_cast<double>(src.n), expected) + plastic_bytes,
             "connect", 20.0 * expected);
  unprepare();

  // A call is generated in parts of at most connect_part_limit() connections (fewer than 2^31:
  // the GPU's sort counts in 32 bits, and a part's scratch must fit beside the tables), each
  // part a table of its own over a range of units, from the random streams of the whole call.
  // Rules whose units depend on each other, and per-connection arrays, stay in one part.
  const std::uint64_t n_units = cc::units(spec);
  const bool counted = spec.kind == cc::rule_kind::pairwise_bernoulli;
  const bool arrays = std::holds_alternative<std::vector<double>>(syn.weight) ||
                      std::holds_alternative<std::vector<double>>(syn.delay);
  // The most connections one unit makes (pairwise_bernoulli: at most one per source).
  const std::uint64_t per_unit =
      counted || spec.kind == cc::rule_kind::all_to_all
          ? static_cast<std::uint64_t>(src.n)
          : std::max<std::uint64_t>(1, cc::unit_offset(spec, 1) - cc::unit_offset(spec, 0));
  const std::uint64_t limit = connect_part_limit();
  const std::uint64_t units_per_part =
      cc::sequential(spec) || arrays ? n_units : std::max<std::uint64_t>(1, limit / per_unit);
  // The most synapses of the call one target can have (the ring range check); 0 where the
  // rule fixes none (fixed_outdegree, fixed_total_number: counting them would cost a pass).
  std::uint64_t per_target = 0;
  if (spec.kind == cc::rule_kind::one_to_one) per_target = 1;
  if (spec.kind == cc::rule_kind::fixed_indegree) per_target = spec.degree;
  if (spec.kind == cc::rule_kind::all_to_all || spec.kind == cc::rule_kind::pairwise_bernoulli)
    per_target = static_cast<std::uint64_t>(src.n);
  std::vector<std::unique_ptr<projection>> parts;
  std::uint64_t m_total = 0;
  for (std::uint64_t first = 0; first < n_units || (first == 0 && parts.empty());
       first += units_per_part) {
    cc::args a;
    a.spec = spec;
    a.spec.first_unit = first;
    a.spec.last_unit = std::min(n_units, first + units_per_part);
    const std::uint64_t n_part = cc::part_units(a.spec);
    std::vector<std::int64_t> offsets(counted ? n_part + 1 : 1, 0);
    if (counted) {
      {
        runtime::buffer counts(offsets.data(), offsets.size(), sizeof(std::int64_t));
        a.io.add(0, access::write);
        cc::insert_count(a, {counts.native()});
        runtime::host_access hold(counts, access::read);
        engine.wait_all();
      }
      a.io = {};
      for (std::uint64_t u = 0; u < n_part; ++u) offsets[u + 1] += offsets[u];
    }
    const std::uint64_t m = counted ? static_cast<std::uint64_t>(offsets.back())
                                    : cc::part_offset(a.spec, a.spec.last_unit);
    if (m >= (1ull << 31))
      throw invalid_argument("connect: " + std::to_string(m) +
                             " connections in one part of the call; expected fewer than 2^31 " +
                             "(calls with per-connection weight or delay arrays, and "
                             "fixed_total_number without multapses, are one part)");
    a.total = m;

    if (times.on) times.lap(0);
    runtime::buffer b_offsets(offsets.data(), offsets.size(), sizeof(std::int64_t));
    runtime::buffer b_weight = array_buffer(syn.weight, m, "weight");
    runtime::buffer b_delay = array_buffer(syn.delay, m, "delay");
    auto pr = std::make_unique<projection>(pre.id, post.id, src.n, m);
    std::vector<double> status(cc::n_status, 0.0);
    runtime::buffer b_status(status.data(), status.size(), sizeof(double));
    const std::vector<runtime::handle> handles{
        b_offsets.native(),      b_weight.native(),      b_delay.native(), pr->b_rows.native(),
        pr->b_synapses.native(), pr->b_weights.native(), b_status.native()};
    for (int k = 0; k < 3; ++k) a.io.add(k, access::read);
    for (int k = 3; k < 7; ++k) a.io.add(k, access::write);
    cc::insert_generate(a, handles);
    if (times.on) times.lap(1);
    {
      runtime::host_access hold(b_status, access::read);
      engine.wait_all();
      if (status[cc::st_error] != cc::err_none)
        throw invalid_argument(generation_error(status, h, spec));
    }
    if (times.on) times.lap(2);
    pr->max_delay = static_cast<std::int32_t>(status[cc::st_max_delay]);
    pr->min_delay = static_cast<std::int32_t>(status[cc::st_min_delay]);
    pr->max_abs_weight = status[cc::st_max_weight];
    pr->max_per_target = std::min<std::uint64_t>(per_target, m);
    pr->target_bits = spec.target_bits;
    pr->channel = channels;
    pr->call = call;
    pr->port = syn.receptor;
    if (sm.plastic) make_plastic(*pr, syn, plastic_params);
    m_total += m;
    parts.push_back(std::move(pr));
    if (n_units == 0) break;
  }
  // Every pair in one table: delivery may skip the table (one part only).
  parts.front()->all_pairs =
      parts.size() == 1 && spec.kind == cc::rule_kind::all_to_all && !(spec.same && !spec.autapses);
  // The network changes only once every part has been generated, and its input stays within
  // the rings' range.
  const std::size_t before = projections.size();
  for (auto& pr : parts) projections.push_back(std::move(pr));
  try {
    check_ring_range("connect");
  } catch (const invalid_argument&) {
    projections.resize(before);
    throw;
  }
  // NEST's noise_generator draws anew when its number of targets has changed.
  if (m_total > 0) src.targets_changed = true;
  if (times.on) {
    times.lap(3);
    ++times.calls;
  }
  ++connect_calls;
}

void simulator::impl::make_plastic(network::projection& pr, const synapse& syn,
                                   const codelets::plasticity::stdp_params& params) {
  namespace pl = codelets::plasticity;
  auto st = std::make_unique<network::plastic_state>();
  st->model = syn.model;
  st->params = params;
  if (syn.weight_recorder) st->recorder = syn.weight_recorder->id;
  // The input bound: |weights| stay within |Wmax| where the rule has one; stdp_pl_synapse_hom
  // has none, and its connections are left out of the ring check.
  if (params.rule == pl::stdp_rule::pl_hom)
    pr.max_per_target = 0;
  else
    pr.max_abs_weight = std::max(pr.max_abs_weight, std::fabs(params.w_max));
  if (pr.count > 0) {
    st->source.assign(pl::source_words(pr.n_source), 0);
    st->b_source = runtime::buffer(st->source.data(), st->source.size(), sizeof(std::uint64_t));
    st->b_weights = runtime::buffer(pr.count, sizeof(double));
    pl::init_args a;
    a.count = pr.count;
    a.io.add(0, access::read);
    a.io.add(1, access::write);
    std::vector<runtime::handle> handles{pr.b_weights.native(), st->b_weights.native()};
    if (params.rule == pl::stdp_rule::nn_pre_centered) {
      st->b_syn_kplus = runtime::buffer(pr.count, sizeof(double));
      a.io.add(2, access::write);
      handles.push_back(st->b_syn_kplus.native());
    }
    pl::insert(a, handles);
  }
  pr.plastic = std::move(st);
}

connection_data simulator::get_connections(const std::optional<population>& source,
                                           const std::optional<population>& target) const {
  if (source) impl_->pop(*source);
  if (target) impl_->pop(*target);
  connection_data out;
  const double h = impl_->opts.resolution;
  for (const auto& pr : impl_->projections) {
    if ((source && source->id != pr->source_pop) || (target && target->id != pr->target_pop))
      continue;
    runtime::host_access rows(pr->b_rows, access::read), synapses(pr->b_synapses, access::read),
        weights(pr->plastic && pr->count > 0 ? pr->plastic->b_weights : pr->b_weights,
                access::read);
    const auto* row = static_cast<const std::int64_t*>(rows.data());
    const auto* syn = static_cast<const std::uint32_t*>(synapses.data());
    // Plastic projections: their current weights (double).
    const auto* w = static_cast<const float*>(weights.data());
    const auto* wd = static_cast<const double*>(weights.data());
    const bool plastic = pr->plastic != nullptr;
    for (std::int64_t i = 0; i < pr->n_source; ++i) {
      for (std::int64_t k = row[i]; k < row[i + 1]; ++k) {
        out.source_population.push_back(pr->source_pop);
        out.source.push_back(static_cast<std::uint32_t>(i));
        out.target_population.push_back(pr->target_pop);
        out.target.push_back(codelets::synapse_target(syn[k], pr->target_bits));
        out.weight.push_back(plastic ? wd[k] : static_cast<double>(w[k]));
        out.delay.push_back(static_cast<double>(codelets::synapse_delay(syn[k], pr->target_bits)) *
                            h);
        out.receptor.push_back(pr->port);
      }
    }
  }
  return out;
}

std::size_t simulator::synapse_bytes() const { return impl_->synapse_bytes(); }

std::size_t simulator::num_connections() const {
  std::size_t total = 0;
  for (const auto& p : impl_->projections) total += p->size();
  return total;
}

}  // namespace starling
