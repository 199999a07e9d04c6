#include "starling/simulator.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "codelets/advance/advance.hpp"
#include "codelets/exchange/exchange.hpp"
#include "codelets/connect/connect.hpp"
#include "connect_rules.hpp"
#include "model_registry.hpp"
#include "population.hpp"
#include "projection.hpp"
#include "random_values.hpp"
#include "recorders.hpp"
#include "runtime/engine.hpp"
#include "runtime/slice_scheduler.hpp"
#include "starling/config.hpp"
#include "values.hpp"

namespace starling {

using network::population_data;
using network::projection;
using runtime::access;

namespace {

constexpr std::int64_t default_slice_steps = 100;

runtime::engine_options engine_for(const kernel_options& o, bool& use_cuda) {
  if (!(o.resolution > 0.0) || !std::isfinite(o.resolution))
    throw invalid_argument("kernel: resolution " + std::to_string(o.resolution) +
                           " ms; expected a positive time");
  if (o.slice_steps < 0)
    throw invalid_argument("kernel: slice_steps " + std::to_string(o.slice_steps) +
                           "; expected >= 1, or 0 for automatic");
  const int gpus = runtime::cuda_device_count();
  if (o.where == backend::cuda && (!STARLING_HAVE_CUDA || gpus == 0))
    throw invalid_argument(STARLING_HAVE_CUDA
                               ? "kernel: backend cuda requested but no CUDA device is visible"
                               : "kernel: backend cuda requested but Starling was built without CUDA");
  use_cuda = o.where == backend::cuda || (o.where == backend::automatic && gpus > 0);
  runtime::engine_options e;
  e.cpu_workers = use_cuda ? 0 : std::max(1, o.cpu_workers);
  e.cuda_workers = use_cuda ? 1 : 0;
  e.scheduler = o.scheduler;
  return e;
}

}  // namespace

struct simulator::impl {
  kernel_options opts;
  bool use_cuda = false;
  runtime::engine engine;
  std::vector<std::unique_ptr<population_data>> pops;
  std::vector<std::unique_ptr<projection>> projections;
  std::vector<std::unique_ptr<network::spike_recorder>> spike_recs;
  std::vector<std::unique_ptr<network::state_recorder>> state_recs;
  std::vector<bool> recorder_is_spikes;
  std::vector<std::size_t> recorder_slot;
  std::uint64_t next_gid = 0;
  std::uint64_t next_conn = 0;
  std::uint64_t connect_calls = 0;
  std::uint64_t member_draws = 0;  // assignments so far (each keys its own random draws)
  std::int64_t now = 0;  // steps simulated
  std::int64_t slice = 0;
  bool prepared = false;
  std::vector<std::uint64_t> mailbox{0, 0};
  runtime::buffer outbox, inbox;
  codelets::advance::plan plan;

  explicit impl(const kernel_options& o) : opts(o), engine(engine_for(o, use_cuda)) {}
  ~impl() { unprepare(); }

  population_data& pop(const population& p) {
    if (p.id >= pops.size() || pops[p.id]->n != static_cast<std::int64_t>(p.size))
      throw invalid_argument("population " + std::to_string(p.id) + " of size " +
                             std::to_string(p.size) + " does not exist; " +
                             std::to_string(pops.size()) + " populations were created");
    return *pops[p.id];
  }

