#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <mutex>

#include "codelets/advance/advance.hpp"
#include "codelets/common/quantity.hpp"
#include "codelets/dc_generator/dc_generator_math.hpp"
#include "codelets/deliver_remote/deliver_remote.hpp"
#include "model_registry.hpp"
#include "random_values.hpp"
#include "runtime/topology.hpp"
#include "simulator_impl.hpp"
#include "starling/config.hpp"

namespace starling {

using network::population_data;
using runtime::access;

namespace {

/// The cores of this process from the topology and the launcher's local rank (binding when the
/// options ask for it and the topology is this machine's), and the start-up summary.
void place_threads(const kernel_options& o, runtime::engine_options& e) {
  namespace topo = runtime::topology;
  int local_rank = 0, local_size = 1;
  topo::launcher_local_rank(local_rank, local_size);
  const bool bind = o.bind == binding::cores || (o.bind == binding::automatic && local_size > 1);
  if (!bind && !o.verbose) return;
  const topo::node n = topo::discover();
  const topo::placement p = topo::place({n}, {local_size})[static_cast<std::size_t>(local_rank)];
  if (bind && n.source == "this machine") e.bind_cores = p.cores;
  if (o.verbose) {
    topo::placement q = p;
    q.rank = runtime::communicator::world().rank();
    std::string s = topo::summary(n, q);
    s += std::string("binding    ") +
         (e.bind_cores.empty() ? "none (threads unbound)"
                               : "workers and main thread to the cores above") +
         "\n";
    std::fputs(s.c_str(), stderr);
  }
}

}  // namespace

runtime::engine_options engine_for(const kernel_options& o, bool& use_cuda) {
  if (!(o.resolution > 0.0) || !std::isfinite(o.resolution))
    throw invalid_argument("kernel: resolution " + std::to_string(o.resolution) +
                           " ms; expected a positive time");
  if (o.slice_steps < 0)
    throw invalid_argument("kernel: slice_steps " + std::to_string(o.slice_steps) +
                           "; expected >= 1, or 0 for automatic");
  const int gpus = runtime::cuda_device_count();
  if (o.where == backend::cuda && (!STARLING_HAVE_CUDA || gpus == 0))
    throw invalid_argument(
        STARLING_HAVE_CUDA ? "kernel: backend cuda requested but no CUDA device is visible"
                           : "kernel: backend cuda requested but Starling was built without CUDA");
  use_cuda = o.where == backend::cuda || (o.where == backend::automatic && gpus > 0);
  runtime::engine_options e;
  // With several processes the exchange is a CPU task: a CUDA run keeps one CPU worker for it.
  const bool several = runtime::communicator::world().size() > 1;
  e.cpu_workers = use_cuda ? (several ? 1 : 0) : std::max(1, o.cpu_workers);
  e.cuda_workers = use_cuda ? 1 : 0;
  e.cuda_device = runtime::local_cuda_device();
  e.scheduler = o.scheduler;
  place_threads(o, e);
  return e;
}

void simulator::impl::unprepare() {
  if (!prepared) return;
  engine.wait_all();
  for (auto& r : spike_recs) r->unregister_counts();
  for (auto& r : state_recs) r->b.reset();
  for (auto& p : pops) p->unregister_buffers();
  add_exchange_figures(stats);
  exchange_plan.reset();
  for (auto& [id, o] : outboxes) o->unregister_counts();
  plan = {};
  prepared = false;
}

void simulator::impl::pre_run() {
  const double t = static_cast<double>(now) * opts.resolution;
  for (auto& p : pops) {
    if (!p->held || p->model->pre_run == nullptr) continue;
    runtime::host_access hold(p->b_state, access::read_write);
    const auto n = static_cast<std::size_t>(p->n);
    const std::size_t nc = p->coeff.size() / std::max<std::size_t>(n, 1);
    const std::size_t ns = p->state.size() / std::max<std::size_t>(n, 1);
    std::vector<double> c(nc), st(ns);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t k = 0; k < nc; ++k) c[k] = p->coeff[k * n + i];
      for (std::size_t k = 0; k < ns; ++k) st[k] = p->state[k * n + i];
      p->model->pre_run(c.data(), t, p->targets_changed, st.data());
      for (std::size_t k = 0; k < ns; ++k) p->state[k * n + i] = st[k];
    }
    p->targets_changed = false;
  }
}

