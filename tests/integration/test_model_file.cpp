// Model files end to end: parsing, running, CSV output and the starling command-line tool.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "io/csv.hpp"
#include "io/model_file.hpp"
#include "starling/error.hpp"

namespace {

namespace fs = std::filesystem;
using starling::io::parse_model;

/// A fresh directory under the system's temporary directory, removed with its content.
class scratch_dir {
 public:
  scratch_dir() {
    static int serial = 0;
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ =
        fs::temp_directory_path() / ("starling_" + std::string(test->name()) + "_" +
                                     std::to_string(::getpid()) + "_" + std::to_string(serial++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~scratch_dir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;

  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

void write_text(const fs::path& file, const std::string& text) { std::ofstream(file) << text; }

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::vector<std::string>> csv_rows(const fs::path& file) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> fields;
    std::stringstream s(line);
    for (std::string f; std::getline(s, f, ',');) fields.push_back(f);
    rows.push_back(fields);
  }
  return rows;
}

/// Exit status of a shell command.
int shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// NEST's iaf_psc_exp test: one spike generator, an excitatory and a delayed inhibitory synapse.
const char* const nest_reference_model = R"({
  "kernel": {"resolution": 0.1, "backend": "cpu"},
  "populations": [
    {"name": "input", "model": "spike_generator", "size": 1,
     "params": {"spike_times": [10.0, 400.0]}},
    {"name": "neuron", "model": "iaf_psc_exp", "size": 1}
  ],
  "connections": [
    {"source": "input", "target": "neuron", "rule": "one_to_one",
     "synapse": {"weight": 1.0, "delay": 1.0}},
    {"source": "input", "target": "neuron", "rule": "one_to_one",
     "synapse": {"weight": -2.0, "delay": 100.0}}
  ],
  "recorders": [
    {"name": "vm", "type": "voltmeter", "population": "neuron", "interval": 1.0,
     "variables": ["V_m"]}
  ],
  "simulate": 800
})";

// NEST: iaf_psc_exp with I_e = 1000 pA from V_m = E_L first reaches V_th at 4.8 ms.
const char* const dc_spike_model = R"({
  "kernel": {"backend": "cpu"},
  "populations": [{"name": "neurons", "model": "iaf_psc_exp", "size": 1,
                   "params": {"I_e": 1000.0}}],
  "recorders": [{"name": "spikes", "type": "spike_recorder", "population": "neurons"}],
  "simulate": 8
})";

// Poisson drive into a small recurrent network: enough activity for slicing to matter.
const char* const recurrent_model = R"({
  "kernel": {"resolution": 0.1, "seed": 12345, "backend": "cpu"},
  "populations": [
    {"name": "noise", "model": "poisson_generator", "size": 1, "params": {"rate": 20000.0}},
    {"name": "exc", "model": "iaf_psc_exp", "size": 20},
    {"name": "inh", "model": "iaf_psc_exp", "size": 5}
  ],
  "connections": [
    {"source": "noise", "target": "exc", "synapse": {"weight": 90.0, "delay": 1.5}},
    {"source": "noise", "target": "inh", "synapse": {"weight": 90.0, "delay": 1.5}},
    {"source": "exc", "target": "inh",
     "rule": {"rule": "fixed_indegree", "indegree": 8, "allow_multapses": false},
     "synapse": {"weight": 20.0, "delay": 1.0}},
    {"source": "inh", "target": "exc", "rule": {"rule": "pairwise_bernoulli", "p": 0.5},
     "synapse": {"weight": -50.0, "delay": 0.8}}
  ],
  "recorders": [
    {"name": "exc_spikes", "type": "spike_recorder", "population": "exc"},
    {"name": "exc_mm", "type": "multimeter", "population": "exc", "interval": 0.5,
     "variables": ["V_m", "I_syn_ex", "I_syn_in"]}
  ],
  "simulate": 200
})";

/// Checks the simulator still builds and runs a network: the spike at 4.8 ms.
void expect_simulator_usable() {
  const starling::io::run_result r = starling::io::run(parse_model(dc_spike_model));
  ASSERT_EQ(r.recordings.size(), 1u);
  ASSERT_EQ(r.recordings[0].spikes.time.size(), 1u);
  EXPECT_NEAR(r.recordings[0].spikes.time[0], 4.8, 1e-12);
}

/// Checks that running `json` throws starling::invalid_argument whose message holds each of
/// `parts`, then that a new simulator can be created and run.
void expect_rejected(const std::string& json, std::initializer_list<const char*> parts) {
  try {
    starling::io::run(parse_model(json));
    ADD_FAILURE() << "no error for " << json;
  } catch (const starling::invalid_argument& e) {
    const std::string what = e.what();
    for (const char* part : parts) EXPECT_NE(what.find(part), std::string::npos) << what;
  }
  expect_simulator_usable();
}

std::string one_population(const std::string& rest) {
  return R"({"populations": [{"name": "a", "model": "iaf_psc_exp", "size": 2}], )" + rest +
         R"(, "simulate": 10})";
}

TEST(ModelFile, VoltmeterMatchesNestReference) {
  scratch_dir dir;
  write_text(dir / "model.json", nest_reference_model);
  const auto result = starling::io::run(starling::io::read_model_file(dir / "model.json"));
  starling::io::write_recordings(result, dir / "out");

  const auto rows = csv_rows(dir / "out" / "vm.csv");
  const auto reference = csv_rows(fs::path(STARLING_TEST_DATA) / "test_iaf_psc_exp_nest.txt");
  ASSERT_EQ(reference.size(), 799u);
  ASSERT_EQ(rows.size(), 800u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"population", "index", "time_ms", "V_m"}));
  for (std::size_t k = 0; k < reference.size(); ++k) {
    std::stringstream ref_line(reference[k][0]);
    double t = 0.0, v = 0.0;
    ref_line >> t >> v;
    const auto& row = rows[k + 1];
    ASSERT_EQ(row.size(), 4u);
    EXPECT_EQ(row[0], "neuron");
    EXPECT_EQ(row[1], "0");
    EXPECT_NEAR(std::stod(row[2]), t, 1e-9) << "row " << k;
    EXPECT_NEAR(std::stod(row[3]), v, 1e-4) << "at " << t << " ms";
  }
}