  void unprepare();
  void prepare();
  void check_device_memory() const;
  /// Throws if the network grown by `extra` bytes would not fit in the GPU's memory.
  void check_fits(double extra, const std::string& what) const;
  std::size_t network_bytes() const;
  codelets::op_buffers population_io(population_data& p);
  std::uint64_t next_member_key() {
    return network::draw_key(opts.seed, network::draw_purpose::member, member_draws++);
  }
};

void simulator::impl::unprepare() {
  if (!prepared) return;
  engine.wait_all();
  for (auto& r : spike_recs) r->b.reset();
  for (auto& r : state_recs) r->b.reset();
  for (auto& p : pops) p->unregister_buffers();
  outbox.reset();
  inbox.reset();
  plan = {};
  prepared = false;
}

std::size_t simulator::impl::network_bytes() const {
  std::size_t need = 0;
  for (const auto& p : pops) need += p->device_bytes();
  for (const auto& p : projections)
    need += static_cast<std::size_t>(network::projection::bytes(static_cast<double>(p->n_source),
                                                                static_cast<double>(p->count)));
  for (const auto& r : spike_recs) need += r->buf.size() * sizeof(std::uint64_t);
  for (const auto& r : state_recs) need += r->buf.size() * sizeof(double);
  return need;
}

void simulator::impl::check_fits(double extra, const std::string& what) const {
  if (!use_cuda) return;
  std::size_t free_bytes = 0, total = 0;
  runtime::cuda_memory_info(0, free_bytes, total);
  const double mine = static_cast<double>(network_bytes());
  // Once prepared, the network's own data already occupies part of the device.
  const double available = static_cast<double>(free_bytes) + (prepared ? mine : 0.0);
  const double need = mine + extra;
  if (need > available) {
    char msg[256];
    std::snprintf(msg, sizeof msg,
                  "%s: the network needs %.1f MiB on the GPU but %.1f MiB of %.1f MiB are free",
                  what.c_str(), need / 1048576.0, available / 1048576.0,
                  static_cast<double>(total) / 1048576.0);
    throw invalid_argument(msg);
  }
}

void simulator::impl::check_device_memory() const { check_fits(0.0, "simulate"); }

codelets::op_buffers simulator::impl::population_io(population_data& p) {
  codelets::op_buffers io;
  io.add(plan.handle_index(p.b_state.native(), access::read_write), access::read_write);
  io.add(plan.handle_index(p.b_coeff.native(), access::read), access::read);
  if (p.model->is_neuron()) {
    io.add(plan.handle_index(p.b_ring.native(), access::read_write), access::read_write);
    io.add(plan.handle_index(p.b_spikes.native(), access::write), access::write);
  } else {
    io.add(plan.handle_index(p.b_spikes.native(), access::write), access::write);
    if (p.model->kind == network::model_kind::spike_generator) {
      io.add(plan.handle_index(p.b_stamps.native(), access::read), access::read);
      io.add(plan.handle_index(p.b_offsets.native(), access::read), access::read);
    }
  }
  return io;
}

void simulator::impl::prepare() {
  if (prepared) return;
  slice = opts.slice_steps > 0 ? opts.slice_steps : default_slice_steps;
  // Rings hold every delay: an event may land up to max_delay steps ahead.
  std::vector<std::int64_t> slots(pops.size(), 1);
  for (const auto& pr : projections)
    slots[pr->target_pop] = std::max<std::int64_t>(slots[pr->target_pop], pr->max_delay + 1);
  for (std::size_t i = 0; i < pops.size(); ++i)
    if (pops[i]->model->is_neuron()) pops[i]->resize_ring(slots[i], now);
  for (auto& r : spike_recs) {
    const population_data& p = *pops[r->pop];
    r->allocate(p.n, slice, static_cast<std::int64_t>(p.stamps.size()));
  }
  for (auto& r : state_recs) r->allocate(slice);
  check_device_memory();

  for (auto& p : pops) p->register_buffers();
  for (auto& r : spike_recs) r->b = runtime::buffer(r->buf.data(), r->buf.size(), sizeof(std::uint64_t));
  for (auto& r : state_recs) r->b = runtime::buffer(r->buf.data(), r->buf.size(), sizeof(double));
  outbox = runtime::buffer(&mailbox[0], 1, sizeof(std::uint64_t));
  inbox = runtime::buffer(&mailbox[1], 1, sizeof(std::uint64_t));

  using namespace codelets;
  // Step order: sample states (of the previous step), update devices and neurons, deliver the
  // step's events, record the step's spikes.
  for (auto& r : state_recs) {
    record_states::args a;
    population_data& p = *pops[r->pop];
    a.io.add(plan.handle_index(p.b_state.native(), access::read), access::read);
    a.io.add(plan.handle_index(r->b.native(), access::read_write), access::read_write);
    a.n = p.n;
    a.interval = r->interval;
    a.n_vars = static_cast<std::int32_t>(r->vars.size());
    for (std::size_t v = 0; v < r->vars.size(); ++v) a.var[v] = r->vars[v];
    plan.ops.emplace_back(a);
  }
  for (bool neurons : {false, true})
    for (auto& p : pops)
      if (p->model->is_neuron() == neurons)
        plan.ops.push_back(p->model->update_op(population_io(*p), p->n, p->ring_slots));
  for (auto& pr : projections) {
    population_data& src = *pops[pr->source_pop];
    population_data& tgt = *pops[pr->target_pop];
    deliver::args a;
    a.io.add(plan.handle_index(src.b_spikes.native(), access::read), access::read);
    for (runtime::buffer* b :
         {&pr->b_rows, &pr->b_targets, &pr->b_weights, &pr->b_delays, &pr->b_receptors})
      a.io.add(plan.handle_index(b->native(), access::read), access::read);
    a.io.add(plan.handle_index(tgt.b_ring.native(), access::read_write), access::read_write);
    a.io.add(plan.handle_index(src.b_coeff.native(), access::read), access::read);
    a.kind = src.model->sends;
    a.n_src = src.n;
    a.n_tgt = tgt.n;
    a.ring_slots = tgt.ring_slots;
    a.receptors = tgt.model->n_receptors;
    a.seed = opts.seed;
    a.gid_base = src.gid_base;
    a.tgt_gid_base = tgt.gid_base;
    a.call = pr->call;
    // Spread long rows over several blocks: devices send to many targets every step.
    const double row = static_cast<double>(pr->count) / static_cast<double>(std::max<std::int64_t>(src.n, 1));
    const double cap = src.model->is_neuron() ? 16.0 : 1024.0;
    a.row_blocks = static_cast<std::int32_t>(std::clamp(std::ceil(row / 128.0), 1.0, cap));
    plan.ops.emplace_back(a);
  }
  for (auto& r : spike_recs) {
    record_spikes::args a;
    population_data& p = *pops[r->pop];
    a.io.add(plan.handle_index(p.b_spikes.native(), access::read), access::read);
    a.io.add(plan.handle_index(r->b.native(), access::read_write), access::read_write);
    a.n = p.n;
    a.capacity = r->capacity;
    plan.ops.emplace_back(a);
  }
  plan.handle_index(inbox.native(), access::read);
  plan.handle_index(outbox.native(), access::read_write);
  prepared = true;
}

simulator::simulator(const kernel_options& options) : impl_(std::make_unique<impl>(options)) {}
simulator::~simulator() = default;

bool cuda_available() { return STARLING_HAVE_CUDA && runtime::cuda_device_count() > 0; }

model_description describe(const std::string& model) {
  const network::model_spec& m = network::find_model(model);
  model_description d;
  d.name = m.name;
  d.is_neuron = m.is_neuron();
  for (const auto& q : m.parameters) d.parameters.emplace_back(q.name);
  if (m.kind == network::model_kind::spike_generator) d.parameters.emplace_back("spike_times");
  for (int i = 0; i < m.n_public_states; ++i)
    d.states.emplace_back(m.states[static_cast<std::size_t>(i)].name);
  return d;
}

std::vector<std::string> models() {
  std::vector<std::string> names;
  for (const auto& m : network::all_models()) names.emplace_back(m.name);
  return names;
}

population simulator::create(const std::string& model, std::size_t n, const value_map& params) {
  const network::model_spec& spec = network::find_model(model);
  if (n == 0 || n > 0xffffffffu)
    throw invalid_argument("create: " + model + " of size " + std::to_string(n) +
                           "; expected 1 to 2^32 - 1 members");
  const double per_member = static_cast<double>(
      (spec.states.size() + static_cast<std::size_t>(spec.n_coeffs)) * sizeof(double) +
      2 * sizeof(std::int64_t) * static_cast<std::size_t>(spec.n_receptors) + 2 * sizeof(std::uint32_t));
  impl_->check_fits(per_member * static_cast<double>(n), "create " + model);
  auto p = std::make_unique<population_data>(spec, static_cast<std::int64_t>(n), impl_->next_gid);
  for (const auto& [name, v] : params)
    network::assign(*p, name, v, impl_->opts.resolution, impl_->now, impl_->next_member_key());
  p->derive(impl_->opts.resolution);
  impl_->unprepare();
  impl_->pops.push_back(std::move(p));
  impl_->next_gid += n;
  return population{impl_->pops.size() - 1, n};
}

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

std::string generation_error(const std::vector<double>& status, double h) {
  namespace cc = codelets::connect;
  const std::string value = codelets::number(status[cc::st_value]);
  switch (static_cast<int>(status[cc::st_error])) {
    case cc::err_delay_below_resolution:
      return "connect: delay " + value + " ms is below the resolution " + codelets::number(h) + " ms";
    case cc::err_delay_too_long:
      return "connect: delay " + value + " ms; expected at most 1e6 steps";
    case cc::err_weight_not_finite:
      return "connect: weight " + value + "; expected a finite value";
    default:
      break;
  }
  return "connect: the rule found no candidates to draw from";
}

}  // namespace

