// The model registry, which the model list (codelets/models/models.cmake) drives: the docs list
// every model, and every neuron model's parameters and states carry NEST 3.10's names and
// defaults (tests/data/nest/defaults.json, from scripts/nest_reference.py).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "starling/simulator.hpp"

namespace {

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> neuron_models() {
  std::vector<std::string> out;
  for (const std::string& m : starling::models())
    if (starling::describe(m).is_neuron) out.push_back(m);
  return out;
}

TEST(ModelRegistry, DocsListEveryNeuronModel) {
  const std::string docs =
      file_text(std::string(STARLING_TEST_DATA) + "/../../codelets/models/README.md");
  ASSERT_FALSE(docs.empty());
  for (const std::string& m : neuron_models())
    EXPECT_NE(docs.find("| `" + m + "` |"), std::string::npos) << m << " is not in the model docs";
}

TEST(ModelRegistry, ParametersAndStatesHaveNestNamesAndDefaults) {
  std::ifstream in(std::string(STARLING_TEST_DATA) + "/nest/defaults.json");
  ASSERT_TRUE(in) << "tests/data/nest/defaults.json is missing (scripts/nest_reference.sh)";
  const nlohmann::json nest = nlohmann::json::parse(in);
  int checked = 0;
  for (const std::string& m : neuron_models()) {
    ASSERT_TRUE(nest.at("models").contains(m)) << m << " has no NEST defaults";
    // The model's own parameters, and those every NEST neuron has through its archiving base
    // (tau_minus, which plastic synapses read).
    nlohmann::json ref = nest.at("models").at(m).at("params");
    for (const auto& [k, v] : nest.at("models").at(m).at("common").items())
      if (k == "tau_minus") ref[k] = v;
    const auto recordables =
        nest.at("models").at(m).at("recordables").get<std::vector<std::string>>();
    const starling::model_description d = starling::describe(m);
    auto number = [](const nlohmann::json& v) {
      return v.is_string() ? std::stod(v.get<std::string>()) : v.get<double>();
    };
    auto expect = [&](const std::string& name, double mine, bool state) {
      if (state && !ref.contains(name)) {
        // Recordable but not settable in NEST (synaptic currents): its name must be NEST's.
        // Per-receptor states X_k: NEST's node with one receptor lists X_1.
        const auto under = name.find_last_of('_');
        const bool per_receptor =
            under != std::string::npos &&
            name.find_first_not_of("0123456789", under + 1) == std::string::npos &&
            std::find(recordables.begin(), recordables.end(), name.substr(0, under) + "_1") !=
                recordables.end();
        if (per_receptor) return;
        EXPECT_NE(std::find(recordables.begin(), recordables.end(), name), recordables.end())
            << m << ": state " << name << " is not a NEST state or recordable";
        return;
      }
      ASSERT_TRUE(ref.contains(name)) << m << ": " << name << " is not a NEST parameter";
      const double x = number(ref.at(name));
      if (std::isinf(x))
        EXPECT_EQ(mine, x) << m << ": " << name;
      else
        EXPECT_NEAR(mine, x, 1e-12 * std::max(1.0, std::fabs(x))) << m << ": " << name;
      ++checked;
    };
    for (std::size_t k = 0; k < d.parameters.size(); ++k) {
      const std::string& p = d.parameters[k];
      if (std::isnan(d.parameter_defaults[k])) {
        ASSERT_TRUE(ref.contains(p)) << m << ": " << p << " is not a NEST parameter";
        EXPECT_EQ(d.parameter_lists.at(p), ref.at(p).get<std::vector<double>>()) << m << ": " << p;
        ++checked;
      } else {
        expect(p, d.parameter_defaults[k], false);
      }
    }
    for (std::size_t k = 0; k < d.states.size(); ++k)
      expect(d.states[k], d.state_defaults[k], true);
  }
  EXPECT_GT(checked, 10);
}

}  // namespace
