#include "synapse_models.hpp"

#include <cmath>

#include "starling/error.hpp"

namespace starling::network {

namespace {

using codelets::plasticity::stdp_rule;

std::vector<codelets::quantity> stdp_parameters() {
  return {{"tau_plus", 20.0, "ms"}, {"lambda", 0.01, ""},  {"alpha", 1.0, ""},
          {"mu_plus", 1.0, ""},     {"mu_minus", 1.0, ""}, {"Wmax", 100.0, "pA"}};
}

std::vector<synapse_model_spec> make_synapse_models() {
  return {{"static_synapse", false, stdp_rule::stdp, {}},
          {"stdp_synapse", true, stdp_rule::stdp, stdp_parameters()},
          {"stdp_pl_synapse_hom",
           true,
           stdp_rule::pl_hom,
           {{"tau_plus", 20.0, "ms"}, {"lambda", 0.1, ""}, {"alpha", 1.0, ""}, {"mu", 0.4, ""}}},
          {"stdp_nn_symm_synapse", true, stdp_rule::nn_symm, stdp_parameters()},
          {"stdp_nn_pre_centered_synapse", true, stdp_rule::nn_pre_centered, stdp_parameters()},
          {"stdp_nn_restr_synapse", true, stdp_rule::nn_restr, stdp_parameters()}};
}

}  // namespace

const std::vector<synapse_model_spec>& all_synapse_models() {
  static const std::vector<synapse_model_spec> models = make_synapse_models();
  return models;
}

const synapse_model_spec* synapse_model_named(const std::string& name) {
  for (const auto& m : all_synapse_models())
    if (m.name == name) return &m;
  return nullptr;
}

const synapse_model_spec& find_synapse_model(const std::string& name) {
  if (const synapse_model_spec* m = synapse_model_named(name)) return *m;
  std::string known;
  for (const auto& m : all_synapse_models())
    known += (known.empty() ? "" : ", ") + std::string(m.name);
  throw invalid_argument("connect: synapse model '" + name + "'; expected one of " + known);
}

codelets::plasticity::stdp_params stdp_params_of(const synapse_model_spec& m,
                                                 const std::map<std::string, double>& given,
                                                 const value& weight, double h) {
  std::map<std::string, double> v;
  std::string names;
  for (const auto& q : m.parameters) {
    v[q.name] = q.default_value;
    names += (names.empty() ? "" : ", ") + std::string(q.name);
  }
  for (const auto& [name, x] : given) {
    if (v.count(name) == 0)
      throw invalid_argument("connect: " + std::string(m.name) + " has no parameter '" + name +
                             "'" + (names.empty() ? "" : "; expected one of " + names));
    if (!std::isfinite(x))
      throw invalid_argument("connect: " + std::string(m.name) + " parameter " + name + " = " +
                             codelets::number(x) + "; expected a finite number");
    v[name] = x;
  }
  codelets::plasticity::stdp_params p;
  p.rule = m.rule;
  p.h = h;
  p.tau_plus = v["tau_plus"];
  p.lambda = v["lambda"];
  p.alpha = v["alpha"];
  if (p.tau_plus <= 0.0)
    throw invalid_argument("connect: " + std::string(m.name) +
                           " tau_plus = " + codelets::number(p.tau_plus) + " ms; expected > 0");
  const double* w = std::get_if<double>(&weight);
  if (m.rule == stdp_rule::pl_hom) {
    p.mu_plus = v["mu"];
    if (w != nullptr && *w < 0.0)
      throw invalid_argument("connect: stdp_pl_synapse_hom weight " + codelets::number(*w) +
                             "; expected >= 0 (the rule clips at 0 and has no upper bound)");
    return p;
  }
  p.mu_plus = v["mu_plus"];
  p.mu_minus = v["mu_minus"];
  p.w_max = v["Wmax"];
  if (p.w_max == 0.0)
    throw invalid_argument("connect: " + std::string(m.name) +
                           " Wmax = 0; expected a weight "
                           "bound with the sign of the weights");
  if (w != nullptr && *w * p.w_max < 0.0)
    throw invalid_argument("connect: " + std::string(m.name) + " weight " + codelets::number(*w) +
                           " and Wmax " + codelets::number(p.w_max) +
                           " differ in sign; expected the same sign (NEST)");
  return p;
}

}  // namespace starling::network