TEST(ModelFile, SpikeCsvHoldsNestSpikeTime) {
  scratch_dir dir;
  const auto result = starling::io::run(parse_model(dc_spike_model));
  starling::io::write_recordings(result, dir / "out");
  EXPECT_EQ(read_text(dir / "out" / "spikes.csv"), "population,index,time_ms\nneurons,0,4.8\n");
  ASSERT_EQ(result.populations.size(), 1u);
  EXPECT_TRUE(result.populations[0].recorded);
  EXPECT_EQ(result.populations[0].spikes, 1u);
  EXPECT_NEAR(result.populations[0].rate, 125.0, 1e-9);  // 1 spike in 8 ms
  EXPECT_EQ(result.neurons, 1u);
  EXPECT_DOUBLE_EQ(result.model_time, 8.0);
}

TEST(ModelFile, InitialStateIsHonoured) {
  scratch_dir dir;
  const auto result = starling::io::run(parse_model(R"({
    "kernel": {"backend": "cpu"},
    "populations": [{"name": "n", "model": "iaf_psc_exp", "size": 2,
                     "state": {"V_m": [-60.0, -70.0]}}],
    "recorders": [{"name": "v", "type": "voltmeter", "population": "n"}],
    "simulate": 3
  })"));
  starling::io::write_recordings(result, dir / "out");
  const auto rows = csv_rows(dir / "out" / "v.csv");
  ASSERT_EQ(rows.size(), 5u);  // header, then t = 1 and 2 ms for 2 neurons
  EXPECT_EQ(rows[1][2], "1");
  EXPECT_NEAR(std::stod(rows[1][3]), -70.0 + 10.0 * std::exp(-0.1), 1e-9);
  EXPECT_NEAR(std::stod(rows[2][3]), -70.0, 1e-12);
  EXPECT_EQ(rows[3][2], "2");
  EXPECT_NEAR(std::stod(rows[3][3]), -70.0 + 10.0 * std::exp(-0.2), 1e-9);
}

// A multisynapse model's receptor list in params (not one value per member), receptor ports in
// the synapse and NEST's record_from: receptor 2 (tau_syn 5 ms) of every member gets 300 pA at
// 11 ms, decaying by e^{-1/5} per ms.
TEST(ModelFile, ReceptorListsPortsAndRecordFrom) {
  scratch_dir dir;
  const auto result = starling::io::run(parse_model(R"({
    "kernel": {"backend": "cpu"},
    "populations": [
      {"name": "g", "model": "spike_generator", "size": 1, "params": {"spike_times": [10.0]}},
      {"name": "n", "model": "iaf_psc_exp_multisynapse", "size": 5,
       "params": {"tau_syn": [2.0, 5.0]}}],
    "connections": [{"source": "g", "target": "n", "synapse": {"weight": 300.0, "receptor": 2}}],
    "recorders": [{"name": "v", "type": "multimeter", "population": "n",
                   "record_from": ["I_syn_1", "I_syn_2"]}],
    "simulate": 14
  })"));
  starling::io::write_recordings(result, dir / "out");
  const auto rows = csv_rows(dir / "out" / "v.csv");
  ASSERT_EQ(rows.size(), 1u + 13u * 5u);
  for (std::size_t k = 1; k < rows.size(); ++k) {
    const double t = std::stod(rows[k][2]);
    EXPECT_EQ(std::stod(rows[k][3]), 0.0);
    const double expected = t < 11.0 ? 0.0 : 300.0 * std::exp(-(t - 11.0) / 5.0);
    EXPECT_NEAR(std::stod(rows[k][4]), expected, 1e-6) << "t = " << t;
  }
  EXPECT_THROW(parse_model(R"({"populations": [{"name": "n", "model": "iaf_psc_exp", "size": 1}],
    "recorders": [{"name": "v", "type": "multimeter", "population": "n",
                   "record_from": ["V_m"], "variables": ["V_m"]}], "simulate": 1})"),
               starling::invalid_argument);
}

TEST(ModelFileErrors, SyntaxErrorNamesLine) {
  expect_rejected("{\"populations\": [\n  {\"name\": \"a\",,}\n]}", {"model file", "line 2"});
}

TEST(ModelFileErrors, MissingPopulations) {
  expect_rejected(R"({"simulate": 10})", {"model file: populations: missing"});
}

TEST(ModelFileErrors, SizeNotAnInteger) {
  expect_rejected(R"({"populations": [{"name": "a", "model": "iaf_psc_exp", "size": 1},
                                      {"name": "b", "model": "iaf_psc_exp", "size": "ten"}],
                     "simulate": 10})",
                  {R"(model file: populations[1].size: expected an integer >= 1, got "ten")"});
}

TEST(ModelFileErrors, UnknownKey) {
  expect_rejected(one_population(R"("connections": [{"source": "a", "target": "a",
                                                     "synapse": {"wieght": 1.0}}])"),
                  {"connections[0].synapse.wieght: unknown key", "weight"});
}

TEST(ModelFileErrors, KeyGivenTwice) {
  expect_rejected(one_population(R"("connections": [{"source": "a", "target": "a",
                                     "synapse": {"delay": 1.0, "delay": 2.0}}])"),
                  {"connections[0].synapse.delay: key given twice"});
}

TEST(ModelFileErrors, UnknownPopulationInConnection) {
  expect_rejected(one_population(R"("connections": [{"source": "a", "target": "b"}])"),
                  {"connections[0].target", "unknown population \"b\""});
}