void simulator::connect(const population& pre, const population& post, const rule& r,
                        const synapse& syn) {
  namespace cc = codelets::connect;
  population_data& src = impl_->pop(pre);
  population_data& tgt = impl_->pop(post);
  if (syn.model != "static_synapse")
    throw invalid_argument("connect: synapse model '" + syn.model + "'; expected static_synapse");
  if (!tgt.model->is_neuron())
    throw invalid_argument(std::string("connect: target population ") + std::to_string(post.id) +
                           " is a " + tgt.model->name + "; expected a neuron model");
  const std::uint64_t call = impl_->connect_calls;
  const double h = impl_->opts.resolution;
  cc::rule_spec spec = network::make_rule_spec(r, static_cast<std::uint32_t>(src.n),
                                               static_cast<std::uint32_t>(tgt.n),
                                               pre.id == post.id, impl_->opts.seed, call);
  spec.pre_gid = src.gid_base;
  spec.post_gid = tgt.gid_base;
  spec.h = h;
  spec.weight = value_spec_of(
      syn.weight, network::draw_key(impl_->opts.seed, network::draw_purpose::weight, call), "weight");
  spec.delay = value_spec_of(
      syn.delay, network::draw_key(impl_->opts.seed, network::draw_purpose::delay, call), "delay");
  // The receptor channel: by the sign of the weight for spikes, the current channel for
  // currents; receptor_channel rejects ports the target does not have.
  const bool current = src.model->sends == codelets::deliver::source_kind::current;
  spec.receptor_by_sign = !current;
  spec.channel = network::receptor_channel(*tgt.model, src.model->sends, 1.0, syn.receptor);
  impl_->check_fits(network::projection::bytes(static_cast<double>(src.n),
                                               network::expected_connections(
                                                   r, static_cast<std::uint32_t>(src.n),
                                                   static_cast<std::uint32_t>(tgt.n))),
                    "connect");
  impl_->unprepare();

  // Where each unit's connections start: counted on the device for pairwise_bernoulli; the
  // other rules fix them (unit_offset).
  const std::uint64_t n_units = cc::units(spec);
  const bool counted = spec.kind == cc::rule_kind::pairwise_bernoulli;
  std::vector<std::int64_t> offsets(counted ? n_units + 1 : 1, 0);
  cc::args a;
  a.spec = spec;
  if (counted) {
    {
      runtime::buffer counts(offsets.data(), offsets.size(), sizeof(std::int64_t));
      a.io.add(0, access::write);
      cc::insert_count(a, {counts.native()});
      runtime::host_access hold(counts, access::read);
      impl_->engine.wait_all();
    }
    a.io = {};
    for (std::uint64_t u = 0; u < n_units; ++u) offsets[u + 1] += offsets[u];
  }
  const std::uint64_t m = counted ? static_cast<std::uint64_t>(offsets.back())
                                  : cc::unit_offset(spec, n_units);
  a.total = m;

  runtime::buffer b_offsets(offsets.data(), offsets.size(), sizeof(std::int64_t));
  runtime::buffer b_weight = array_buffer(syn.weight, m, "weight");
  runtime::buffer b_delay = array_buffer(syn.delay, m, "delay");
  auto pr = std::make_unique<projection>(pre.id, post.id, src.n, m);
  std::vector<double> status(cc::n_status, 0.0);
  runtime::buffer b_status(status.data(), status.size(), sizeof(double));
  const std::vector<runtime::handle> handles{
      b_offsets.native(),     b_weight.native(),  b_delay.native(),
      pr->b_rows.native(),    pr->b_targets.native(), pr->b_weights.native(),
      pr->b_delays.native(),  pr->b_receptors.native(), b_status.native()};
  for (int k = 0; k < 3; ++k) a.io.add(k, access::read);
  for (int k = 3; k < 9; ++k) a.io.add(k, access::write);
  cc::insert_generate(a, handles);
  {
    runtime::host_access hold(b_status, access::read);
    impl_->engine.wait_all();
    if (status[cc::st_error] != cc::err_none) throw invalid_argument(generation_error(status, h));
  }
  pr->max_delay = static_cast<std::int32_t>(status[cc::st_max_delay]);
  pr->conn_base = impl_->next_conn;
  pr->call = call;
  pr->port = syn.receptor;
  impl_->next_conn += m;
  impl_->projections.push_back(std::move(pr));
  ++impl_->connect_calls;
}

