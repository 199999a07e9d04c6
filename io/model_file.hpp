#pragma once
/// Model files: a network, its recorders and a simulation time described in JSON (see
/// io/README.md for the format); running them and writing what was recorded.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "io/hdf5_file.hpp"
#include "starling/simulator.hpp"

namespace starling::io {

/// A population of a model file.
struct population_spec {
  std::string name;      ///< unique within the file
  std::string model;     ///< NEST model name (iaf_psc_exp, spike_generator, ...)
  std::size_t size = 1;  ///< number of neurons or devices
  value_map params;      ///< parameters by NEST name
  value_map state;       ///< initial states by NEST name, applied after the parameters
  int rank = 0;          ///< process r mod N of a run of N processes holds the population
  /// Devices' list parameters where one of them is given per member ("spike_times": [[...],
  /// [...]]): all of them, one list per member or one for every member, set together after
  /// the population is created.
  list_map lists_each;
};

/// A connection call of a model file.
struct connection_spec {
  std::string source;  ///< population name
  std::string target;  ///< population name
  starling::rule rule;
  /// The synapse; its weight_recorder is set when the network is built, from the name below.
  starling::synapse synapse;
  std::string weight_recorder;  ///< name of a weight_recorder of the file; empty if none
};

/// What a recorder records; `weights` is NEST's weight_recorder, which synapses name.
enum class recorder_type { spike_recorder, voltmeter, connections, weights };

/// A recorder of a model file; "multimeter" in a file is a voltmeter of its variables.
struct recorder_spec {
  std::string name;  ///< unique within the file; the recording is written to <name>.csv
  recorder_type type = recorder_type::spike_recorder;
  std::string population;                     ///< spike recorder and voltmeter
  recording_window window;                    ///< spike recorder only: start, stop, origin
  double interval = 1.0;                      // ms, voltmeter only
  std::vector<std::string> variables{"V_m"};  ///< voltmeter only
  std::string source;                         ///< connections only: source population
  std::string target;                         ///< connections only: target population
};

/// The content of a model file.
struct model_file {
  kernel_options kernel;
  std::vector<population_spec> populations;
  std::vector<connection_spec> connections;
  std::vector<recorder_spec> recorders;
  double simulate = 0.0;  // ms
};

/// The back end named "cpu", "cuda" or "auto", if `name` is one of them.
std::optional<backend> backend_from_name(const std::string& name);
/// "auto", "cores" or "none"; nullopt for anything else.
std::optional<binding> binding_from_name(const std::string& name);
/// "point_to_point", "all_to_all", "neighbourhood" or "hierarchical"; nullopt otherwise.
std::optional<exchange_strategy> exchange_from_name(const std::string& name);

/// Parses the JSON text of a model file. Throws `starling::invalid_argument` whose message names
/// the field ("model file: populations[1].size: expected an integer >= 1, got \"ten\"").
model_file parse_model(const std::string& json_text);

/// Reads and parses a model file; an unreadable file is a `starling::invalid_argument` too.
model_file read_model_file(const std::filesystem::path& file);

/// Settings that override those of the file's `kernel`.
struct run_options {
  std::optional<backend> where;
  std::optional<std::int64_t> slice_steps;    ///< >= 1
  bool progress = false;                      ///< report simulation progress on stderr
  std::optional<binding> bind;                ///< threads to cores; overrides kernel.bind
  std::optional<exchange_strategy> exchange;  ///< overrides kernel.exchange
  bool verbose = false;                       ///< print the topology and placement on stderr
};

/// The file formats a run writes its recordings in.
struct output_formats {
  bool csv = true;   ///< <name>.csv, every recorder
  /// <name>.h5: SONATA spikes and reports of states (not connections); by default where
  /// Starling was built with HDF5
  bool hdf5 = have_hdf5();
};

/// The formats named in a comma-separated list of "csv" and "hdf5"; throws
/// `starling::invalid_argument` naming an unknown one, or hdf5 in a build without HDF5 (before
/// any simulation).
output_formats formats_from_names(const std::string& list);

/// Activity of one population in a run.
struct population_summary {
  std::string name;
  std::string model;
  std::size_t size = 0;
  bool recorded = false;   ///< true when a spike recorder observed it
  std::size_t spikes = 0;  ///< spikes recorded
  double rate = 0.0;       // spikes/s per member
};

/// What one recorder recorded: `spikes` for a spike recorder, `samples` for a voltmeter,
/// `connections` (from `source` to `target`, read after the run: plastic weights as they ended)
/// for connections, `weights` (gathered from the processes of the recorded synapses' targets)
/// for a weight recorder.
struct recording {
  std::string name;
  std::string population;
  recorder_type type = recorder_type::spike_recorder;
  spike_data spikes;
  sample_data samples;
  std::string source;
  std::string target;
  connection_data connections;
  weight_data weights;
  /// Population names by population id, for the rows of `weights`.
  std::vector<std::string> population_names;
  int writer = 0;           ///< the process that writes the CSV file
  int owner = 0;            ///< the process that holds the population and writes the HDF5 file
  std::size_t size = 0;     ///< members of the recorded population
  spike_data local_spikes;  ///< spikes recorded on this process (the owner's are all of them)
  double t_start = 0.0;     // ms, start of the spike recording window within the run
  double t_stop = 0.0;      // ms, its end
  double interval = 1.0;    // ms, voltmeter only
  std::vector<std::string> units;  ///< voltmeter only: units of each variable
};

/// Figures and recordings of a run.
struct run_result {
  std::string device;       ///< "cpu" or "cuda:<name>"
  std::size_t neurons = 0;  ///< members of neuron populations
  std::size_t devices = 0;  ///< members of generator populations
  std::size_t connections = 0;
  std::int64_t slice_steps = 0;
  double model_time = 0.0;        // ms simulated
  double build_seconds = 0.0;     // s of wall time: construction and preparation
  double sim_seconds = 0.0;       // s of wall time: simulate
  double real_time_factor = 0.0;  ///< sim_seconds per second of model time
  std::vector<population_summary> populations;
  std::vector<recording> recordings;
  int rank = 0;             ///< this process
  int processes = 1;        ///< processes of the run
  exchange_stats exchange;  ///< spikes exchanged between processes
};

/// Builds the network of `model`, simulates it and returns what was measured and recorded.
/// Errors of the simulator are rethrown with the path of the field that caused them
/// ("model file: connections[0]: connect: delay 0.01 ms is below the resolution 0.1 ms").
run_result run(const model_file& model, const run_options& options = {});

/// Writes each recording to `dir`/<name>.csv and `dir`/<name>.h5 (as `formats` says), creating
/// `dir` if needed; each file under a temporary name, renamed when complete. Returns the files
/// this process wrote: CSV files of spikes and weights are written by process 0 from the gathered
/// rows, HDF5 files by the process that holds the population, from its own spikes.
std::vector<std::filesystem::path> write_recordings(const run_result& result,
                                                    const std::filesystem::path& dir,
                                                    const output_formats& formats = {});

}  // namespace starling::io
