#pragma once
// The simulator's private state, shared by the files that implement the API
// (simulator.cpp, simulator_prepare.cpp, simulator_connect.cpp).
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "codelets/advance/advance.hpp"
#include "codelets/exchange/spike_exchange.hpp"
#include "population.hpp"
#include "projection.hpp"
#include "random_values.hpp"
#include "recorders.hpp"
#include "runtime/buffer.hpp"
#include "runtime/communicator.hpp"
#include "runtime/engine.hpp"
#include "runtime/task_order.hpp"
#include "starling/simulator.hpp"

namespace starling {

/// Steps per slice when the options leave it open.
constexpr std::int64_t default_slice_steps = 100;
constexpr std::int64_t long_slice_steps = 1000;

/// The engine options for the kernel options; sets use_cuda. Throws for impossible requests.
runtime::engine_options engine_for(const kernel_options& o, bool& use_cuda);

enum class recorder_kind { spikes, states, weights };

/// CUDA blocks that share one source's row of a projection.
std::int32_t row_parts(const network::projection& pr, const network::population_data& src);

/// The explicit order of the slice-end tasks of several processes over one run. The exchange
/// task (on the host) reads the outboxes that a slice's advance wrote and writes the inboxes
/// that the remote deliveries then read, all in host memory the GPU reaches; sharing their
/// counts as data handles between GPU tasks and the host task would copy them at every slice.
/// So each exchange follows the tasks that ended its slice's recording, the exchange before it
/// and the deliveries before it (which read the inboxes it overwrites); the deliveries follow
/// their exchange; the next slice's advance follows the exchange (which read the outboxes it
/// overwrites). The tasks named by a later slice are kept until then.
struct slice_links {
  runtime::kept_tasks kept;
  std::vector<runtime::task> recorded;   ///< tasks that ended the last slice's recording
  std::vector<runtime::task> exchanged;  ///< the last slice's exchange
  std::vector<runtime::task> delivered;  ///< the last slice's remote deliveries
  slice_links() = default;
  slice_links(const slice_links&) = delete;
  slice_links& operator=(const slice_links&) = delete;
  ~slice_links() {
    for (auto* tasks : {&recorded, &exchanged, &delivered}) kept.release(*tasks);
  }
};

struct simulator::impl {
  kernel_options opts;
  /// The host's communicator while the simulator lives (before the engine, released after it).
  runtime::attachment attachment{opts.communicator};
  bool use_cuda = false;
  int cuda_device = runtime::local_cuda_device();
  runtime::engine engine;
  std::vector<std::unique_ptr<network::population_data>> pops;
  std::vector<std::unique_ptr<network::projection>> projections;
  std::vector<std::unique_ptr<network::spike_recorder>> spike_recs;
  std::vector<std::unique_ptr<network::state_recorder>> state_recs;
  std::vector<weight_data> weight_recs;
  std::vector<recorder_kind> recorder_kinds;
  std::vector<std::size_t> recorder_slot;
  std::uint64_t next_gid = 0;
  std::uint64_t connect_calls = 0;
  std::uint64_t member_draws = 0;  // assignments so far (each keys its own random draws)
  std::uint64_t collectives = 0;   // collective calls so far (checked to agree)
  runtime::communicator& comm = runtime::communicator::world();
  /// Spikes of local populations with targets on other processes, per slice.
  std::map<std::size_t, std::unique_ptr<network::spike_recorder>> outboxes;
  /// Spikes received from remote populations with targets here, per slice, by population:
  /// [0] count, then entries, in host memory the GPU reads directly.
  std::map<std::size_t, runtime::host_block<std::uint64_t>> inbox_data;
  /// What the exchange task of each slice sends and receives (and its figures).
  std::unique_ptr<codelets::spike_exchange::plan> exchange_plan;
  exchange_stats stats;  ///< figures of earlier preparations
  std::int64_t now = 0;  // steps simulated
  std::int64_t slice = 0;
  bool prepared = false;
  codelets::advance::plan plan;

  explicit impl(const kernel_options& o) : opts(o), engine(engine_for(o, use_cuda)) {}
  ~impl() { unprepare(); }