TEST(ModelFileErrors, DuplicatePopulationName) {
  expect_rejected(R"({"populations": [{"name": "a", "model": "iaf_psc_exp", "size": 1},
                                      {"name": "a", "model": "iaf_psc_exp", "size": 1}],
                     "simulate": 10})",
                  {"populations[1].name", "populations[0]"});
}

TEST(ModelFileErrors, RuleObjectWithoutIndegree) {
  expect_rejected(one_population(R"("connections": [{"source": "a", "target": "a",
                                     "rule": {"rule": "fixed_indegree"}}])"),
                  {"connections[0].rule.indegree: missing"});
}

TEST(ModelFileErrors, NegativeDelay) {
  expect_rejected(one_population(R"("connections": [{"source": "a", "target": "a",
                                     "synapse": {"delay": -1.0}}])"),
                  {"connections[0].synapse.delay", "expected a positive number, got -1"});
}

TEST(ModelFileErrors, DelayBelowResolution) {
  expect_rejected(one_population(R"("connections": [{"source": "a", "target": "a",
                                     "synapse": {"delay": 0.01}}])"),
                  {"model file: connections[0]: ", "delay 0.01 ms is below the resolution 0.1 ms"});
}

TEST(ModelFileErrors, ParameterRejectedBySimulator) {
  expect_rejected(R"({"populations": [{"name": "a", "model": "iaf_psc_exp", "size": 1,
                                       "params": {"tau_m": -1.0}}], "simulate": 10})",
                  {"model file: populations[0].params: ", "tau_m"});
}

TEST(ModelFileErrors, UnwritableOutputDirectory) {
  scratch_dir dir;
  write_text(dir / "file", "");
  const auto result = starling::io::run(parse_model(dc_spike_model));
  try {
    starling::io::write_recordings(result, dir / "file" / "out");
    ADD_FAILURE() << "no error for an output directory under a file";
  } catch (const starling::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find((dir / "file" / "out").string()), std::string::npos)
        << e.what();
  }
}

TEST(StarlingCli, RunWritesCsvAndSummary) {
  scratch_dir dir;
  write_text(dir / "model.json", dc_spike_model);
  const std::string command = std::string(STARLING_CLI) + " run " + (dir / "model.json").string() +
                              " --output " + (dir / "out").string() + " > " +
                              (dir / "stdout").string();
  ASSERT_EQ(shell(command), 0);
  EXPECT_EQ(read_text(dir / "out" / "spikes.csv"), "population,index,time_ms\nneurons,0,4.8\n");
  const std::string summary = read_text(dir / "stdout");
  EXPECT_NE(summary.find("device       cpu"), std::string::npos) << summary;
  EXPECT_NE(summary.find("125.000"), std::string::npos) << summary;  // spikes/s of `neurons`
}

TEST(StarlingCli, SliceStepsOneGivesIdenticalCsv) {
  scratch_dir dir;
  write_text(dir / "model.json", recurrent_model);
  const std::string run = std::string(STARLING_CLI) + " run " + (dir / "model.json").string();
  ASSERT_EQ(shell(run + " --output " + (dir / "default").string() + " > /dev/null"), 0);
  ASSERT_EQ(shell(run + " --slice-steps 1 --output " + (dir / "one").string() + " > " +
                  (dir / "stdout").string()),
            0);
  const std::string summary = read_text(dir / "stdout");
  EXPECT_NE(summary.find("slice        1 steps\n"), std::string::npos) << summary;
  for (const char* file : {"exc_spikes.csv", "exc_mm.csv"}) {
    const std::string expected = read_text(dir / "default" / file);
    EXPECT_EQ(read_text(dir / "one" / file), expected) << file;
  }
  EXPECT_GT(csv_rows(dir / "default" / "exc_spikes.csv").size(), 100u);
  EXPECT_EQ(csv_rows(dir / "default" / "exc_mm.csv").size(), 1u + 399u * 20u);
}

TEST(StarlingCli, BadFileExitsWithOne) {
  scratch_dir dir;
  write_text(dir / "bad.json",
             R"({"populations": [{"name": "a", "model": "iaf_psc_exp", "size": "ten"}],
                 "simulate": 10})");
  const std::string command = std::string(STARLING_CLI) + " run " + (dir / "bad.json").string() +
                              " --output " + (dir / "out").string() + " 2> " +
                              (dir / "stderr").string();
  EXPECT_EQ(shell(command), 1);
  EXPECT_EQ(read_text(dir / "stderr").rfind("starling: error: model file: populations[0].size", 0),
            0u);
  EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST(StarlingCli, UsageErrorExitsWithTwo) {
  scratch_dir dir;
  write_text(dir / "model.json", dc_spike_model);
  const std::string cli = STARLING_CLI;
  EXPECT_EQ(shell(cli + " run " + (dir / "model.json").string() + " 2> /dev/null"), 2);
  EXPECT_EQ(shell(cli + " run " + (dir / "model.json").string() + " --output " +
                  (dir / "out").string() + " --slice-steps 0 2> /dev/null"),
            2);
  EXPECT_EQ(shell(cli + " > /dev/null 2>&1"), 2);
  EXPECT_EQ(shell(cli + " --help > /dev/null"), 0);
}

