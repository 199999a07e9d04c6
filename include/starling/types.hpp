#pragma once
/// Value types of the public API: parameters, connection rules, synapse specifications.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace starling {

/// A random distribution with NEST's names and parameters: uniform (low, high), normal (mu,
/// sigma), normal_clipped (mu, sigma, low, high; values outside are redrawn), lognormal (mu,
/// sigma of the underlying normal), exponential (beta, the mean), gamma (k, theta).
struct distribution {
  std::string name;
  std::map<std::string, double> params;
};

/// A parameter, state, weight or delay: one scalar for all, one value per member (or per
/// connection), or a distribution each member (connection) draws from.
using value = std::variant<double, std::vector<double>, distribution>;

/// Parameters or initial states by NEST name (`V_m`, `tau_syn_ex`, ...).
using value_map = std::map<std::string, value>;

/// List parameters of devices by NEST name, one list per member (or one for all):
/// spike_times, spike_weights, amplitude_times, ...
using list_map = std::map<std::string, std::vector<std::vector<double>>>;

/// When a recorder records, as NEST's start, stop and origin (ms): events with time stamps
/// origin + start < t <= origin + stop.
struct recording_window {
  double start = 0.0;                                     // ms
  double stop = std::numeric_limits<double>::infinity();  // ms
  double origin = 0.0;                                    // ms
};

/// A handle to a population created by `simulator::create`; cheap to copy.
struct population {
  std::size_t id = 0;    ///< index of the population in its simulator
  std::size_t size = 0;  ///< number of neurons or devices
};

/// Connection rule with NEST's names and semantics.
struct rule {
  std::string name = "all_to_all";  ///< one_to_one, all_to_all, fixed_indegree, ...
  std::size_t indegree = 0;         ///< for fixed_indegree
  std::size_t outdegree = 0;        ///< for fixed_outdegree
  std::size_t total = 0;            ///< for fixed_total_number (NEST: N)
  double p = 0.0;                   ///< for pairwise_bernoulli
  bool allow_autapses = true;
  bool allow_multapses = true;
};

/// A recorder handle returned by the simulator.
struct recorder {
  std::size_t id = 0;
};

/// Synapse of a connection call: weights in pA (current synapses) and delays in ms, as one scalar
/// or one value per connection (in the order the rule generates them).
/// `model`: static_synapse, or one of NEST's STDP models (weights change at each presynaptic
/// spike, the delay counting as dendritic, as in NEST): stdp_synapse, stdp_pl_synapse_hom,
/// stdp_nn_symm_synapse, stdp_nn_pre_centered_synapse, stdp_nn_restr_synapse. Their parameters
/// (NEST's names and defaults: tau_plus, lambda, alpha, mu_plus, mu_minus, Wmax; mu for
/// stdp_pl_synapse_hom) are one value for the whole call, in `params`; the post neuron's
/// `tau_minus` is a parameter of every neuron model. A `weight_recorder` (record_weights)
/// records the weight of each plastic connection at each presynaptic spike.
struct synapse {
  std::string model = "static_synapse";
  value weight = 1.0;  // pA
  value delay = 1.0;   // ms
  int receptor = 0;    ///< receptor port; 0 = chosen by the sign of the weight
  std::map<std::string, double> params = {};
  std::optional<recorder> weight_recorder = std::nullopt;
};

/// Where the simulation runs.
enum class backend { cpu, cuda, automatic };

/// How a slice's spikes travel between processes: point to point with the processes that have
/// targets (MPI_Isend / MPI_Recv), MPI_Alltoallv over all processes, or neighbourhood
/// collectives on an MPI distributed-graph communicator of the partners (weighted by the
/// expected volume, ranks reordered by MPI). The spikes are the same with each.
/// `hierarchical`: through one leader per node (the processes sharing memory, or
/// $STARLING_NODE_SIZE consecutive ranks), which exchange what crosses nodes.
enum class exchange_strategy { point_to_point, all_to_all, neighbourhood, hierarchical };

/// Binding of a process's threads (StarPU workers, the CUDA driver thread, the main thread) to
/// cores, from the hwloc topology: `automatic` binds when the MPI launcher starts several
/// processes on the node, `cores` always, `none` never. A process is bound to the cores near
/// its GPU (or its part of a package), shared evenly with the other processes near them.
enum class binding { automatic, cores, none };

