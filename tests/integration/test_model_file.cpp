// Model files end to end: parsing, running, CSV output and the starling command-line tool.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

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

}  // namespace