// `starling models`: the neuron and device models, then the synapse models in a group of their
// own; `starling models stdp_synapse` prints its parameters as a neuron model's, with NEST's
// defaults and units.
TEST(StarlingCli, ModelsListsSynapseModelsApart) {
  scratch_dir dir;
  const std::string cli = STARLING_CLI;
  ASSERT_EQ(shell(cli + " models > " + (dir / "list").string()), 0);
  const std::string list = read_text(dir / "list");
  const std::size_t neurons = list.find("neuron and device models (create):\n");
  const std::size_t synapses = list.find("synapse models (connect):\n");
  ASSERT_NE(neurons, std::string::npos) << list;
  ASSERT_NE(synapses, std::string::npos) << list;
  // Each line once, in its group.
  const auto in_group = [&](const std::string& line, std::size_t from, std::size_t to) {
    const std::size_t at = list.find(line);
    EXPECT_TRUE(at != std::string::npos && at > from && at < to) << line << list;
  };
  in_group("  iaf_psc_exp                    neuron, exact integration\n", neurons, synapses);
  in_group("  noise_generator                device\n", neurons, synapses);
  in_group("  static_synapse                 synapse, static\n", synapses, list.size());
  for (const char* name : {"stdp_synapse", "stdp_pl_synapse_hom", "stdp_nn_symm_synapse",
                           "stdp_nn_pre_centered_synapse", "stdp_nn_restr_synapse"}) {
    std::string line = "  " + std::string(name);
    line.resize(33, ' ');
    in_group(line + "synapse, plastic (STDP)\n", synapses, list.size());
  }

  ASSERT_EQ(shell(cli + " models stdp_synapse stdp_pl_synapse_hom > " + (dir / "stdp").string()),
            0);
  const std::string stdp = read_text(dir / "stdp");
  EXPECT_EQ(stdp.rfind("stdp_synapse (plastic synapse", 0), 0u) << stdp;
  for (const char* row : {"  parameter tau_plus                     20  ms\n",
                          "  parameter lambda                     0.01  \n",
                          "  parameter Wmax                        100  pA\n",
                          "  parameter mu                          0.4  \n"})
    EXPECT_NE(stdp.find(row), std::string::npos) << row << stdp;
  EXPECT_EQ(stdp.find("state"), std::string::npos) << stdp;
  EXPECT_NE(shell(cli + " models stdp_synapsee > /dev/null 2>&1"), 0);
}

// Random weights and delays, recorded by a connections recorder.
const char* const random_synapses_model = R"({
  "kernel": {"resolution": 0.1, "seed": 4711, "backend": "cpu"},
  "populations": [
    {"name": "pre", "model": "iaf_psc_exp", "size": 100},
    {"name": "post", "model": "iaf_psc_exp", "size": 50}
  ],
  "connections": [
    {"source": "pre", "target": "post", "rule": {"rule": "fixed_indegree", "indegree": 20},
     "synapse": {"weight": {"distribution": "normal", "mu": 10.0, "sigma": 2.0},
                 "delay": {"distribution": "uniform", "low": 0.5, "high": 2.5}}}
  ],
  "recorders": [
    {"name": "pre_post", "type": "connections", "source": "pre", "target": "post"}
  ],
  "simulate": 1
})";

/// 1000 neurons starting from V_m drawn uniformly in [-70, -60] mV, sampled once at 0.1 ms.
std::string random_start_model(int seed) {
  return R"({
    "kernel": {"resolution": 0.1, "backend": "cpu", "seed": )" +
         std::to_string(seed) + R"(},
    "populations": [{"name": "n", "model": "iaf_psc_exp", "size": 1000,
                     "state": {"V_m": {"distribution": "uniform", "low": -70, "high": -60}}}],
    "recorders": [{"name": "v", "type": "voltmeter", "population": "n", "interval": 0.1}],
    "simulate": 0.2
  })";
}

TEST(ModelFile, RandomWeightsAndDelaysInConnectionsCsv) {
  scratch_dir dir;
  write_text(dir / "model.json", random_synapses_model);
  const std::string command = std::string(STARLING_CLI) + " run " + (dir / "model.json").string() +
                              " --output " + (dir / "out").string() + " > " +
                              (dir / "stdout").string();
  ASSERT_EQ(shell(command), 0);
  const std::string summary = read_text(dir / "stdout");
  EXPECT_NE(summary.find("connections  1000\n"), std::string::npos) << summary;

  const auto rows = csv_rows(dir / "out" / "pre_post.csv");
  ASSERT_EQ(rows.size(), 1001u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"source_index", "target_index", "weight", "delay_ms",
                                               "receptor"}));
  std::map<int, int> indegree;
  std::set<std::string> delays;
  double sum = 0.0, sum2 = 0.0;
  for (std::size_t k = 1; k < rows.size(); ++k) {
    const auto& row = rows[k];
    ASSERT_EQ(row.size(), 5u) << "row " << k;
    const int source = std::stoi(row[0]);
    EXPECT_TRUE(source >= 0 && source < 100) << row[0];
    ++indegree[std::stoi(row[1])];
    const double w = std::stod(row[2]);
    sum += w;
    sum2 += w * w;
    const double d = std::stod(row[3]);
    EXPECT_NEAR(d * 10.0, std::round(d * 10.0), 1e-9) << "delay " << row[3];
    EXPECT_GE(d, 0.5 - 1e-12);
    EXPECT_LE(d, 2.5 + 1e-12);
    delays.insert(row[3]);
    EXPECT_EQ(row[4], "0");
  }
  ASSERT_EQ(indegree.size(), 50u);
  EXPECT_EQ(indegree.begin()->first, 0);
  EXPECT_EQ(indegree.rbegin()->first, 49);
  for (const auto& [target, n] : indegree) EXPECT_EQ(n, 20) << "target " << target;
  const double mean = sum / 1000.0;
  const double sd = std::sqrt((sum2 - 1000.0 * mean * mean) / 999.0);
  EXPECT_NEAR(mean, 10.0, 5.0 * 2.0 / std::sqrt(1000.0));
  EXPECT_NEAR(sd, 2.0, 0.2);
  EXPECT_EQ(delays.size(), 21u);  // 0.5, 0.6, ..., 2.5 ms all drawn among 1000
}

