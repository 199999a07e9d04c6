#pragma once
// Host copy of one population: parameters, states, coefficients, input ring and spike list,
// as structure-of-arrays rows of n values, and their registration with the runtime.
#include <cstdint>
#include <cstdlib>
#include <new>
#include <set>
#include <utility>
#include <vector>

#include "model_registry.hpp"
#include "runtime/buffer.hpp"

namespace starling::network {

/// Allocates zeroed memory (calloc) and leaves value-initialised elements as they are: a large
/// array comes from zero pages the kernel maps only when touched, so an input ring of tens of
/// megabytes costs nothing until data is written to it or copied from it. For arrays made at
/// their size: elements added after a shrink would keep their old values.
template <typename T>
struct zeroed_allocator {
  using value_type = T;
  zeroed_allocator() = default;
  template <typename U>
  explicit zeroed_allocator(const zeroed_allocator<U>&) noexcept {}
  T* allocate(std::size_t n) {
    void* p = std::calloc(n == 0 ? 1 : n, sizeof(T));
    if (p == nullptr) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t) noexcept { std::free(p); }
  template <typename U>
  void construct(U*) noexcept {}  // already zero
  template <typename U, typename... A>
  void construct(U* p, A&&... a) {
    ::new (static_cast<void*>(p)) U(std::forward<A>(a)...);
  }
  friend bool operator==(const zeroed_allocator&, const zeroed_allocator&) { return true; }
  friend bool operator!=(const zeroed_allocator&, const zeroed_allocator&) { return false; }
};

struct population_data {
  const model_spec* model = nullptr;
  std::int64_t n = 0;
  std::uint64_t gid_base = 0;  ///< global id of member 0 (keys the generators' random streams)
  int rank = 0;                ///< the process that owns the population
  bool local = true;           ///< owned by this process (records, answers get)
  /// The arrays below are held and updated here: the owner, and for generators created by
  /// remote_create every process, so that a generator drives its targets on any process with
  /// the same draws (keyed by gid_base) as on one.
  bool held = true;
  std::set<int> export_to;  ///< processes with targets of this population

  std::vector<double> params;  ///< [n_params][n]
  std::vector<double> state;   ///< [n_states][n]
  std::vector<double> coeff;   ///< [n_coeffs][n]
  std::vector<std::int64_t, zeroed_allocator<std::int64_t>>
      ring;  ///< [ring_slots][n_receptors][n], fixed point
  std::int64_t ring_slots = 1;
  std::vector<std::uint32_t> spikes;  ///< spike list of the current step

  /// List parameters (model_spec::lists): lists[l][i] is list l of member i (spike_times in
  /// ms, spike_weights, ...; amplitude_times in ms, amplitude_values in pA).
  std::vector<std::vector<std::vector<double>>> lists;
  /// Devices with times (spike_generator, step_current_generator): every member's stamps
  /// (steps; a spike of multiplicity m repeated m times), a value per stamp (spike weight, 1
  /// without spike_weights; amplitude) and offsets [n + 1] into them.
  std::vector<std::int64_t> stamps;
  std::vector<double> values;
  std::vector<std::int64_t> offsets;
  bool weighted = false;         ///< spike_generator: some member has spike_weights
  bool targets_changed = false;  ///< noise_generator: connected since the last run

  runtime::buffer b_state, b_coeff, b_ring, b_spikes, b_stamps, b_offsets, b_values;

  population_data(const model_spec& m, std::int64_t size, std::uint64_t gid, int owner, bool mine,
                  bool hold);

  /// Receptor ports in use (by_port models): the fewest any member has; where the population
  /// lives on another process, INT_MAX (its owner checks).
  int ports() const;
  /// Recomputes coefficients of all members from params (validates; throws on bad values).
  void derive(double h);
  /// Whether the model keeps a table of times (spike_generator, step_current_generator).
  bool has_times() const { return !model->lists.empty(); }
  /// Checks the lists and rebuilds the table of stamps from them, rewinding the cursors
  /// (spike_generator: where `new_times`, spikes not after step `now` are refused;
  /// step_current_generator: NEST's rules for amplitude times). On error nothing changes.
  void build_tables(double h, std::int64_t now, bool new_times = true);
  /// Points every member's cursor at its first stamp (the update passes those in the past).
  void rewind();
  /// Grows or shrinks the ring to `slots`, keeping the inputs pending after step `now`.
  void resize_ring(std::int64_t slots, std::int64_t now);

  void register_buffers();
  void unregister_buffers();
  /// Bytes the registered buffers take on a device.
  std::size_t device_bytes() const;

  /// Neurons that plastic synapses target: their post spike history
  /// (codelets/plasticity/stdp_math.hpp, history_view), kept from its first preparation on.
  std::int64_t history_capacity = 0;
  std::vector<std::uint64_t> history;
  runtime::buffer b_history;
  /// Creates the history (empty) or, where it exists, refreshes its tau_minus row from the
  /// parameters.
  void prepare_history(std::int64_t capacity);
};

}  // namespace starling::network
