#include "model_registry.hpp"
#include <algorithm>

#include <iterator>

#include "codelets/dc_generator/dc_generator_math.hpp"
#include "codelets/iaf_psc_exp/iaf_psc_exp_math.hpp"
#include "codelets/poisson_generator/poisson_generator_math.hpp"
#include "codelets/spike_generator/spike_generator_math.hpp"
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

cl::advance::op iaf_psc_exp_op(const cl::op_buffers& io, std::int64_t n, std::int64_t slots,
                               const std::vector<double>& uniform) {
  cl::iaf_psc_exp::args a;
  a.io = io;
  a.n = n;
  a.ring_slots = slots;
  a.uniform = uniform.size() == cl::iaf_psc_exp::n_coeffs;
  if (a.uniform) std::copy(uniform.begin(), uniform.end(), a.coeff);
  return a;
}

template <typename Table>
std::vector<cl::quantity> rows(const Table& t) {
  return std::vector<cl::quantity>(std::begin(t), std::end(t));
}

}  // namespace

std::int64_t spikes_per_member_bound(const model_spec& model, const std::vector<double>& coeff,
                                     std::int64_t n, std::int64_t steps) {
  if (model.refractory_coeff < 0 || n == 0) return steps;
  const auto row = coeff.begin() + model.refractory_coeff * n;
  const double shortest = std::max(0.0, *std::min_element(row, row + n));
  const auto gap = static_cast<std::int64_t>(shortest) + 1;
  return std::min(steps, (steps + gap - 1) / gap + 1);
}

namespace {

std::vector<model_spec> make_models() {
  using source = cl::deliver::source_kind;
  std::vector<model_spec> m;
  m.push_back({"iaf_psc_exp", model_kind::neuron, rows(cl::iaf_psc_exp::parameters),
               rows(cl::iaf_psc_exp::states), cl::iaf_psc_exp::n_public_states,
               cl::iaf_psc_exp::n_coeffs, cl::iaf_psc_exp::n_receptors, cl::iaf_psc_exp::rec_ex,
               cl::iaf_psc_exp::rec_in, cl::iaf_psc_exp::rec_current, &cl::iaf_psc_exp::derive,
               &iaf_psc_exp_op, source::spike, cl::iaf_psc_exp::c_refr});
  m.push_back({"spike_generator", model_kind::spike_generator,
               rows(cl::spike_generator::parameters), rows(cl::spike_generator::states),
               cl::spike_generator::n_public_states, cl::spike_generator::n_coeffs, 0, -1, -1, -1,
               &cl::spike_generator::derive, &device_op<cl::spike_generator::args>, source::spike});
  m.push_back({"dc_generator", model_kind::dc_generator, rows(cl::dc_generator::parameters),
               rows(cl::dc_generator::states), cl::dc_generator::n_public_states,
               cl::dc_generator::n_coeffs, 0, -1, -1, -1, &cl::dc_generator::derive,
               &device_op<cl::dc_generator::args>, source::current});
  m.push_back({"poisson_generator", model_kind::poisson_generator,
               rows(cl::poisson_generator::parameters), rows(cl::poisson_generator::states),
               cl::poisson_generator::n_public_states, cl::poisson_generator::n_coeffs, 0, -1, -1,
               -1, &cl::poisson_generator::derive, &device_op<cl::poisson_generator::args>,
               source::poisson});
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

int receptor_channel(const model_spec& target, codelets::deliver::source_kind sends, int port) {
  if (!target.is_neuron())
    throw invalid_argument(std::string("connect: target model ") + target.name +
                           " is a device; expected a neuron model");
  const bool current = sends == codelets::deliver::source_kind::current;
  if (current && target.current_channel < 0)
    throw invalid_argument(std::string("connect: ") + target.name + " takes no current input");
  if (port != 0)
    throw invalid_argument(
        "connect: receptor " + std::to_string(port) + " for " + target.name +
        (current ? "; expected 0 for a current"
                 : "; expected 0 (the sign of the weight selects the synapse type)"));
  return current ? target.current_channel : -1;
}

}  // namespace starling::network