std::size_t simulator::impl::synapse_bytes() const {
  std::size_t total = 0;
  for (const auto& p : projections) {
    total += static_cast<std::size_t>(network::projection::bytes(static_cast<double>(p->n_source),
                                                                 static_cast<double>(p->count)));
    if (p->plastic)  // double weights (and a trace per synapse for nn_pre_centered) beside
      total += p->plastic->source.size() * sizeof(std::uint64_t) +
               p->count * sizeof(double) * (p->plastic->b_syn_kplus.registered() ? 2 : 1);
  }
  return total;
}

// Parts of a source's row that CUDA blocks share: devices send to many targets every step. A
// block walks a part of about 384 synapses of a neuron's row (256 of a device's), three or two
// per thread: the microcircuit's units then fit in one resident wave, and a block's next
// synapse costs less than a second unit's chain of loads (measured on an H100,
// bench/microcircuit_notes.md, v7).
std::int32_t row_parts(const network::projection& pr, const population_data& src) {
  const double row =
      static_cast<double>(pr.count) / static_cast<double>(std::max<std::int64_t>(src.n, 1));
  const bool neuron = src.model->is_neuron();
  return static_cast<std::int32_t>(
      std::clamp(std::ceil(row / (neuron ? 384.0 : 256.0)), 1.0, neuron ? 16.0 : 1024.0));
}

std::size_t simulator::impl::delivery_queue_bytes() const {
  std::size_t units = 0;
  for (const auto& pr : projections) {
    const population_data& src = *pops[pr->source_pop];
    if (src.held)
      units += static_cast<std::size_t>(src.n) * static_cast<std::size_t>(row_parts(*pr, src));
  }
  // Two steps' worth: the update of a step writes its units while the delivery of the step before
  // reads the other half.
  return 2 * units * codelets::advance::delivery_unit_bytes;
}

std::size_t simulator::impl::network_bytes() const {
  std::size_t need = 0;
  for (const auto& p : pops) need += p->device_bytes();
  // Post spike histories of the populations plastic synapses target (made at the first
  // preparation that has them).
  const std::vector<bool> targeted = plastic_targets();
  for (std::size_t i = 0; i < pops.size(); ++i) {
    if (!targeted[i]) continue;
    const network::population_data& t = *pops[i];
    need += sizeof(std::uint64_t) * (t.history.empty()
                                         ? codelets::plasticity::history_words(
                                               t.n, std::max<std::int64_t>(opts.stdp_history, 1))
                                         : t.history.size());
  }
  need += synapse_bytes() + delivery_queue_bytes();
  for (const auto& r : state_recs) need += r->buf.size() * sizeof(double);
  return need;
}

void simulator::impl::check_fits(double extra, const std::string& what, double host_scratch) const {
  if (!use_cuda) {
    // The network's data so far are already allocated: what this call adds must fit in what
    // the system can still give (else the allocator spins in swap or the process is killed).
    const double available = static_cast<double>(runtime::host_memory_available());
    const double need = extra + host_scratch;
    if (available > 0.0 && need > available) {
      char msg[320];
      std::snprintf(msg, sizeof msg,
                    "%s: needs %.1f MiB more host memory (%.1f MiB of data, %.1f MiB to build "
                    "them; the network holds %.1f MiB) but %.1f MiB are available",
                    what.c_str(), need / 1048576.0, extra / 1048576.0, host_scratch / 1048576.0,
                    static_cast<double>(network_bytes()) / 1048576.0, available / 1048576.0);
      throw invalid_argument(msg);
    }
    return;
  }
  const double mine = static_cast<double>(network_bytes());
  // What of the network already occupies the device: the synapse tables (and plastic weights),
  // generated there by connect; once prepared, everything else too.
  const double held = prepared ? mine : static_cast<double>(synapse_bytes());
  const double more = mine - held + extra;  // still to allocate
  // Asking the device costs milliseconds per connect call. Between asks, what the network adds
  // is what takes the device's memory: construction asks again only when the estimate from the
  // last answer leaves less than a tenth of the device.
  if (!prepared && device_total > 0.0 &&
      device_free - (held - device_mine) - more > 0.1 * device_total)
    return;
  std::size_t free_bytes = 0, total = 0;
  runtime::cuda_memory_info(cuda_device, free_bytes, total);
  device_free = static_cast<double>(free_bytes);
  device_total = static_cast<double>(total);
  device_mine = held;
  if (more > device_free) {
    char msg[320];
    std::snprintf(msg, sizeof msg,
                  "%s: the network needs %.1f MiB on the GPU (%.1f MiB of it there already) but "
                  "%.1f MiB of %.1f MiB are free",
                  what.c_str(), (mine + extra) / 1048576.0, held / 1048576.0,
                  device_free / 1048576.0, static_cast<double>(total) / 1048576.0);
    throw invalid_argument(msg);
  }
}