recorder simulator::record_spikes(const population& p) {
  impl_->pop(p);
  impl_->unprepare();
  auto r = std::make_unique<network::spike_recorder>();
  r->pop = p.id;
  impl_->spike_recs.push_back(std::move(r));
  impl_->recorder_is_spikes.push_back(true);
  impl_->recorder_slot.push_back(impl_->spike_recs.size() - 1);
  return recorder{impl_->recorder_is_spikes.size() - 1};
}

recorder simulator::record_states(const population& p, const std::vector<std::string>& variables,
                                  double interval) {
  population_data& data = impl_->pop(p);
  auto r = std::make_unique<network::state_recorder>();
  r->pop = p.id;
  r->n = data.n;
  if (variables.empty() || variables.size() > codelets::record_states::max_variables)
    throw invalid_argument("record_states: " + std::to_string(variables.size()) +
                           " variables; expected 1 to " +
                           std::to_string(codelets::record_states::max_variables));
  for (const std::string& v : variables) {
    const int s = data.model->state_index(v);
    if (s < 0)
      throw invalid_argument(std::string("record_states: ") + data.model->name +
                             " has no recordable state '" + v + "'; expected one of " +
                             network::state_names(*data.model));
    r->vars.push_back(s);
  }
  r->interval = network::interval_steps(interval, impl_->opts.resolution);
  r->data.variables = variables;
  r->data.values.resize(variables.size());
  impl_->unprepare();
  impl_->state_recs.push_back(std::move(r));
  impl_->recorder_is_spikes.push_back(false);
  impl_->recorder_slot.push_back(impl_->state_recs.size() - 1);
  return recorder{impl_->recorder_is_spikes.size() - 1};
}

