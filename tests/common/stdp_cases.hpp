#pragma once
// The NEST 3.10 STDP protocols of tests/data/nest/stdp (scripts/nest_stdp_reference.py) and
// their run in Starling: a parrot_neuron driven by a spike_generator sends through one plastic
// connection to a post parrot (its spikes set by a second generator, the plastic input on
// receptor 1, where a parrot does not repeat it) or to an iaf_psc_alpha driven by a generator;
// a weight_recorder records the weight at each pre spike.
#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "starling/simulator.hpp"

namespace starling::testing {

inline std::string stdp_data(const std::string& file) {
  return std::string(STARLING_TEST_DATA) + "/nest/stdp/" + file;
}

inline nlohmann::json stdp_reference() {
  std::ifstream in(stdp_data("cases.json"));
  if (!in) return {};
  return nlohmann::json::parse(in);
}

/// What a case's run gives.
struct stdp_run {
  weight_data weights;            ///< the weight_recorder's rows
  double final_weight = 0.0;      ///< get_connections after the run
  std::vector<double> pre, post;  ///< spike times (ms)
};

inline std::vector<double> shifted(const nlohmann::json& times, double by) {
  std::vector<double> out;
  for (const auto& t : times) out.push_back(t.get<double>() + by);
  return out;
}

/// Runs case c on `where` with slices of `slice_steps` (0: automatic).
inline stdp_run run_stdp_case(const nlohmann::json& c, double drive_delay, backend where,
                              std::int64_t slice_steps = 0) {
  kernel_options k;
  k.resolution = c.at("resolution").get<double>();
  k.where = where;
  k.slice_steps = slice_steps;
  simulator sim(k);
  const population pre = sim.create("parrot_neuron", 1);
  const population pre_drive = sim.create("spike_generator", 1);
  sim.set_spike_times(pre_drive, {shifted(c.at("pre_times"), -drive_delay)});
  synapse drive;
  drive.delay = drive_delay;
  sim.connect(pre_drive, pre, {"one_to_one"}, drive);
  const std::string post_model = c.at("post_model");
  value_map post_params;
  for (const auto& [name, v] : c.at("post_params").items()) post_params[name] = v.get<double>();
  const population post = sim.create(post_model, 1, post_params);
  const population post_drive = sim.create("spike_generator", 1);
  int port = 0;
  if (post_model == "parrot_neuron") {
    sim.set_spike_times(post_drive, {shifted(c.at("post_times"), -drive_delay)});
    port = 1;
  } else {
    sim.set_spike_times(post_drive, {shifted(c.at("post_drive"), 0.0)});
    drive.weight = c.at("post_drive_weight").get<double>();
  }
  sim.connect(post_drive, post, {"one_to_one"}, drive);
  const recorder wr = sim.record_weights();
  synapse plastic;
  plastic.model = c.at("synapse_model");
  plastic.weight = c.at("weight").get<double>();
  plastic.delay = c.at("delay").get<double>();
  plastic.receptor = port;
  for (const auto& [name, v] : c.at("synapse_params").items()) plastic.params[name] = v;
  if (plastic.model != "static_synapse") plastic.weight_recorder = wr;
  sim.connect(pre, post, {"one_to_one"}, plastic);
  const recorder pre_spikes = sim.record_spikes(pre), post_spikes = sim.record_spikes(post);
  double last = 0.0;
  for (const char* key : {"pre_spikes", "post_spikes"})
    for (const auto& t : c.at(key)) last = std::max(last, t.get<double>());
  sim.simulate(std::ceil((last + c.at("delay").get<double>() + 10.0) / k.resolution) *
               k.resolution);
  stdp_run r;
  r.weights = sim.weights(wr);
  r.final_weight = sim.get_connections(pre, post).weight.at(0);
  r.pre = sim.spikes(pre_spikes).time;
  r.post = sim.spikes(post_spikes).time;
  return r;
}

}  // namespace starling::testing