void simulator::impl::check_device_memory() const {
  if (use_cuda) runtime::cuda_release_scratch(cuda_device);
  check_fits(0.0, "simulate");
}

codelets::op_buffers simulator::impl::population_io(population_data& p) {
  codelets::op_buffers io;
  use(io, p.b_state.native(), access::read_write);
  use(io, p.b_coeff.native(), access::read);
  if (p.model->is_neuron()) {
    use(io, p.b_ring.native(), access::read_write);
    use(io, p.b_spikes.native(), access::write);
  } else {
    use(io, p.b_spikes.native(), access::write);
    if (p.has_times()) {
      use(io, p.b_stamps.native(), access::read);
      use(io, p.b_offsets.native(), access::read);
      use(io, p.b_values.native(), access::read);
    }
  }
  return io;
}

namespace {

/// The coefficients every member of p shares, or none where they differ.
std::vector<double> uniform_coeffs(const population_data& p) {
  const auto n = static_cast<std::size_t>(p.n);
  std::vector<double> shared;
  if (n == 0) return shared;
  for (std::size_t k = 0; k < p.coeff.size(); k += n) {
    if (!std::all_of(p.coeff.begin() + k + 1, p.coeff.begin() + k + n,
                     [&](double c) { return c == p.coeff[k]; }))
      return {};
    shared.push_back(p.coeff[k]);
  }
  return shared;
}

}  // namespace

std::int64_t simulator::impl::chosen_slice() const {
  // Automatic: long slices amortise the per-task cost; state samples (a row per member and
  // sample) keep them short so that their buffers stay small.
  if (opts.slice_steps > 0) return opts.slice_steps;
  return state_recs.empty() ? long_slice_steps : default_slice_steps;
}

std::int64_t simulator::impl::slice_length() const {
  std::int64_t s = chosen_slice();
  if (comm.size() == 1) return s;
  // A spike sent to another process arrives at the end of the slice: the slice may not be
  // longer than the shortest delay between processes.
  std::int64_t shortest = std::numeric_limits<std::int64_t>::max();
  for (const auto& pr : projections) {
    if (pops[pr->source_pop]->held || pr->count == 0) continue;
    shortest = std::min<std::int64_t>(shortest, pr->min_delay);
  }
  shortest = comm.min(shortest);
  if (opts.slice_steps > shortest)
    throw invalid_argument("simulate: slice_steps " + std::to_string(opts.slice_steps) +
                           " exceeds the shortest delay between processes, " +
                           std::to_string(shortest) + " steps");
  return std::min(s, shortest);
}