void simulator::prepare() { impl_->prepare(); }

void simulator::simulate(double duration) {
  const std::int64_t steps = network::duration_steps(duration, impl_->opts.resolution);
  impl_->prepare();
  auto& m = *impl_;
  runtime::slice_stages stages;
  stages.advance = [&m](std::int64_t first, std::int64_t n) {
    if (m.slice == 1)
      codelets::advance::insert_per_step(m.plan, first, n);
    else
      codelets::advance::insert(m.plan, first, n);
  };
  stages.gather = [&m](std::int64_t, std::int64_t) { codelets::exchange::insert_gather(m.outbox.native()); };
  stages.exchange = [&m](std::int64_t, std::int64_t) {
    codelets::exchange::insert_exchange(m.outbox.native(), m.inbox.native());
  };
  stages.deliver_remote = [&m](std::int64_t, std::int64_t) {
    codelets::exchange::insert_deliver_remote(m.inbox.native());
  };
  if (!m.spike_recs.empty() || !m.state_recs.empty())
    stages.after = [&m](std::int64_t first, std::int64_t n) {
      for (auto& r : m.spike_recs) r->flush(first, m.opts.resolution);
      for (auto& r : m.state_recs) r->flush(first, n, m.opts.resolution);
    };
  const auto start = std::chrono::steady_clock::now();
  std::int64_t reported = 0;
  std::function<void(std::int64_t)> progress;
  if (m.opts.progress)
    progress = [&](std::int64_t done) {
      if (done * 10 / steps == reported && done != steps) return;
      reported = done * 10 / steps;
      const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::fprintf(stderr, "simulate: %.1f of %.1f ms (%3.0f%%), wall %.2f s\n",
                   static_cast<double>(done) * m.opts.resolution, duration,
                   100.0 * static_cast<double>(done) / static_cast<double>(steps), wall);
    };
  try {
    runtime::run_slices(m.now, steps, m.slice, stages, progress);
    m.engine.wait_all();
  } catch (...) {
    m.now += steps;
    throw;
  }
  m.now += steps;
}