TEST(ModelFile, ConnectionsRecorderFiltersByPopulations) {
  const auto result = starling::io::run(parse_model(R"({
    "kernel": {"backend": "cpu"},
    "populations": [{"name": "a", "model": "iaf_psc_exp", "size": 3},
                    {"name": "b", "model": "iaf_psc_exp", "size": 2}],
    "connections": [
      {"source": "a", "target": "b", "synapse": {"weight": [1, 2, 3, 4, 5, 6], "delay": 0.25}},
      {"source": "b", "target": "a", "synapse": {"weight": -7.5}}
    ],
    "recorders": [{"name": "ba", "type": "connections", "source": "b", "target": "a"},
                  {"name": "ab", "type": "connections", "source": "a", "target": "b"}],
    "simulate": 0
  })"));
  ASSERT_EQ(result.recordings.size(), 2u);
  EXPECT_EQ(result.connections, 12u);
  std::ostringstream ba, ab;
  starling::io::write_connections_csv(ba, result.recordings[0].connections);
  starling::io::write_connections_csv(ab, result.recordings[1].connections);
  EXPECT_EQ(ba.str(),
            "source_index,target_index,weight,delay_ms,receptor\n"
            "0,0,-7.5,1,0\n0,1,-7.5,1,0\n0,2,-7.5,1,0\n"
            "1,0,-7.5,1,0\n1,1,-7.5,1,0\n1,2,-7.5,1,0\n");
  // all_to_all makes the connections target by target, each from every source; 0.25 ms is
  // rounded to 3 steps.
  const auto& c = result.recordings[1].connections;
  ASSERT_EQ(c.source.size(), 6u);
  double total = 0.0;
  for (std::size_t k = 0; k < 6; ++k) {
    EXPECT_NEAR(c.delay[k], 0.3, 1e-12);
    total += c.weight[k];
  }
  EXPECT_DOUBLE_EQ(total, 21.0);
  EXPECT_NE(ab.str().find("\n0,0,"), std::string::npos) << ab.str();
  EXPECT_NE(ab.str().find(",0.3,0\n"), std::string::npos) << ab.str();
}

TEST(ModelFile, EveryRuleFromJson) {
  const auto result = starling::io::run(parse_model(R"({
    "kernel": {"backend": "cpu", "seed": 99},
    "populations": [{"name": "a", "model": "iaf_psc_exp", "size": 10},
                    {"name": "b", "model": "iaf_psc_exp", "size": 10},
                    {"name": "c", "model": "iaf_psc_exp", "size": 10}],
    "connections": [
      {"source": "a", "target": "b", "rule": "one_to_one"},
      {"source": "b", "target": "a", "rule": "all_to_all"},
      {"source": "c", "target": "c", "rule": {"rule": "all_to_all", "allow_autapses": false}},
      {"source": "a", "target": "a", "rule": {"rule": "fixed_indegree", "indegree": 3,
                                              "allow_autapses": false, "allow_multapses": false}},
      {"source": "b", "target": "b", "rule": {"rule": "fixed_outdegree", "outdegree": 4}},
      {"source": "a", "target": "c", "rule": {"rule": "fixed_total_number", "N": 25}},
      {"source": "b", "target": "c", "rule": {"rule": "pairwise_bernoulli", "p": 1.0}},
      {"source": "c", "target": "b", "rule": {"rule": "pairwise_bernoulli", "p": 0.5}}
    ],
    "recorders": [
      {"name": "ab", "type": "connections", "source": "a", "target": "b"},
      {"name": "ba", "type": "connections", "source": "b", "target": "a"},
      {"name": "cc", "type": "connections", "source": "c", "target": "c"},
      {"name": "aa", "type": "connections", "source": "a", "target": "a"},
      {"name": "bb", "type": "connections", "source": "b", "target": "b"},
      {"name": "ac", "type": "connections", "source": "a", "target": "c"},
      {"name": "bc", "type": "connections", "source": "b", "target": "c"},
      {"name": "cb", "type": "connections", "source": "c", "target": "b"}
    ],
    "simulate": 0
  })"));
  ASSERT_EQ(result.recordings.size(), 8u);
  auto conns = [&](std::size_t i) -> const starling::connection_data& {
    return result.recordings[i].connections;
  };
  auto pairs = [&](std::size_t i) {
    std::multiset<std::pair<std::uint32_t, std::uint32_t>> p;
    for (std::size_t k = 0; k < conns(i).source.size(); ++k)
      p.emplace(conns(i).source[k], conns(i).target[k]);
    return p;
  };
  ASSERT_EQ(conns(0).source.size(), 10u);  // one_to_one
  EXPECT_EQ(conns(0).source, conns(0).target);
  EXPECT_EQ(conns(1).source.size(), 100u);  // all_to_all
  const auto ba = pairs(1);
  const std::set<std::pair<std::uint32_t, std::uint32_t>> ba_distinct(ba.begin(), ba.end());
  EXPECT_EQ(ba_distinct.size(), 100u);
  EXPECT_EQ(conns(2).source.size(), 90u);  // all_to_all without autapses
  for (const auto& [s, t] : pairs(2)) EXPECT_NE(s, t);

  const auto aa = pairs(3);  // fixed_indegree 3, no autapses, no multapses
  EXPECT_EQ(aa.size(), 30u);
  std::map<std::uint32_t, int> in, out;
  for (const auto& [s, t] : aa) {
    EXPECT_NE(s, t);
    EXPECT_EQ(aa.count({s, t}), 1u);
    ++in[t];
  }
  EXPECT_EQ(in.size(), 10u);
  for (const auto& [t, n] : in) EXPECT_EQ(n, 3) << "target " << t;

  EXPECT_EQ(conns(4).source.size(), 40u);  // fixed_outdegree 4
  for (std::uint32_t s : conns(4).source) ++out[s];
  EXPECT_EQ(out.size(), 10u);
  for (const auto& [s, n] : out) EXPECT_EQ(n, 4) << "source " << s;

  EXPECT_EQ(conns(5).source.size(), 25u);           // fixed_total_number
  EXPECT_EQ(conns(6).source.size(), 100u);          // pairwise_bernoulli p = 1
  const std::size_t half = conns(7).source.size();  // pairwise_bernoulli p = 0.5: 50 +- 5
  EXPECT_GE(half, 20u);
  EXPECT_LE(half, 80u);
  EXPECT_EQ(result.connections, 10u + 100u + 90u + 30u + 40u + 25u + 100u + half);
}