/// The host's MPI communicator for Starling to run on, held as its Fortran handle (MPI_Comm_c2f)
/// so that this header needs no mpi.h; `starling::mpi_communicator(comm)` in starling/mpi.hpp
/// makes one. Left empty, Starling runs on MPI_COMM_WORLD when started by an MPI launcher (and
/// then initialises and finalises MPI itself unless the host already did).
struct host_communicator {
  bool given = false;       ///< whether a communicator was given
  std::int64_t handle = 0;  ///< MPI_Fint of the communicator (MPI_Comm_c2f)
};

/// Kernel options, fixed when the simulator is constructed.
struct kernel_options {
  double resolution = 0.1;             // ms
  std::uint64_t seed = 143202461;      ///< NEST's default master seed
  backend where = backend::automatic;  ///< cuda when a GPU is present, else cpu
  std::int64_t slice_steps = 0;        ///< steps per slice; 0 = automatic
  int cpu_workers = 1;                 ///< StarPU CPU workers (cpu back end)
  std::string scheduler = "eager";     ///< StarPU scheduling policy (eager, dmda, lws, ...)
  bool progress = false;               ///< print progress of long runs to stderr
  binding bind = binding::automatic;   ///< threads to cores (hwloc)
  bool verbose = false;                ///< print the topology and this process's place (stderr)
  exchange_strategy exchange = exchange_strategy::point_to_point;
  /// Post spikes kept per neuron that plastic synapses target (their history): a synapse whose
  /// source is silent while its target spikes more often than this stops the run with an
  /// error that names this option.
  std::int64_t stdp_history = 64;
  /// Processes the simulator runs on: the host's communicator (every process of it constructs
  /// a simulator; others of the host's processes need not), or the default described above.
  host_communicator communicator;
};

/// Spikes held by a spike recorder: parallel arrays, sorted by time then index.
struct spike_data {
  std::vector<std::uint32_t> index;  ///< index within the recorded population, 0-based
  std::vector<double> time;          // ms, end of the step
};

/// Samples held by a voltmeter (multimeter): one row per (time, neuron).
struct sample_data {
  std::vector<std::string> variables;
  std::vector<double> time;                 // ms
  std::vector<std::uint32_t> index;         ///< index within the population
  std::vector<std::vector<double>> values;  ///< values[v][row] for variable v
};

/// Connections as parallel arrays (one entry per synapse), as `get_connections` returns them.
struct connection_data {
  std::vector<std::size_t> source_population;
  std::vector<std::uint32_t> source;  ///< index within the source population
  std::vector<std::size_t> target_population;
  std::vector<std::uint32_t> target;  ///< index within the target population
  std::vector<double> weight;         // pA
  std::vector<double> delay;          // ms (whole steps)
  std::vector<int> receptor;          ///< receptor port as given to connect
};

/// The processes this process exchanges spikes with, from the connectivity: those with targets
/// of its neurons and those whose neurons have targets here, in rank order.
struct exchange_neighbours {
  std::vector<int> send_to;
  std::vector<int> receive_from;
};

/// The exchange of spikes between processes, summed over the runs so far.
struct exchange_stats {
  double seconds = 0.0;          ///< wall time of gather, exchange and remote delivery
  std::uint64_t bytes_sent = 0;  ///< spike data this process sent
  std::uint64_t slices = 0;      ///< slices exchanged
  std::uint64_t messages = 0;    ///< messages this process sent (all_to_all: to every other)
  double node_seconds = 0.0;     ///< hierarchical: within the node (to and from the leader)
  double between_seconds = 0.0;  ///< hierarchical: between the nodes' leaders
};

/// Weights recorded by a weight_recorder: one row per (presynaptic spike, connection), sorted
/// by time, then source, then target, as NEST's weight_recorder events.
struct weight_data {
  std::vector<double> time;  ///< ms: the presynaptic spike's time
  std::vector<std::size_t> source_population;
  std::vector<std::uint32_t> source;  ///< index within the source population
  std::vector<std::size_t> target_population;
  std::vector<std::uint32_t> target;  ///< index within the target population
  std::vector<double> weight;         ///< after the update at that spike
};

}  // namespace starling
