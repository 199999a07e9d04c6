#include "starling/simulator.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>

#include "codelets/advance/advance.hpp"
#include "codelets/exchange/exchange.hpp"
#include "model_registry.hpp"
#include "runtime/slice_scheduler.hpp"
#include "simulator_impl.hpp"
#include "starling/config.hpp"
#include "values.hpp"

namespace starling {

using network::population_data;
using runtime::access;

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

}  // namespace starling