namespace {

/// Largest |input| one member of `p` sends per unit weight in one step: spikes (times their
/// weights) or current; negative where it has no bound (Poisson counts, Gaussian noise, a
/// parrot repeating its inputs).
double input_per_step(const population_data& p) {
  namespace cl = codelets;
  const auto n = static_cast<std::size_t>(p.n);
  switch (p.model->kind) {
    case network::model_kind::neuron:
      return p.model->max_spikes_per_step > 0 ? p.model->max_spikes_per_step : -1.0;
    case network::model_kind::dc_generator: {
      if (!p.held) return -1.0;
      double most = 0.0;
      for (std::size_t i = 0; i < n; ++i)
        most = std::max(most, std::fabs(p.params[cl::dc_generator::amplitude * n + i]));
      return most;
    }
    case network::model_kind::step_current_generator:
    case network::model_kind::spike_generator: {
      if (!p.held) return -1.0;
      // Spikes at one step add up (multiplicities repeat a stamp); amplitudes do not.
      const bool add = p.model->kind == network::model_kind::spike_generator;
      double most = 0.0;
      for (std::size_t i = 0; i + 1 < p.offsets.size(); ++i) {
        double run = 0.0;
        for (auto k = p.offsets[i]; k < p.offsets[i + 1]; ++k) {
          const auto u = static_cast<std::size_t>(k);
          const bool same = add && k > p.offsets[i] && p.stamps[u] == p.stamps[u - 1];
          run = (same ? run : 0.0) + std::fabs(p.values[u]);
          most = std::max(most, run);
        }
      }
      return most;
    }
    default:
      return -1.0;
  }
}

}  // namespace

void simulator::impl::check_ring_range(const std::string& what) const {
  constexpr double range = 2147483648.0;  // 2^31: 64-bit fixed point, 32 fractional bits
  std::vector<double> most(pops.size(), 0.0);
  for (const auto& pr : projections) {
    const population_data& src = *pops[pr->source_pop];
    const double per_step = input_per_step(src);
    // Unbounded sources, and rules that fix no in-degree, are not checked.
    if (per_step < 0.0 || pr->count == 0 || pr->max_per_target == 0) continue;
    most[pr->target_pop] += pr->max_abs_weight * static_cast<double>(pr->max_per_target) * per_step;
  }
  for (std::size_t t = 0; t < pops.size(); ++t)
    if (most[t] >= range)
      throw invalid_argument(
          what + ": the input to population " + std::to_string(t) + " (" + pops[t]->model->name +
          ") can reach " + codelets::number(most[t]) +
          " pA (nS) in one step (largest |weight| x synapses per target x spikes per step, "
          "over its connections); expected less than 2^31, the range of the input rings");
}