TEST(ModelFile, RandomInitialStateWithinClosedForm) {
  scratch_dir dir;
  const auto result = starling::io::run(parse_model(random_start_model(1)));
  starling::io::write_recordings(result, dir / "out");
  const auto rows = csv_rows(dir / "out" / "v.csv");
  ASSERT_EQ(rows.size(), 1001u);  // header, then one sample per neuron, at 0.1 ms
  // Relaxing towards E_L = -70 mV: V(0.1 ms) = -70 + (V0 + 70) exp(-0.1 / 10).
  const double decay = std::exp(-0.01);
  std::set<double> distinct;
  double sum = 0.0, low = 0.0, high = -100.0;
  for (std::size_t k = 1; k < rows.size(); ++k) {
    ASSERT_EQ(rows[k].size(), 4u);
    EXPECT_EQ(rows[k][1], std::to_string(k - 1));
    EXPECT_EQ(rows[k][2], "0.1");
    const double v = std::stod(rows[k][3]);
    EXPECT_GE(v, -70.0 - 1e-9);
    EXPECT_LE(v, -70.0 + 10.0 * decay + 1e-9);
    const double v0 = -70.0 + (v + 70.0) / decay;
    sum += v0;
    low = std::min(low, v0);
    high = std::max(high, v0);
    distinct.insert(v);
  }
  EXPECT_EQ(distinct.size(), 1000u);
  EXPECT_LT(low, -69.9);  // P(no V0 below -69.9 mV) = 0.99^1000
  EXPECT_GT(high, -60.1);
  EXPECT_NEAR(sum / 1000.0, -65.0, 5.0 * 10.0 / std::sqrt(12.0 * 1000.0));
}

TEST(ModelFile, SeedDeterminesRandomValues) {
  scratch_dir dir;
  for (const auto& [seed, out] : {std::pair{1, "first"}, {1, "again"}, {2, "other"}})
    starling::io::write_recordings(starling::io::run(parse_model(random_start_model(seed))),
                                   dir / out);
  const std::string first = read_text(dir / "first" / "v.csv");
  EXPECT_EQ(csv_rows(dir / "first" / "v.csv").size(), 1001u);
  EXPECT_EQ(read_text(dir / "again" / "v.csv"), first);
  EXPECT_NE(read_text(dir / "other" / "v.csv"), first);
}

TEST(ModelFile, DistributionObjectParsed) {
  const auto m = parse_model(R"({
    "populations": [{"name": "a", "model": "iaf_psc_exp", "size": 2,
                     "params": {"I_e": {"distribution": "normal_clipped", "mu": 1.5,
                                        "sigma": 0.75, "low": 0.1}}}],
    "connections": [{"source": "a", "target": "a",
                     "synapse": {"delay": {"distribution": "exponential", "beta": 2}}}],
    "simulate": 1
  })");
  const auto& d = std::get<starling::distribution>(m.populations[0].params.at("I_e"));
  EXPECT_EQ(d.name, "normal_clipped");
  EXPECT_EQ(d.params, (std::map<std::string, double>{{"low", 0.1}, {"mu", 1.5}, {"sigma", 0.75}}));
  const auto& delay = std::get<starling::distribution>(m.connections[0].synapse.delay);
  EXPECT_EQ(delay.name, "exponential");
  EXPECT_EQ(delay.params, (std::map<std::string, double>{{"beta", 2.0}}));
}

TEST(ModelFileErrors, DistributionNameNotAString) {
  expect_rejected(
      one_population(R"("connections": [{"source": "a", "target": "a",
                                     "synapse": {"weight": {"distribution": 3}}}])"),
      {"connections[0].synapse.weight.distribution: expected a distribution name", "got 3"});
}

TEST(ModelFileErrors, DistributionNameMissing) {
  expect_rejected(one_population(R"("connections": [{"source": "a", "target": "a",
                                     "synapse": {"weight": {"mu": 1.0}}}])"),
                  {"connections[0].synapse.weight.distribution: missing"});
}

TEST(ModelFileErrors, UnknownDistribution) {
  expect_rejected(one_population(R"("connections": [{"source": "a", "target": "a",
                                     "synapse": {"weight": {"distribution": "gauss", "mu": 1}}}])"),
                  {"model file: connections[0]: ", "weight", "unknown distribution", "gauss"});
}

TEST(ModelFileErrors, DistributionParameterNotANumber) {
  expect_rejected(R"({"populations": [{"name": "a", "model": "iaf_psc_exp", "size": 1,
                       "params": {"I_e": {"distribution": "normal", "sigma": "x"}}}],
                      "simulate": 1})",
                  {R"(model file: populations[0].params.I_e.sigma: expected a number, got "x")"});
}

TEST(ModelFileErrors, DistributionParameterUnknown) {
  expect_rejected(R"({"populations": [{"name": "a", "model": "iaf_psc_exp", "size": 1,
                       "state": {"V_m": {"distribution": "uniform", "mu": -65}}}],
                      "simulate": 1})",
                  {"model file: populations[0].state.V_m: ", "'mu'"});
}

TEST(ModelFileErrors, DelayDistributionBelowResolution) {
  expect_rejected(one_population(R"("connections": [{"source": "a", "target": "a",
                                     "synapse": {"delay": {"distribution": "uniform",
                                                           "low": 0.0, "high": 0.01}}}])"),
                  {"model file: connections[0]: ", "delay", "below the resolution 0.1 ms"});
}

