#include "starling/simulator.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <memory>
#include <string>

#include "codelets/advance/advance.hpp"
#include "codelets/common/generator_io.hpp"
#include "codelets/common/philox.hpp"
#include "codelets/noise_generator/noise_generator_math.hpp"
#include "model_registry.hpp"
#include "progress_report.hpp"
#include "runtime/slice_scheduler.hpp"
#include "simulator_impl.hpp"
#include "starling/config.hpp"
#include "synapse_models.hpp"
#include "values.hpp"

namespace starling {

using network::population_data;
using runtime::access;

simulator::simulator(const kernel_options& options) : impl_(std::make_unique<impl>(options)) {}
simulator::~simulator() = default;

bool cuda_available() { return STARLING_HAVE_CUDA && runtime::cuda_device_count() > 0; }

namespace {

model_description describe_synapse(const network::synapse_model_spec& m) {
  model_description d;
  d.name = m.name;
  d.is_neuron = false;
  d.is_synapse = true;
  d.plastic = m.plastic;
  for (const auto& q : m.parameters) {
    d.parameters.emplace_back(q.name);
    d.parameter_defaults.push_back(q.default_value);
    d.parameter_units.emplace_back(q.unit);
  }
  return d;
}

}  // namespace

model_description describe(const std::string& model) {
  if (const network::synapse_model_spec* s = network::synapse_model_named(model))
    return describe_synapse(*s);
  const network::model_spec& m = network::find_model(model);
  model_description d;
  d.name = m.name;
  d.is_neuron = m.is_neuron();
  d.exact_integration = m.exact_integration;
  for (const auto& a : m.arrays) {
    std::vector<double> list;
    const auto count =
        static_cast<int>(m.parameters[static_cast<std::size_t>(a.count)].default_value);
    for (int r = 0; r < count; ++r)
      list.push_back(m.parameters[static_cast<std::size_t>(a.first + r)].default_value);
    d.parameters.emplace_back(a.name);
    d.parameter_defaults.push_back(std::nan(""));
    d.parameter_units.push_back(m.parameters[static_cast<std::size_t>(a.first)].unit);
    d.parameter_lists[a.name] = list;
  }
  for (const auto& q : m.parameters)
    if (!network::internal_name(q.name)) {
      d.parameters.emplace_back(q.name);
      d.parameter_defaults.push_back(q.default_value);
      d.parameter_units.emplace_back(q.unit);
    }
  for (const char* l : m.lists) {
    const std::string name = l;
    d.parameters.push_back(name);
    d.parameter_defaults.push_back(std::nan(""));
    d.parameter_units.emplace_back(name == "amplitude_values"                ? "pA"
                                   : name.find("times") != std::string::npos ? "ms"
                                                                             : "");
    d.parameter_lists[name] = {};
  }
  for (int i = 0; i < m.n_public_states; ++i) {
    const auto& q = m.states[static_cast<std::size_t>(i)];
    d.states.emplace_back(q.name);
    d.state_defaults.push_back(q.default_value);
    d.state_units.emplace_back(q.unit);
  }
  return d;
}

std::vector<std::string> models() {
  std::vector<std::string> names;
  for (const auto& m : network::all_models()) names.emplace_back(m.name);
  return names;
}

std::vector<std::string> synapse_models() {
  std::vector<std::string> names;
  for (const auto& m : network::all_synapse_models()) names.emplace_back(m.name);
  return names;
}

population simulator::impl::add_population(int owner, const std::string& model, std::size_t n,
                                           const value_map& params, bool collective) {
  const network::model_spec& spec = network::find_model(model);
  if (n == 0 || n > 0xffffffffu)
    throw invalid_argument("create: " + model + " of size " + std::to_string(n) +
                           "; expected 1 to 2^32 - 1 members");
  const bool mine = owner == comm.rank();
  const bool hold = mine || (collective && !spec.is_neuron());
  if (hold) {
    const double per_member = static_cast<double>(
        (spec.states.size() + static_cast<std::size_t>(spec.n_coeffs)) * sizeof(double) +
        2 * sizeof(std::int64_t) * static_cast<std::size_t>(spec.n_receptors) +
        2 * sizeof(std::uint32_t));
    check_fits(per_member * static_cast<double>(n), "create " + model);
  }
  auto p = std::make_unique<population_data>(spec, static_cast<std::int64_t>(n), next_gid, owner,
                                             mine, hold);
  // NEST's noise_generator draws every 10 steps by default, whatever the resolution.
  if (hold && spec.kind == network::model_kind::noise_generator)
    std::fill_n(p->params.begin() + codelets::noise_generator::dt * static_cast<std::ptrdiff_t>(n),
                n, codelets::noise_generator::default_dt_steps * opts.resolution);
  for (const auto& [name, v] : params) {
    // Every process draws the same keys, whether or not it holds the population.
    const std::uint64_t key = next_member_key();
    if (hold) network::assign(*p, name, v, opts.resolution, now, key, false);
  }
  // One derivation for all parameters: per assignment it costs as much as drawing the states.
  // The lists are checked together (spike_times with spike_weights, ...), after the parameters
  // (origin).
  if (hold) {
    p->derive(opts.resolution);
    p->build_tables(opts.resolution, now);
  }
  unprepare();
  pops.push_back(std::move(p));
  next_gid += n;
  return population{pops.size() - 1, n};
}

population simulator::create(const std::string& model, std::size_t n, const value_map& params) {
  return impl_->add_population(impl_->comm.rank(), model, n, params, false);
}

population simulator::remote_create(int rank, const std::string& model, std::size_t n,
                                    const value_map& params) {
  if (rank < 0 || rank >= impl_->comm.size())
    throw invalid_argument("remote_create: rank " + std::to_string(rank) + "; expected 0 to " +
                           std::to_string(impl_->comm.size() - 1));
  impl_->agree("remote_create " + model, (static_cast<std::uint64_t>(rank) << 40) ^ n);
  return impl_->add_population(rank, model, n, params, true);
}

void simulator::impl::agree(const std::string& what, std::uint64_t signature) {
  if (comm.size() == 1) return;
  const auto call = static_cast<std::int64_t>(collectives++);
  const std::uint64_t mine = codelets::philox_key(signature, static_cast<std::uint64_t>(call)) >> 2;
  const auto v = static_cast<std::int64_t>(mine);
  if (comm.min(v) != comm.max(v))
    throw invalid_argument(what + ": the processes disagree on collective call " +
                           std::to_string(call) +
                           " (a process skipped or changed a remote_create, remote_connect or "
                           "simulate call)");
}

int simulator::rank() const { return impl_->comm.rank(); }

void abort_run(const std::string& message) { runtime::communicator::world().abort(message); }

int processes_of_run() { return runtime::communicator::world().size(); }

std::size_t simulator::total_connections() const {
  std::size_t total = 0;
  for (std::uint64_t n : impl_->comm.all_gather({num_connections()})) total += n;
  return total;
}
int simulator::processes() const { return impl_->comm.size(); }
int simulator::rank_of(const population& p) const { return impl_->pop(p).rank; }
exchange_stats simulator::exchange() const {
  impl_->engine.wait_all();
  exchange_stats s = impl_->stats;
  impl_->add_exchange_figures(s);
  return s;
}

exchange_neighbours simulator::neighbours() {
  impl_->prepare();
  exchange_neighbours n;
  if (const auto& x = impl_->exchange_plan) {
    n.send_to.assign(x->send_to.begin(), x->send_to.end());
    n.receive_from.assign(x->receive_from.begin(), x->receive_from.end());
  }
  return n;
}

spike_data simulator::gather_spikes(const recorder& r) const {
  const spike_data& mine = spikes(r);
  const double h = impl_->opts.resolution;
  std::vector<std::uint64_t> flat;
  for (std::size_t k = 0; k < mine.time.size(); ++k)
    flat.push_back((static_cast<std::uint64_t>(std::llround(mine.time[k] / h)) << 32) |
                   mine.index[k]);
  std::vector<std::uint64_t> all = impl_->comm.all_gather(flat);
  std::sort(all.begin(), all.end());
  spike_data out;
  for (std::uint64_t e : all) {
    out.time.push_back(static_cast<double>(e >> 32) * h);
    out.index.push_back(static_cast<std::uint32_t>(e & 0xffffffffu));
  }
  return out;
}

recorder simulator::record_spikes(const population& p, const recording_window& window) {
  const network::model_kind kind = impl_->pop(p).model->kind;
  if (kind == network::model_kind::dc_generator ||
      kind == network::model_kind::step_current_generator ||
      kind == network::model_kind::noise_generator)
    throw invalid_argument(std::string("record_spikes: population ") + std::to_string(p.id) +
                           " is a " + impl_->pop(p).model->name +
                           ", which sends currents, not spikes; expected neurons or a spike "
                           "or poisson generator");
  const double h = impl_->opts.resolution;
  double t_min = 0.0, t_max = 0.0;
  codelets::device_window("spike_recorder", window.origin, window.start, window.stop, h, &t_min,
                          &t_max);
  impl_->unprepare();
  auto r = std::make_unique<network::spike_recorder>();
  r->pop = p.id;
  r->t_min = static_cast<std::int64_t>(t_min);
  r->t_max = static_cast<std::int64_t>(t_max);
  impl_->spike_recs.push_back(std::move(r));
  impl_->recorder_kinds.push_back(recorder_kind::spikes);
  impl_->recorder_slot.push_back(impl_->spike_recs.size() - 1);
  return recorder{impl_->recorder_kinds.size() - 1};
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
  impl_->recorder_kinds.push_back(recorder_kind::states);
  impl_->recorder_slot.push_back(impl_->state_recs.size() - 1);
  return recorder{impl_->recorder_kinds.size() - 1};
}

recorder simulator::record_weights() {
  impl_->weight_recs.emplace_back();
  impl_->recorder_kinds.push_back(recorder_kind::weights);
  impl_->recorder_slot.push_back(impl_->weight_recs.size() - 1);
  return recorder{impl_->recorder_kinds.size() - 1};
}

void simulator::prepare() { impl_->prepare(); }

void simulator::simulate(double duration) {
  const std::int64_t steps = network::duration_steps(duration, impl_->opts.resolution);
  if (steps > std::numeric_limits<std::int64_t>::max() / 2 - impl_->now)
    throw invalid_argument("simulate: " + std::to_string(steps) + " steps after " +
                           std::to_string(impl_->now) +
                           " would pass the step counter's range; expected fewer than 2^62 in all");
  impl_->agree("simulate", static_cast<std::uint64_t>(steps));
  // Generator amplitudes may have changed since connect.
  impl_->check_ring_range("simulate");
  impl_->prepare();
  auto& m = *impl_;
  m.pre_run();
  runtime::slice_stages stages;
  // Spike recorders alternate sides by slice: the host reads a slice's spikes while the next
  // slice records into the other side.
  const std::int64_t origin = m.now;
  auto side_of = [&m, origin](std::int64_t first) {
    return static_cast<int>(((first - origin) / m.slice) & 1);
  };
  // Several processes: the slice-end tasks follow each other by explicit dependencies (see
  // slice_links), kept while the run lasts (destroyed after it: it waits for them).
  const bool several = m.comm.size() > 1;
  slice_links links;
  stages.advance = [&m, side_of, several, &links](std::int64_t first, std::int64_t n) {
    runtime::task_order order;
    if (several) {
      // The exchange before read the outboxes this slice writes.
      if (!m.outboxes.empty()) order.after = links.exchanged;
      order.keep = &links.recorded;
    }
    if (m.slice == 1)
      codelets::advance::insert_per_step(m.plan, first, n, side_of(first), order);
    else
      codelets::advance::insert(m.plan, first, n, side_of(first), order);
  };
  if (several)
    // Several processes: the device-side compaction into outboxes is part of advance; then one
    // exchange task and the remote deliveries, with no wait on the host. One process has
    // nothing to exchange, and consecutive slices follow from the data they share.
    stages.exchange = [&m, &links](std::int64_t first, std::int64_t) {
      m.submit_exchange(first, links);
    };
  const bool weights = m.records_weights();
  if (!m.spike_recs.empty() || !m.state_recs.empty() || weights)
    stages.after = [&m, side_of, weights](std::int64_t first, std::int64_t n) {
      for (auto& r : m.spike_recs)
        if (m.pops[r->pop]->local) r->flush(first, m.opts.resolution, side_of(first));
      for (auto& r : m.state_recs)
        if (m.pops[r->pop]->local) r->flush(first, n, m.opts.resolution);
      if (weights) m.flush_weights();
    };
  // State samples and recorded weights have one buffer, which the next slice overwrites: read
  // before it.
  stages.after_lags = m.state_recs.empty() && !weights;
  // Progress follows finished work: each slice's report waits for the tasks that write the
  // data of the plan (the slice's last writers), without blocking submission.
  std::unique_ptr<network::progress_report> report;
  std::function<void(std::int64_t)> progress;
  if (m.opts.progress) {
    report = std::make_unique<network::progress_report>(
        steps, m.opts.resolution, static_cast<double>(m.now) * m.opts.resolution,
        m.comm.rank() == 0);
    std::vector<runtime::handle> written;
    for (std::size_t i = 0; i < m.plan.handles.size(); ++i)
      if (m.plan.modes[i] != runtime::access::read) written.push_back(m.plan.handles[i]);
    progress = [&report, written](std::int64_t done) { report->after(written, done); };
  }
  try {
    runtime::run_slices(m.now, steps, m.slice, stages, progress);
    m.engine.wait_all();
    if (report) report->finish();
  } catch (...) {
    // Reports still pending keep their state alive; none is waited for on this path.
    m.now += steps;
    throw;
  }
  m.now += steps;
  m.check_plasticity();
}

std::vector<double> simulator::get(const population& p, const std::string& name) const {
  population_data& data = impl_->local_pop(p, "get");
  if (impl_->prepared) {
    runtime::host_access hold(data.b_state, access::read);
    return network::read(data, name);
  }
  return network::read(data, name);
}

void simulator::set(const population& p, const std::string& name, const value& v) {
  population_data& data = impl_->pop(p);
  if (data.model->list_index(name) >= 0) {
    if (!data.held) return;  // the processes holding it apply it
    impl_->unprepare();      // the tables change size
    network::assign(data, name, v, impl_->opts.resolution, impl_->now, 0);
    return;
  }
  // A neuron population whose members share their coefficients carries them in its update
  // operation (the batched GPU update reads them from there): prepare it again.
  if (data.model->is_neuron() && data.model->parameter_index(name) >= 0) impl_->unprepare();
  // Every process draws the key, so random streams stay in step whoever holds the population.
  const std::uint64_t key = impl_->next_member_key();
  if (!data.held) return;  // the processes holding it apply it
  if (impl_->prepared) {
    runtime::host_access hs(data.b_state, access::read_write);
    runtime::host_access hc(data.b_coeff, access::read_write);
    network::assign(data, name, v, impl_->opts.resolution, impl_->now, key);
    return;
  }
  network::assign(data, name, v, impl_->opts.resolution, impl_->now, key);
}

void simulator::set_spike_times(const population& p,
                                const std::vector<std::vector<double>>& times) {
  population_data& data = impl_->pop(p);
  if (data.model->kind != network::model_kind::spike_generator)
    throw invalid_argument(std::string(data.model->name) +
                           ": has no spike_times; expected a spike_generator");
  set_lists(p, {{"spike_times", times}});
}

void simulator::set_lists(const population& p, const list_map& lists) {
  population_data& data = impl_->pop(p);
  if (!data.held) return;  // the processes holding it apply it
  impl_->unprepare();      // the tables change size
  network::assign_lists(data, lists, impl_->opts.resolution, impl_->now);
}

const spike_data& simulator::spikes(const recorder& r) const {
  if (r.id >= impl_->recorder_kinds.size() || impl_->recorder_kinds[r.id] != recorder_kind::spikes)
    throw invalid_argument("spikes: recorder " + std::to_string(r.id) + " is not a spike recorder");
  return impl_->spike_recs[impl_->recorder_slot[r.id]]->data;
}

const sample_data& simulator::samples(const recorder& r) const {
  if (r.id >= impl_->recorder_kinds.size() || impl_->recorder_kinds[r.id] != recorder_kind::states)
    throw invalid_argument("samples: recorder " + std::to_string(r.id) +
                           " is not a state recorder");
  return impl_->state_recs[impl_->recorder_slot[r.id]]->data;
}

const weight_data& simulator::weights(const recorder& r) const {
  if (r.id >= impl_->recorder_kinds.size() || impl_->recorder_kinds[r.id] != recorder_kind::weights)
    throw invalid_argument("weights: recorder " + std::to_string(r.id) +
                           " is not a weight recorder");
  return impl_->weight_recs[impl_->recorder_slot[r.id]];
}

double simulator::time() const { return static_cast<double>(impl_->now) * impl_->opts.resolution; }
double simulator::resolution() const { return impl_->opts.resolution; }
std::int64_t simulator::slice_steps() const {
  if (impl_->prepared) return impl_->slice;
  return impl_->chosen_slice();
}
std::string simulator::device() const {
  return impl_->use_cuda ? "cuda:" + runtime::cuda_device_name(impl_->cuda_device) : "cpu";
}
std::vector<std::vector<int>> simulator::worker_cores() const {
  return impl_->engine.worker_cores();
}
std::string simulator::model_of(const population& p) const { return impl_->pop(p).model->name; }

}  // namespace starling
