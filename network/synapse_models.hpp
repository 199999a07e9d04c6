#pragma once
// The synapse models `connect` accepts: static_synapse and NEST's STDP models, with NEST's
// parameter names and defaults (NEST 3.10, tests/data/nest/stdp/cases.json).
#include <map>
#include <string>
#include <vector>

#include "codelets/common/quantity.hpp"
#include "codelets/plasticity/stdp_math.hpp"
#include "starling/types.hpp"

namespace starling::network {

struct synapse_model_spec {
  const char* name;
  bool plastic;
  codelets::plasticity::stdp_rule rule;
  std::vector<codelets::quantity> parameters;  ///< NEST's names and defaults
};

/// The model called `name`, or null.
const synapse_model_spec* synapse_model_named(const std::string& name);

/// The model called `name`; throws invalid_argument listing the known models.
const synapse_model_spec& find_synapse_model(const std::string& name);

/// Every synapse model, static_synapse first.
const std::vector<synapse_model_spec>& all_synapse_models();

/// A plastic model's parameters for one connect call: the defaults, overridden by `given`
/// (unknown names and bad values are refused, naming them); checks a scalar weight against the
/// model (same sign as Wmax; >= 0 for stdp_pl_synapse_hom).
codelets::plasticity::stdp_params stdp_params_of(const synapse_model_spec& m,
                                                 const std::map<std::string, double>& given,
                                                 const value& weight, double h);

/// Post history spikes kept per target neuron by default (kernel_options::stdp_history).
inline constexpr std::int64_t default_history = 64;

}  // namespace starling::network
