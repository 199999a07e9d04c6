#include "model_registry.hpp"

#include <algorithm>
#include <iterator>

#include "codelets/dc_generator/dc_generator_math.hpp"
#include "codelets/neuron/neuron.hpp"
#include "codelets/noise_generator/noise_generator_math.hpp"
#include "codelets/poisson_generator/poisson_generator_math.hpp"
#include "codelets/spike_generator/spike_generator_math.hpp"
#include "codelets/step_current_generator/step_current_generator_math.hpp"
#include "starling/error.hpp"

namespace starling::network {

namespace cl = codelets;

namespace {

template <typename Args>
cl::advance::op device_op(const cl::op_buffers& io, std::int64_t n, std::int64_t,
                          const std::vector<double>&) {
  Args a;
  a.io = io;
  a.n = n;
  return a;
}

template <typename M>
cl::advance::op neuron_op(const cl::op_buffers& io, std::int64_t n, std::int64_t slots,
                          const std::vector<double>& uniform) {
  cl::neuron::args a;
  a.io = io;
  a.model = cl::models::index_of<M>(cl::models::all{});
  a.n = n;
  a.ring_slots = slots;
  a.uniform = uniform.size() == M::n_coeffs;
  if (a.uniform) std::copy(uniform.begin(), uniform.end(), a.coeff);
  return a;
}

template <typename Table>
std::vector<cl::quantity> rows(const Table& t) {
  return std::vector<cl::quantity>(std::begin(t), std::end(t));
}

/// The registry's row of neuron model M (its interface: codelets/models/neuron_model.hpp).
template <typename M>
model_spec neuron_spec() {
  model_spec s{M::name,
               model_kind::neuron,
               rows(M::parameters),
               rows(M::states),
               M::n_public_states,
               M::n_coeffs,
               M::n_channels,
               -1,
               -1,
               M::current_channel,
               &M::derive,
               &neuron_op<M>,
               cl::deliver::source_kind::spike,
               M::refractory_coeff};
  // Every neuron keeps the trace its plastic input synapses read (NEST's ArchivingNode).
  s.parameters.push_back({"tau_minus", 20.0, "ms"});
  s.receptors = M::receptors;
  if constexpr (M::receptors == cl::models::receptor_scheme::by_sign) {
    s.excitatory_channel = M::excitatory_channel;
    s.inhibitory_channel = M::inhibitory_channel;
  } else {
    s.port_count = M::port_count;
  }
  for (int k = 0; k < M::n_array_parameters; ++k) s.arrays.push_back(M::array_parameters[k]);
  s.max_spikes_per_step = M::max_spikes_per_step;
  s.exact_integration = M::exact_integration;
  s.counts_spikes = cl::models::counts_spikes<M>::value;
  s.model_index = cl::models::index_of<M>(cl::models::all{});
  return s;
}

}  // namespace

std::int64_t spikes_per_member_bound(const model_spec& model, const std::vector<double>& coeff,
                                     std::int64_t n, std::int64_t steps) {
  // Members that send several spikes in a step (a parrot repeating its inputs, an AdEx neuron
  // without refractoriness) have no proven bound: room for a few per step, and a recorder that
  // overflows says so.
  const std::int64_t per_step = model.max_spikes_per_step == 0   ? 2
                                : model.max_spikes_per_step > 1 ? model.max_spikes_per_step
                                                                 : 1;
  if (model.refractory_coeff < 0 || n == 0) return steps * per_step;
  const auto row = coeff.begin() + model.refractory_coeff * n;
  const double shortest = std::max(0.0, *std::min_element(row, row + n));
  if (shortest < 1.0) return steps * per_step;
  // A refractory member spikes at most once in a step and once per refractory period.
  const auto gap = static_cast<std::int64_t>(shortest) + 1;
  return std::min(steps, (steps + gap - 1) / gap + 1);
}

namespace {

std::vector<model_spec> make_models() {
  using source = cl::deliver::source_kind;
  std::vector<model_spec> m;
  cl::models::for_each_model(cl::models::all{}, [&](auto tag, int) {
    m.push_back(neuron_spec<typename decltype(tag)::type>());
  });
  m.push_back({"spike_generator", model_kind::spike_generator,
               rows(cl::spike_generator::parameters), rows(cl::spike_generator::states),
               cl::spike_generator::n_public_states, cl::spike_generator::n_coeffs, 0, -1, -1, -1,
               &cl::spike_generator::derive, &device_op<cl::spike_generator::args>, source::spike});
  m.back().lists.assign(std::begin(cl::spike_generator::lists),
                        std::end(cl::spike_generator::lists));
  m.push_back({"dc_generator", model_kind::dc_generator, rows(cl::dc_generator::parameters),
               rows(cl::dc_generator::states), cl::dc_generator::n_public_states,
               cl::dc_generator::n_coeffs, 0, -1, -1, -1, &cl::dc_generator::derive,
               &device_op<cl::dc_generator::args>, source::current});
  m.push_back({"poisson_generator", model_kind::poisson_generator,
               rows(cl::poisson_generator::parameters), rows(cl::poisson_generator::states),
               cl::poisson_generator::n_public_states, cl::poisson_generator::n_coeffs, 0, -1, -1,
               -1, &cl::poisson_generator::derive, &device_op<cl::poisson_generator::args>,
               source::poisson});
  m.push_back({"step_current_generator", model_kind::step_current_generator,
               rows(cl::step_current_generator::parameters),
               rows(cl::step_current_generator::states),
               cl::step_current_generator::n_public_states, cl::step_current_generator::n_coeffs,
               0, -1, -1, -1, &cl::step_current_generator::derive,
               &device_op<cl::step_current_generator::args>, source::step_current});
  m.back().lists.assign(std::begin(cl::step_current_generator::lists),
                        std::end(cl::step_current_generator::lists));
  m.push_back({"noise_generator", model_kind::noise_generator,
               rows(cl::noise_generator::parameters), rows(cl::noise_generator::states),
               cl::noise_generator::n_public_states, cl::noise_generator::n_coeffs, 0, -1, -1, -1,
               &cl::noise_generator::derive, &device_op<cl::noise_generator::args>,
               source::noise_current});
  m.back().pre_run = [](const double* c, double t, bool new_targets, double* s) {
    namespace ng = cl::noise_generator;
    ng::restart(c, t, &s[ng::y_0], &s[ng::y_1]);
    // NEST draws new amplitudes for all targets when their number has changed.
    if (new_targets) s[ng::next_draw] = 0.0;
  };
  return m;
}

}  // namespace

int model_spec::parameter_index(const std::string& n) const {
  for (std::size_t i = 0; i < parameters.size(); ++i)
    if (n == parameters[i].name) return static_cast<int>(i);
  return -1;
}

int model_spec::state_index(const std::string& n) const {
  for (int i = 0; i < n_public_states; ++i)
    if (n == states[static_cast<std::size_t>(i)].name) return i;
  return -1;
}

int model_spec::list_index(const std::string& n) const {
  for (std::size_t i = 0; i < lists.size(); ++i)
    if (n == lists[i]) return static_cast<int>(i);
  return -1;
}

const cl::models::array_parameter* model_spec::array(const std::string& n) const {
  for (const auto& a : arrays)
    if (n == a.name) return &a;
  return nullptr;
}

const std::vector<model_spec>& all_models() {
  static const std::vector<model_spec> models = make_models();
  return models;
}

const model_spec& find_model(const std::string& name) {
  std::string known;
  for (const model_spec& m : all_models()) {
    if (name == m.name) return m;
    known += known.empty() ? m.name : std::string(", ") + m.name;
  }
  throw invalid_argument("create: unknown model '" + name + "'; expected one of " + known);
}

int receptor_channel(const model_spec& target, codelets::deliver::source_kind sends, int port,
                     int ports) {
  if (!target.is_neuron())
    throw invalid_argument(std::string("connect: target model ") + target.name +
                           " is a device; expected a neuron model");
  const bool current = codelets::deliver::sends_current(sends);
  if (current && target.current_channel < 0)
    throw invalid_argument(std::string("connect: ") + target.name + " takes no current input");
  if (current) {
    if (port != 0)
      throw invalid_argument("connect: receptor " + std::to_string(port) + " for " + target.name +
                             "; expected 0 for a current");
    return target.current_channel;
  }
  if (target.receptors == cl::models::receptor_scheme::by_port) {
    if (port < 1 || port > ports)
      throw invalid_argument(
          "connect: receptor " + std::to_string(port) + " for " + target.name +
          (ports == 0 ? std::string(", which has no receptors yet (set its receptor lists first)")
                      : "; expected 1 to " + std::to_string(ports)));
    return port - 1;
  }
  if (target.counts_spikes) {
    // NEST's parrot: receptor 0 repeats, receptor 1 takes spikes it does not repeat.
    if (port != 0 && port != 1)
      throw invalid_argument("connect: receptor " + std::to_string(port) + " for " + target.name +
                             "; expected 0 (repeated) or 1 (not repeated)");
    return port;
  }
  if (port != 0)
    throw invalid_argument("connect: receptor " + std::to_string(port) + " for " + target.name +
                           "; expected 0 (the sign of the weight selects the synapse type)");
  return -1;
}

}  // namespace starling::network
