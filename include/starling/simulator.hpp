#pragma once
/// The C++ API of Starling: build a network, simulate it, read what was recorded.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "starling/error.hpp"
#include "starling/types.hpp"

namespace starling {

/// Information about a registered model: a neuron or device model (`create`) or a synapse model
/// (`synapse::model` of connect calls).
struct model_description {
  std::string name;
  bool is_neuron = true;
  /// A synapse model (is_neuron false): its parameters are the names synapse::params takes (the
  /// weight and delay are the synapse's own fields); it has no states.
  bool is_synapse = false;
  bool plastic = false;  ///< synapse models: whether the connections' weights change
  std::vector<std::string> parameters;
  std::vector<std::string> states;
  /// Defaults (NEST's) and units, parallel to parameters and states; a receptor list
  /// (multisynapse models) defaults to the values in parameter_lists.
  std::vector<double> parameter_defaults, state_defaults;
  std::vector<std::string> parameter_units, state_units;
  std::map<std::string, std::vector<double>> parameter_lists;
  bool exact_integration = true;  ///< as NEST: exact propagators, else adaptive RKF45
};

/// Names of every model `create` accepts.
std::vector<std::string> models();

/// Names of every synapse model connect calls accept (`synapse::model`), static_synapse first.
std::vector<std::string> synapse_models();

/// Parameters and recordable states of a model `create` accepts, or the parameters of a synapse
/// model; throws invalid_argument for unknown names.
model_description describe(const std::string& model);

/// Prints the message and ends every process of the run (MPI_Abort where several run): what an
/// application does with an error that one process alone has seen, instead of hanging the others.
[[noreturn]] void abort_run(const std::string& message);

/// Number of processes of this run (1 unless started by an MPI launcher).
int processes_of_run();

/// Whether the cuda back end can run here (built with CUDA and a device is visible).
bool cuda_available();

/// A network and its simulation. Owns the StarPU runtime for its lifetime; one per process.
/// Every method that rejects its input throws `starling::invalid_argument` and leaves the
/// simulator as it was.
class simulator {
 public:
  explicit simulator(const kernel_options& options = {});
  ~simulator();
  simulator(const simulator&) = delete;
  simulator& operator=(const simulator&) = delete;

  /// Creates n neurons or devices of a model on this process, with parameters and initial
  /// states by NEST name. In runs of several processes, networks that must not depend on the
  /// process count are built with remote_create and remote_connect.
  population create(const std::string& model, std::size_t n, const value_map& params = {});

  /// Creates a population on process `rank`. Collective: every process calls it, in the same
  /// order; the others keep only its size and ids.
  population remote_create(int rank, const std::string& model, std::size_t n,
                           const value_map& params = {});

  /// Connects pre to post by a rule; weights in pA, delays in ms (rounded to steps, >= 1 step).
  void connect(const population& pre, const population& post, const rule& r = {},
               const synapse& syn = {});

  /// Connects populations that may live on different processes. Collective: every process
  /// calls it; the connections are generated on the target's process, from random streams that
  /// do not depend on the number of processes.
  void remote_connect(int source_rank, const population& pre, int target_rank,
                      const population& post, const rule& r = {}, const synapse& syn = {});

  /// This process's rank and the number of processes of the run.
  int rank() const;
  int processes() const;
  /// The process that owns a population.
  int rank_of(const population& pop) const;

  /// Every process's spikes of a recorder, sorted by time then index. Collective.
  spike_data gather_spikes(const recorder& r) const;

  /// Every process's rows of a weight recorder (each process records those of the synapses
  /// whose targets it holds), sorted as `weights` sorts them: by time, source population,
  /// source, target population, target, then weight. Collective: every process calls it and
  /// gets all rows.
  weight_data gather_weights(const recorder& r) const;

  /// Time and bytes spent exchanging spikes between processes.
  exchange_stats exchange() const;

  /// The processes this one exchanges spikes with (prepares the network if needed).
  exchange_neighbours neighbours();

  /// Records the spikes of a population; as NEST's spike_recorder, only those with
  /// origin + start < t <= origin + stop (the window's defaults: all).
  recorder record_spikes(const population& pop, const recording_window& window = {});

  /// Records state variables of a population every `interval` ms (a multiple of the resolution).
  recorder record_states(const population& pop, const std::vector<std::string>& variables,
                         double interval = 1.0);

  /// A weight_recorder (NEST): give it as `synapse::weight_recorder` to connect calls with a
  /// plastic synapse model; it records each of their connections' weight at each presynaptic
  /// spike.
  recorder record_weights();
  /// Builds the runtime data of the network now (registration, device memory check); otherwise
  /// the next `simulate` does it. Part of construction time in benchmarks.
  void prepare();

  /// Advances the network by `duration` ms; may be called repeatedly and continues in time.
  void simulate(double duration);

  /// Reads a parameter or state variable of every member of a population.
  std::vector<double> get(const population& pop, const std::string& name) const;

  /// Sets a parameter or state variable between runs. For a population of another process it
  /// is part of the collective build: the owner applies it.
  void set(const population& pop, const std::string& name, const value& v);

  /// Sets the spike times (ms) of a spike_generator population: one list for all generators or
  /// one list per generator. Times must be multiples of the resolution, sorted and in the future.
  void set_spike_times(const population& pop, const std::vector<std::vector<double>>& times);

  /// Sets list parameters of a device population together, each as one list for all members or
  /// one list per member: spike_times (ms), spike_weights and spike_multiplicities (one per
  /// spike time, or none) of a spike_generator; amplitude_times (ms) and amplitude_values (pA)
  /// of a step_current_generator (NEST sets these two together). `set(pop, name, list)` sets
  /// one of them for every member.
  void set_lists(const population& pop, const list_map& lists);

  /// Spikes recorded so far by a spike recorder.
  const spike_data& spikes(const recorder& r) const;

  /// Samples recorded so far by a state recorder.
  const sample_data& samples(const recorder& r) const;
  /// Weights recorded so far by a weight recorder.
  const weight_data& weights(const recorder& r) const;

  /// Simulated time so far.
  double time() const;  // ms

  /// Number of connections held by this process (those whose targets it holds).
  std::size_t num_connections() const;

  /// Bytes of this process's synapse tables (on its GPU with the cuda back end): 8 per synapse
  /// (packed target and delay, weight) and 8 per source row of each connect call.
  std::size_t synapse_bytes() const;

  /// Number of connections of all processes. Collective.
  std::size_t total_connections() const;

  /// The connections from `source` and to `target` (either may be left out: any population)
  /// that this process holds (those whose targets it holds), by connect call, then by source
  /// index, then by delay.
  connection_data get_connections(const std::optional<population>& source = std::nullopt,
                                  const std::optional<population>& target = std::nullopt) const;

  /// Resolution h.
  double resolution() const;  // ms

  /// Steps per slice actually used by the last `simulate`.
  std::int64_t slice_steps() const;

  /// "cpu" or "cuda": the back end that runs the network.
  std::string device() const;

  /// The cores (hwloc logical indices) each StarPU worker thread of this process may run on
  /// (see kernel_options::bind).
  std::vector<std::vector<int>> worker_cores() const;

  /// Model name and size of a population.
  std::string model_of(const population& pop) const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace starling