std::vector<double> simulator::get(const population& p, const std::string& name) const {
  population_data& data = impl_->pop(p);
  if (impl_->prepared) {
    runtime::host_access hold(data.b_state, access::read);
    return network::read(data, name);
  }
  return network::read(data, name);
}

void simulator::set(const population& p, const std::string& name, const value& v) {
  population_data& data = impl_->pop(p);
  if (name == "spike_times") {
    impl_->unprepare();
    network::assign(data, name, v, impl_->opts.resolution, impl_->now, 0);
    return;
  }
  const std::uint64_t key = impl_->next_member_key();
  if (impl_->prepared) {
    runtime::host_access hs(data.b_state, access::read_write);
    runtime::host_access hc(data.b_coeff, access::read_write);
    network::assign(data, name, v, impl_->opts.resolution, impl_->now, key);
    return;
  }
  network::assign(data, name, v, impl_->opts.resolution, impl_->now, key);
}

const spike_data& simulator::spikes(const recorder& r) const {
  if (r.id >= impl_->recorder_is_spikes.size() || !impl_->recorder_is_spikes[r.id])
    throw invalid_argument("spikes: recorder " + std::to_string(r.id) + " is not a spike recorder");
  return impl_->spike_recs[impl_->recorder_slot[r.id]]->data;
}

const sample_data& simulator::samples(const recorder& r) const {
  if (r.id >= impl_->recorder_is_spikes.size() || impl_->recorder_is_spikes[r.id])
    throw invalid_argument("samples: recorder " + std::to_string(r.id) + " is not a state recorder");
  return impl_->state_recs[impl_->recorder_slot[r.id]]->data;
}

double simulator::time() const { return static_cast<double>(impl_->now) * impl_->opts.resolution; }
double simulator::resolution() const { return impl_->opts.resolution; }
std::int64_t simulator::slice_steps() const {
  return impl_->opts.slice_steps > 0 ? impl_->opts.slice_steps : default_slice_steps;
}
std::string simulator::device() const {
  return impl_->use_cuda ? "cuda:" + runtime::cuda_device_name(0) : "cpu";
}
std::string simulator::model_of(const population& p) const { return impl_->pop(p).model->name; }

connection_data simulator::get_connections(const std::optional<population>& source,
                                           const std::optional<population>& target) const {
  if (source) impl_->pop(*source);
  if (target) impl_->pop(*target);
  connection_data out;
  const double h = impl_->opts.resolution;
  for (const auto& pr : impl_->projections) {
    if ((source && source->id != pr->source_pop) || (target && target->id != pr->target_pop))
      continue;
    runtime::host_access rows(pr->b_rows, access::read), targets(pr->b_targets, access::read),
        weights(pr->b_weights, access::read), delays(pr->b_delays, access::read);
    const auto* row = static_cast<const std::int64_t*>(rows.data());
    const auto* tgt = static_cast<const std::uint32_t*>(targets.data());
    const auto* w = static_cast<const double*>(weights.data());
    const auto* d = static_cast<const std::int32_t*>(delays.data());
    for (std::int64_t i = 0; i < pr->n_source; ++i) {
      for (std::int64_t k = row[i]; k < row[i + 1]; ++k) {
        out.source_population.push_back(pr->source_pop);
        out.source.push_back(static_cast<std::uint32_t>(i));
        out.target_population.push_back(pr->target_pop);
        out.target.push_back(tgt[k]);
        out.weight.push_back(w[k]);
        out.delay.push_back(static_cast<double>(d[k]) * h);
        out.receptor.push_back(pr->port);
      }
    }
  }
  return out;
}

std::size_t simulator::num_connections() const {
  std::size_t total = 0;
  for (const auto& p : impl_->projections) total += p->size();
  return total;
}

}  // namespace starling