  network::population_data& pop(const population& p) {
    if (p.id >= pops.size() || pops[p.id]->n != static_cast<std::int64_t>(p.size))
      throw invalid_argument("population " + std::to_string(p.id) + " of size " +
                             std::to_string(p.size) + " does not exist; " +
                             std::to_string(pops.size()) + " populations were created");
    return *pops[p.id];
  }

  /// A population held by this process; throws naming its owner otherwise.
  network::population_data& local_pop(const population& p, const char* what) {
    network::population_data& d = pop(p);
    if (!d.local)
      throw invalid_argument(std::string(what) + ": population " + std::to_string(p.id) +
                             " lives on process " + std::to_string(d.rank) + ", not on " +
                             std::to_string(comm.rank()));
    return d;
  }

  void unprepare();
  void prepare();
  /// NEST's pre_run_hook of the devices that have one, at the start of a simulate call.
  void pre_run();
  /// Steps per slice: the option, bounded by the shortest delay between processes. Collective.
  std::int64_t slice_length() const;
  /// The slice length asked for, or the automatic one of a single process.
  std::int64_t chosen_slice() const;
  void check_device_memory() const;
  /// Throws when the input one step can bring a neuron (its largest |weight| times synapses
  /// times spikes per step, summed over its tables) reaches the rings' range, 2^31.
  void check_ring_range(const std::string& what) const;
  /// Throws if the network grown by `extra` bytes would not fit in the GPU's memory.
  /// Throws when `extra` more bytes of network data (and `host_scratch` bytes of host memory
  /// that building them takes) do not fit: on the GPU with the cuda back end, in host memory
  /// with the cpu back end.
  void check_fits(double extra, const std::string& what, double host_scratch = 0.0) const;
  // The device's free and total memory at the last ask, and the network's bytes on it then.
  mutable double device_free = 0.0, device_total = 0.0, device_mine = 0.0;
  std::size_t network_bytes() const;
  /// Bytes of the local synapse tables (part of network_bytes).
  std::size_t synapse_bytes() const;
  /// Bytes of the batched GPU slice's queue of delivery units (part of network_bytes).
  std::size_t delivery_queue_bytes() const;
  codelets::op_buffers population_io(network::population_data& p);
  /// Adds handle h with access m to an operation's buffers (and to the plan's handles).
  void use(codelets::op_buffers& io, runtime::handle h, runtime::access m) {
    io.add(plan.handle_index(h, m), m);
  }
  /// Adds a population owned by `rank`, held here if it is this process or, for a generator
  /// created by every process (`collective`), on every process.
  population add_population(int rank, const std::string& model, std::size_t n,
                            const value_map& params, bool collective);
  /// Connects; generates the synapses if the target is local.
  void connect_any(const population& pre, const population& post, const rule& r,
                   const synapse& syn);
  /// Makes a generated projection plastic: its double weights (from the table's), source
  /// state, and the one-off task that initialises them.
  void make_plastic(network::projection& pr, const synapse& syn,
                    const codelets::plasticity::stdp_params& params);
  /// The plan's operations of plastic projections: post histories and deliveries (after the
  /// updates), and the sizes of the weight recorders' buffers.
  void prepare_plasticity();
  /// After a slice: moves the weight recorders' entries into their data.
  void flush_weights();
  /// Which populations plastic synapses target (they keep a post spike history).
  std::vector<bool> plastic_targets() const;
  /// Whether a weight recorder records connections held here.
  bool records_weights() const;
  /// After simulate: throws if a plastic synapse lacked history or a recorder overflowed.
  void check_plasticity();
  /// The remote deliveries of plastic projections of a received slice.
  void submit_remote_plastic(network::projection& pr, std::int64_t first,
                             const runtime::task_order& order);
  /// Throws unless every process makes the same collective call now.
  void agree(const std::string& what, std::uint64_t signature);
  /// Adds the figures of the current exchange plan (if any) to `s`.
  void add_exchange_figures(exchange_stats& s) const;
  /// Builds the exchange plan and the inboxes of a preparation with other processes.
  void prepare_exchange();
  /// Submits the slice-end tasks with other processes: exchange, then remote deliveries, in
  /// the order `links` keeps.
  void submit_exchange(std::int64_t first, slice_links& links);
  std::uint64_t next_member_key() {
    return network::draw_key(opts.seed, network::draw_purpose::member, member_draws++);
  }
};

}  // namespace starling