TEST(ModelFileErrors, ParameterGivenAsState) {
  expect_rejected(R"({"populations": [{"name": "a", "model": "iaf_psc_exp", "size": 1,
                                       "state": {"tau_m": 5}}], "simulate": 1})",
                  {"model file: populations[0].state.tau_m: ", "parameter", "params"});
}

TEST(ModelFileErrors, UnknownParameterName) {
  expect_rejected(R"({"populations": [{"name": "a", "model": "iaf_psc_exp", "size": 1,
                                       "params": {"tau_x": 5}}], "simulate": 1})",
                  {"model file: populations[0].params.tau_x: ", "tau_m"});
}

TEST(ModelFileErrors, ConnectionsRecorderWithoutTarget) {
  expect_rejected(one_population(R"("recorders": [{"name": "c", "type": "connections",
                                                   "source": "a"}])"),
                  {"model file: recorders[0].target: missing; expected a population name"});
}

TEST(ModelFileErrors, ConnectionsRecorderWithPopulation) {
  expect_rejected(one_population(R"("recorders": [{"name": "c", "type": "connections",
                                     "source": "a", "target": "a", "population": "a"}])"),
                  {"model file: recorders[0].population: unknown key"});
}

/// `text` with its first `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

// A pair of parrots driven by spike generators (1 ms drive): the pre parrot spikes at 100 and
// 300 ms, the post parrot at 110 ms; the plastic synapse reaches the post parrot on receptor 1,
// where a parrot does not repeat spikes. Additive stdp_synapse (mu_plus = mu_minus = 0).
std::string stdp_pair_model(const std::string& synapse_extra,
                            const std::string& kernel_extra = "") {
  return R"({
    "kernel": {"backend": "cpu")" +
         kernel_extra + R"(},
    "populations": [
      {"name": "gpre", "model": "spike_generator", "size": 1, "params": {"spike_times": [99.0, 299.0]}},
      {"name": "gpost", "model": "spike_generator", "size": 1, "params": {"spike_times": [109.0]}},
      {"name": "pre", "model": "parrot_neuron", "size": 1},
      {"name": "post", "model": "parrot_neuron", "size": 1}
    ],
    "connections": [
      {"source": "gpre", "target": "pre", "rule": "one_to_one"},
      {"source": "gpost", "target": "post", "rule": "one_to_one"},
      {"source": "pre", "target": "post", "rule": "one_to_one",
       "synapse": {"model": "stdp_synapse", "weight": 50.0, "delay": 1.0, "receptor": 1,
                   "tau_plus": 20.0, "lambda": 0.01, "alpha": 1.0, "mu_plus": 0.0,
                   "mu_minus": 0.0, "Wmax": 100.0)" +
         synapse_extra + R"(}}
    ],
    "recorders": [
      {"name": "w", "type": "weight_recorder"},
      {"name": "pre_post", "type": "connections", "source": "pre", "target": "post"}
    ],
    "simulate": 320
  })";
}

// The weight recorder's CSV: one row per pre spike, the weight after the update at it; at 300
// ms the closed form of the pair (tests/integration/test_stdp.cpp, AdditivePairClosedForm).
// The connections recorder, read after the run, holds the final weight.
TEST(ModelFile, PlasticSynapseWeightRecorderCsv) {
  scratch_dir dir;
  const auto result =
      starling::io::run(parse_model(stdp_pair_model(R"(, "weight_recorder": "w")")));
  starling::io::write_recordings(result, dir / "out", {false, false});
  const auto rows = csv_rows(dir / "out" / "w.csv");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"time_ms", "source_population", "source_index",
                                               "target_population", "target_index", "weight"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"100", "pre", "0", "post", "0", "50"}));
  const double expected = 50.0 + 0.01 * 100.0 * std::exp(-(110.0 + 1.0 - 100.0) / 20.0) -
                          0.01 * 100.0 * std::exp(-(300.0 - 1.0 - 110.0) / 20.0);
  ASSERT_EQ(rows[2].size(), 6u);
  EXPECT_EQ(rows[2][0], "300");
  EXPECT_EQ(rows[2][1], "pre");
  EXPECT_EQ(rows[2][3], "post");
  EXPECT_NEAR(std::stod(rows[2][5]), expected, 1e-12 * expected);
  EXPECT_GT(std::stod(rows[2][5]), 50.3);  // facilitated by 0.577, depressed by 8e-5
  const auto conns = csv_rows(dir / "out" / "pre_post.csv");
  ASSERT_EQ(conns.size(), 2u);
  EXPECT_EQ(conns[1][2], rows[2][5]);
  EXPECT_EQ(conns[1][4], "1");  // receptor
}

// Without a weight_recorder the connection still learns; with stdp_history 1 in the file's
// kernel, the second post spike before the second pre spike is more than the history holds.
TEST(ModelFile, StdpHistoryFromTheKernel) {
  const auto result = starling::io::run(parse_model(stdp_pair_model("")));
  ASSERT_EQ(result.recordings.size(), 2u);
  EXPECT_TRUE(result.recordings[0].weights.time.empty());
  ASSERT_EQ(result.recordings[1].connections.weight.size(), 1u);
  EXPECT_GT(result.recordings[1].connections.weight[0], 50.3);
  const std::string two_posts =
      replaced(stdp_pair_model("", R"(, "stdp_history": 1)"), R"("spike_times": [109.0])",
               R"("spike_times": [109.0, 149.0])");
  EXPECT_EQ(parse_model(two_posts).kernel.stdp_history, 1);
  try {
    starling::io::run(parse_model(two_posts));
    ADD_FAILURE() << "no error for a history of 1 post spike";
  } catch (const starling::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("stdp_history"), std::string::npos) << e.what();
  }
  expect_simulator_usable();
}