void simulator::impl::prepare() {
  if (prepared) return;
  slice = slice_length();
  // Rings hold every delay: an event may land up to max_delay steps ahead.
  std::vector<std::int64_t> slots(pops.size(), 1);
  for (const auto& pr : projections)
    slots[pr->target_pop] = std::max<std::int64_t>(slots[pr->target_pop], pr->max_delay + 1);
  for (std::size_t i = 0; i < pops.size(); ++i)
    if (pops[i]->local && pops[i]->model->is_neuron()) pops[i]->resize_ring(slots[i], now);
  // A slice's spike buffer holds the most spikes the population's members can send in it.
  auto size_for_slice = [&](network::spike_recorder& r, int sides) {
    const population_data& p = *pops[r.pop];
    r.allocate(p.n, network::spikes_per_member_bound(*p.model, p.coeff, p.n, slice),
               static_cast<std::int64_t>(p.stamps.size()), sides);
  };
  for (auto& r : spike_recs)
    if (pops[r->pop]->local) size_for_slice(*r, 2);
  for (auto& r : state_recs)
    if (pops[r->pop]->local) r->allocate(slice);
  outboxes.clear();
  for (std::size_t i = 0; i < pops.size(); ++i) {
    if (!pops[i]->local || pops[i]->export_to.empty()) continue;
    auto o = std::make_unique<network::spike_recorder>();
    o->pop = i;
    size_for_slice(*o, 1);
    outboxes[i] = std::move(o);
  }
  check_device_memory();

  for (auto& p : pops)
    if (p->held) p->register_buffers();
  for (auto& r : spike_recs)
    if (pops[r->pop]->local) r->register_counts();
  for (auto& r : state_recs)
    if (pops[r->pop]->local) r->b = runtime::buffer(r->buf.data(), r->buf.size(), sizeof(double));
  for (auto& [id, o] : outboxes) o->register_counts();
  if (comm.size() > 1) prepare_exchange();

  using namespace codelets;
  // Step order: sample states (of the previous step), update devices and neurons, deliver the
  // step's events, record the step's spikes.
  for (auto& r : state_recs) {
    if (!pops[r->pop]->local) continue;
    record_states::args a;
    population_data& p = *pops[r->pop];
    use(a.io, p.b_state.native(), access::read);
    use(a.io, r->b.native(), access::read_write);
    a.n = p.n;
    a.interval = r->interval;
    a.n_vars = static_cast<std::int32_t>(r->vars.size());
    for (std::size_t v = 0; v < r->vars.size(); ++v) a.var[v] = r->vars[v];
    plan.ops.emplace_back(a);
  }
  for (bool neurons : {false, true})
    for (std::size_t i = 0; i < pops.size(); ++i) {
      population_data& p = *pops[i];
      if (!p.held || p.model->is_neuron() != neurons) continue;
      plan.ops.push_back(
          p.model->update_op(population_io(p), p.n, p.ring_slots, uniform_coeffs(p)));
      if (auto* a = std::get_if<neuron::args>(&plan.ops.back()))
        a->reads_current = std::any_of(projections.begin(), projections.end(), [&](auto& pr) {
          return pr->target_pop == i && (pr->channel.ex == p.model->current_channel ||
                                         pr->channel.in == p.model->current_channel);
        });
    }
  prepare_plasticity();
  for (auto& pr : projections) {
    population_data& src = *pops[pr->source_pop];
    population_data& tgt = *pops[pr->target_pop];
    if (pr->plastic) continue;  // prepare_plasticity
    if (!src.held) continue;    // delivered at the end of each slice (submit_exchange)
    deliver::args a;
    use(a.io, src.b_spikes.native(), access::read);
    for (runtime::buffer* b : {&pr->b_rows, &pr->b_synapses, &pr->b_weights})
      use(a.io, b->native(), access::read);
    use(a.io, tgt.b_ring.native(), access::read_write);
    a.kind = src.model->sends;
    // Spikes with weights of their own, but into a parrot (which counts spikes, as NEST's
    // parrot ignores weights).
    if (src.weighted && !tgt.model->counts_spikes)
      a.kind = codelets::deliver::source_kind::weighted_spike;
    use(a.io,
        codelets::deliver::source_reads_state(a.kind) ? src.b_state.native() : src.b_coeff.native(),
        access::read);
    a.n_src = src.n;
    a.n_tgt = tgt.n;
    a.ring_slots = tgt.ring_slots;
    a.receptors = tgt.model->n_receptors;
    a.seed = opts.seed;
    a.gid_base = src.gid_base;
    a.tgt_gid_base = tgt.gid_base;
    a.call = pr->call;
    a.target_bits = pr->target_bits;
    a.channel = pr->channel;
    if (pr->all_pairs && pr->min_delay == pr->max_delay && pr->count > 0)
      a.all_pairs_delay = pr->min_delay;
    a.row_blocks = row_parts(*pr, src);
    plan.ops.emplace_back(a);
  }
  std::vector<network::spike_recorder*> records;
  for (auto& r : spike_recs)
    if (pops[r->pop]->local) records.push_back(r.get());
  for (auto& [id, o] : outboxes) records.push_back(o.get());
  for (network::spike_recorder* r : records) {
    record_spikes::args a;
    population_data& p = *pops[r->pop];
    use(a.io, p.b_spikes.native(), access::read);
    use(a.io, r->side[0].b.native(), access::read_write);
    a.n = p.n;
    a.capacity = r->capacity;
    a.entries = r->side[0].entries.data();
    a.published = r->side[0].published.data();
    if (r->sides == 2) {
      // Odd slices record into the second side: the same operation with its count and entries.
      a.entries_odd = r->side[1].entries.data();
      a.published_odd = r->side[1].published.data();
      plan.odd_handles.emplace_back(a.io.index[1], r->side[1].b.native());
    }
    plan.ops.emplace_back(a);
  }
  prepared = true;
}

void simulator::impl::add_exchange_figures(exchange_stats& s) const {
  if (!exchange_plan) return;
  std::lock_guard<std::mutex> lock(exchange_plan->figures);
  s.seconds += exchange_plan->seconds;
  s.bytes_sent += exchange_plan->bytes_sent;
  s.slices += exchange_plan->slices;
  s.messages += exchange_plan->messages;
  s.node_seconds += exchange_plan->node_seconds;
  s.between_seconds += exchange_plan->between_seconds;
}

