#pragma once
// The NEST reference protocols of tests/data/nest/cases.json (generated with NEST 3.10 by
// scripts/nest_reference.py) and their run in Starling: a neuron driven by spike generators
// (one per input, one_to_one, weight, delay, receptor), DC generators and I_e, with its states
// sampled every step and its spikes recorded.
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "starling/simulator.hpp"

namespace starling::testing {

struct nest_case {
  std::string name, model;
  nlohmann::json spec;
};

inline std::string nest_data(const std::string& file) {
  return std::string(STARLING_TEST_DATA) + "/nest/" + file;
}

/// The cases of models Starling has (all of them once every model is in the list).
inline std::vector<nest_case> nest_cases() {
  std::ifstream in(nest_data("cases.json"));
  if (!in) return {};
  const nlohmann::json all = nlohmann::json::parse(in);
  const std::vector<std::string> known = models();
  std::vector<nest_case> out;
  for (const auto& c : all.at("cases")) {
    const std::string model = c.at("model");
    for (const auto& k : known)
      if (k == model) out.push_back({c.at("name"), model, c});
  }
  return out;
}

/// A CSV of NEST's output: header names, then rows of numbers.
struct nest_table {
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;
};

inline nest_table read_nest_table(const std::string& file) {
  std::ifstream in(nest_data(file));
  if (!in) throw std::runtime_error("cannot open " + nest_data(file));
  nest_table t;
  std::string line;
  std::getline(in, line);
  std::istringstream head(line);
  for (std::string c; std::getline(head, c, ',');) t.columns.push_back(c);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream f(line);
    std::vector<double> row;
    for (std::string c; std::getline(f, c, ',');) row.push_back(std::stod(c));
    t.rows.push_back(row);
  }
  return t;
}

inline value json_value(const nlohmann::json& v) {
  if (v.is_array()) return v.get<std::vector<double>>();
  if (v.is_boolean()) return v.get<bool>() ? 1.0 : 0.0;
  return v.get<double>();
}

inline void PrintTo(const nest_case& c, std::ostream* os) { *os << c.name; }

/// What Starling produced for a case.
struct case_result {
  sample_data samples;
  spike_data spikes;
  std::vector<double> final_states;  ///< the recorded variables at the end
};

/// Runs a case; `sample` false records spikes only (the GPU then runs its batched step).
inline case_result run_nest_case(const nest_case& c, backend where, std::int64_t slice = 0,
                                 bool sample = true) {
  const nlohmann::json& s = c.spec;
  kernel_options o;
  o.where = where;
  o.resolution = s.at("resolution");
  o.slice_steps = slice;
  simulator sim(o);
  value_map params;
  const nlohmann::json given = s.value("params", nlohmann::json::object());
  for (const auto& [k, v] : given.items()) params[k] = json_value(v);
  auto n = sim.create(c.model, 1, params);
  const nlohmann::json initial = s.value("initial", nlohmann::json::object());
  for (const auto& [k, v] : initial.items()) sim.set(n, k, json_value(v));
  const nlohmann::json inputs = s.value("inputs", nlohmann::json::array());
  for (const auto& in : inputs) {
    auto g = sim.create("spike_generator", 1,
                        {{"spike_times", in.at("spike_times").get<std::vector<double>>()}});
    synapse syn;
    syn.weight = in.at("weight").get<double>();
    syn.delay = in.at("delay").get<double>();
    syn.receptor = in.value("receptor", 0);
    sim.connect(g, n, {"one_to_one"}, syn);
  }
  const nlohmann::json dcs = s.value("dc", nlohmann::json::array());
  for (const auto& dc : dcs) {
    value_map p{{"amplitude", dc.at("amplitude").get<double>()}};
    if (dc.contains("start")) p["start"] = dc.at("start").get<double>();
    if (dc.contains("stop")) p["stop"] = dc.at("stop").get<double>();
    auto g = sim.create("dc_generator", 1, p);
    synapse syn;
    syn.weight = 1.0;
    syn.delay = dc.value("delay", o.resolution);
    sim.connect(g, n, {"one_to_one"}, syn);
  }
  const auto vars = s.value("record", std::vector<std::string>{});
  recorder vm{};
  if (sample && !vars.empty()) vm = sim.record_states(n, vars, o.resolution);
  auto sr = sim.record_spikes(n);
  // The reference holds the state at simtime too: a multimeter samples a step's state in the
  // step after it, so one more step, whose spikes are dropped.
  const double simtime = s.at("simtime").get<double>();
  sim.simulate(simtime + o.resolution);
  case_result r;
  if (sample && !vars.empty()) r.samples = sim.samples(vm);
  const spike_data all = sim.spikes(sr);
  for (std::size_t k = 0; k < all.time.size(); ++k)
    if (all.time[k] <= simtime + 0.5 * o.resolution) {
      r.spikes.time.push_back(all.time[k]);
      r.spikes.index.push_back(all.index[k]);
    }
  for (const auto& v : vars) r.final_states.push_back(sim.get(n, v).at(0));
  return r;
}

}  // namespace starling::testing