TEST(ModelFileErrors, StdpHistoryBelowOne) {
  expect_rejected(stdp_pair_model("", R"(, "stdp_history": 0)"),
                  {"model file: kernel.stdp_history: expected an integer >= 1, got 0"});
}

TEST(ModelFileErrors, PlasticParameterUnknown) {
  expect_rejected(stdp_pair_model(R"(, "tau_pluss": 15.0)"),
                  {"model file: connections[2].synapse.tau_pluss: unknown key; expected one of "
                   "model, weight, delay, receptor, weight_recorder, tau_plus, lambda, alpha, "
                   "mu_plus, mu_minus, Wmax"});
  // mu is stdp_pl_synapse_hom's.
  expect_rejected(stdp_pair_model(R"(, "mu": 0.4)"), {"connections[2].synapse.mu: unknown key"});
}

TEST(ModelFileErrors, StaticSynapseTakesNoPlasticParameter) {
  expect_rejected(one_population(R"("connections": [{"source": "a", "target": "a",
                                     "synapse": {"weight": 1.0, "tau_plus": 20.0}}])"),
                  {"model file: connections[0].synapse.tau_plus: unknown key; expected one of "
                   "model, weight, delay, receptor"});
}

TEST(ModelFileErrors, UnknownSynapseModel) {
  expect_rejected(one_population(R"("connections": [{"source": "a", "target": "a",
                                     "synapse": {"model": "stdp_synapses"}}])"),
                  {"model file: connections[0].synapse.model: unknown synapse model "
                   "\"stdp_synapses\"; expected one of static_synapse, stdp_synapse, "
                   "stdp_pl_synapse_hom, stdp_nn_symm_synapse"});
}

TEST(ModelFileErrors, PlasticParameterValues) {
  expect_rejected(replaced(stdp_pair_model(""), R"("lambda": 0.01)", R"("lambda": "large")"),
                  {R"(model file: connections[2].synapse.lambda: expected a number, got "large")"});
  // The simulator's checks, at the connection's path.
  expect_rejected(replaced(stdp_pair_model(""), R"("tau_plus": 20.0)", R"("tau_plus": -1.0)"),
                  {"model file: connections[2]: connect: stdp_synapse tau_plus = -1 ms; "
                   "expected > 0"});
  expect_rejected(replaced(stdp_pair_model(""), R"("Wmax": 100.0)", R"("Wmax": -100.0)"),
                  {"model file: connections[2]: connect: stdp_synapse weight 50 and Wmax -100 "
                   "differ in sign"});
}

TEST(ModelFileErrors, PlasticSynapseFromAGenerator) {
  expect_rejected(R"({"kernel": {"backend": "cpu"},
    "populations": [{"name": "g", "model": "poisson_generator", "size": 1},
                    {"name": "a", "model": "iaf_psc_exp", "size": 2}],
    "connections": [{"source": "g", "target": "a", "synapse": {"model": "stdp_synapse"}}],
    "simulate": 1})",
                  {"model file: connections[0]: connect: stdp_synapse from the poisson_generator",
                   "expected a neuron source"});
}

TEST(ModelFileErrors, WeightRecorderNames) {
  expect_rejected(stdp_pair_model(R"(, "weight_recorder": "ww")"),
                  {"model file: connections[2].synapse.weight_recorder: unknown recorder \"ww\"; "
                   "expected the name of a recorder of type weight_recorder"});
  expect_rejected(replaced(stdp_pair_model(R"(, "weight_recorder": "s")"), R"("recorders": [)",
                           R"("recorders": [{"name": "s", "type": "spike_recorder",
                                             "population": "pre"}, )"),
                  {"connections[2].synapse.weight_recorder: recorder \"s\" is not a "
                   "weight_recorder"});
  expect_rejected(replaced(stdp_pair_model(""), R"("type": "weight_recorder")",
                           R"("type": "weight_recorder", "population": "pre")"),
                  {"model file: recorders[0].population: unknown key; expected one of name, "
                   "type"});
}

}  // namespace

TEST(ModelFile, SpikeTimesPerGenerator) {
  scratch_dir dir;
  const auto result = starling::io::run(parse_model(R"({
    "kernel": {"backend": "cpu"},
    "populations": [
      {"name": "g", "model": "spike_generator", "size": 2,
       "params": {"spike_times": [[2.0, 3.0], [4.5]]}},
      {"name": "p", "model": "iaf_psc_exp", "size": 2, "params": {"V_th": 1e9}}],
    "connections": [{"source": "g", "target": "p", "rule": "one_to_one",
                     "synapse": {"weight": 10.0, "delay": 0.5}}],
    "recorders": [{"name": "i", "type": "multimeter", "population": "p", "interval": 0.5,
                   "variables": ["I_syn_ex"]}],
    "simulate": 6
  })"));
  starling::io::write_recordings(result, dir / "out");
  // Rows: time, index; the current of neuron 0 appears at 2.5 ms, of neuron 1 at 5.0 ms.
  double first[2] = {-1.0, -1.0};
  const auto rows = csv_rows(dir / "out" / "i.csv");
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const int who = std::stoi(rows[r][1]);
    if (first[who] < 0 && std::stod(rows[r][3]) > 0.0) first[who] = std::stod(rows[r][2]);
  }
  EXPECT_DOUBLE_EQ(first[0], 2.5);
  EXPECT_DOUBLE_EQ(first[1], 5.0);
  try {
    parse_model(R"({"populations": [{"name": "g", "model": "spike_generator", "size": 3,
                     "params": {"spike_times": [[1.0], [2.0]]}}], "simulate": 1})");
    FAIL() << "no exception";
  } catch (const starling::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("populations[0].params.spike_times"), std::string::npos)
        << e.what();
  }
}
