// `starling models [NAME...]`: the models `create` accepts and, in a group of their own, the
// synapse models of connections, or the parameters (and states) of the named ones with NEST's
// defaults and units (from the registries, which the model lists drive).
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "io/cli/commands.hpp"
#include "starling/simulator.hpp"

namespace starling::io::cli {

namespace {

void print_rows(const char* what, const std::vector<std::string>& names,
                const std::vector<double>& defaults, const std::vector<std::string>& units,
                const model_description& d) {
  for (std::size_t k = 0; k < names.size(); ++k) {
    std::string value;
    if (std::isnan(defaults[k])) {
      value = "[";
      for (double x : d.parameter_lists.at(names[k]))
        value += (value.size() > 1 ? ", " : "") + std::to_string(x);
      value += "]";
    } else {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%g", defaults[k]);
      value = buf;
    }
    std::printf("  %-9s %-16s %14s  %s\n", what, names[k].c_str(), value.c_str(),
                units[k].c_str());
  }
}

int models_main(const std::vector<std::string>& args) {
  if (!args.empty() && (args[0] == "-h" || args[0] == "--help")) {
    std::fputs(usage_of(models_command).c_str(), stdout);
    return 0;
  }
  if (args.empty()) {
    std::printf("neuron and device models (create):\n");
    for (const std::string& m : models()) {
      const model_description d = describe(m);
      std::printf("  %-30s %s\n", m.c_str(),
                  !d.is_neuron            ? "device"
                  : d.exact_integration ? "neuron, exact integration"
                                        : "neuron, adaptive RKF45 integration");
    }
    std::printf("synapse models (connect):\n");
    for (const std::string& m : synapse_models())
      std::printf("  %-30s %s\n", m.c_str(),
                  describe(m).plastic ? "synapse, plastic (STDP)" : "synapse, static");
    return 0;
  }
  for (const std::string& m : args) {
    const model_description d = describe(m);
    // A synapse model's parameters come beside the connection's own weight and delay.
    std::printf("%s%s\n", d.name.c_str(),
                !d.is_synapse ? ""
                : d.plastic   ? " (plastic synapse; weight in pA and delay in ms per connection)"
                              : " (static synapse; weight in pA and delay in ms per connection)");
    print_rows("parameter", d.parameters, d.parameter_defaults, d.parameter_units, d);
    print_rows("state", d.states, d.state_defaults, d.state_units, d);
  }
  return 0;
}

}  // namespace

const command models_command = {
    "models", "[NAME...]",
    "list the models create accepts and the synapse models, or the parameters and states of the "
    "named ones with NEST's defaults and units",
    "  NAME   a model name (iaf_psc_exp, stdp_synapse, ...)\n", &models_main};

}  // namespace starling::io::cli