void simulator::impl::prepare_exchange() {
  namespace sx = codelets::spike_exchange;
  exchange_plan = std::make_unique<sx::plan>();
  sx::plan& x = *exchange_plan;
  // Outboxes: local populations with targets on other processes.
  for (auto& [id, o] : outboxes) {
    x.out.push_back({id, std::vector<int>(pops[id]->export_to.begin(), pops[id]->export_to.end()),
                     o->capacity, o->side[0].published.data(), o->side[0].entries.data()});
    x.send_to.insert(pops[id]->export_to.begin(), pops[id]->export_to.end());
  }
  // Inboxes: remote populations with targets here; a neuron spikes at most once per step.
  inbox_data.clear();
  for (const auto& pr : projections) {
    const population_data& src = *pops[pr->source_pop];
    if (src.held || inbox_data.count(pr->source_pop)) continue;
    inbox_data.emplace(pr->source_pop, runtime::host_block<std::uint64_t>(
                                           static_cast<std::size_t>(1 + src.n * slice)));
    x.receive_from.insert(src.rank);
  }
  x.strategy = opts.exchange;
  if (x.strategy == exchange_strategy::neighbourhood) {
    // Weights: the neurons whose spikes go each way, the expected volume up to their rates.
    std::map<int, std::int64_t> out_volume, in_volume;
    for (const auto& o : x.out)
      for (int to : o.to) out_volume[to] += pops[o.population]->n;
    for (const auto& [id, data] : inbox_data) in_volume[pops[id]->rank] += pops[id]->n;
    std::vector<int> to, to_w, from, from_w;
    auto clamp = [](std::int64_t v) {
      return static_cast<int>(std::min<std::int64_t>(v, 1 << 30));
    };
    for (int r : x.send_to) {
      to.push_back(r);
      to_w.push_back(clamp(out_volume[r]));
    }
    for (int r : x.receive_from) {
      from.push_back(r);
      from_w.push_back(clamp(in_volume[r]));
    }
    x.graph = std::make_unique<runtime::neighbourhood>(to, to_w, from, from_w);
  }
  if (x.strategy == exchange_strategy::hierarchical)
    x.levels = std::make_unique<runtime::hierarchy>();
  for (auto& [id, data] : inbox_data)
    x.in.push_back({id, static_cast<std::int64_t>(data.size()) - 1, data.data(), data.data() + 1});
}

void simulator::impl::submit_exchange(std::int64_t first, slice_links& links) {
  runtime::task_order exchange;
  for (const auto* tasks : {&links.recorded, &links.exchanged, &links.delivered})
    exchange.after.insert(exchange.after.end(), tasks->begin(), tasks->end());
  std::vector<runtime::task> exchanged;
  exchange.keep = &exchanged;
  codelets::spike_exchange::insert(*exchange_plan, exchange);
  for (auto* tasks : {&links.recorded, &links.exchanged, &links.delivered})
    links.kept.release(*tasks);
  links.exchanged = std::move(exchanged);
  const runtime::task_order deliver{links.exchanged, &links.delivered};
  for (auto& pr : projections) {
    if (pops[pr->source_pop]->held) continue;
    if (pr->plastic) {
      submit_remote_plastic(*pr, first, deliver);
      continue;
    }
    population_data& tgt = *pops[pr->target_pop];
    codelets::deliver_remote::args a;
    for (int k = 0; k < 3; ++k) a.io.add(k, access::read);
    a.io.add(3, access::read_write);
    a.first = first;
    a.n_tgt = tgt.n;
    a.ring_slots = tgt.ring_slots;
    a.receptors = tgt.model->n_receptors;
    a.target_bits = pr->target_bits;
    a.channel = pr->channel;
    a.count = inbox_data.at(pr->source_pop).data();
    a.entries = a.count + 1;
    codelets::deliver_remote::insert(
        a,
        {pr->b_rows.native(), pr->b_synapses.native(), pr->b_weights.native(), tgt.b_ring.native()},
        deliver);
  }
}

}  // namespace starling
