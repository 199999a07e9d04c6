// The slice on a CUDA worker. Where the plan holds only generators, neuron updates,
// deliveries and spike recording (the common case), a step is two batched kernels:
//   update   every member of every population, one thread each: neurons integrate (with DC
//            generator input added in place), generators emit; each spike goes into the
//            population's list, straight to its recorders, and into the step's queue of
//            delivery units (part of its row of one outgoing projection each), which the lanes
//            of its warp write together. Neither the spikes nor the units depend on the step's
//            inputs (the threshold sees the membrane, which the inputs reach a step later), so
//            the update computes them while the delivery of the step before still runs, and
//            adds the inputs once it has ended;
//   deliver  block b takes units b, b + gridDim.x, ... of the queue: no scan, no spike list.
// Poisson generators that reach every member of a population with one delay d have their
// draws on a side branch of the graph, a window of up to 8 steps per kernel, beside the step
// kernels (their events arrive d steps later, after the window).
// Counts and the unit queue alternate between two halves by the parity of the step, so the
// update of step t writes its own while the delivery of step t - 1 reads the other.
// The slice's steps are captured once as a CUDA graph (per slice length) and replayed: a loop on
// the device over passes of about 128 steps (a conditional node), then the steps left. Kernels
// read the pass's first step from device memory, so no step number is baked into the graph, and
// each step kernel is a programmatic dependent launch: its blocks are placed while the kernel
// before it ends, and wait for its writes in cudaGridDependencySynchronize. A slice's spike
// recorders (they alternate buffers between slices) are written into the items before it.
// Other plans run one kernel per operation and step, as the per-operation codelets do.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "advance.hpp"
#include "codelets/common/fixed_point.hpp"
#include "codelets/common/philox.hpp"
#include "codelets/common/population_io.hpp"
#include "codelets/dc_generator/dc_generator_step.hpp"
#include "codelets/neuron/neuron.hpp"
#include "codelets/noise_generator/noise_generator_step.hpp"
#include "codelets/poisson_generator/poisson_generator_step.hpp"
#include "codelets/record_spikes/record_spikes_math.hpp"
#include "codelets/spike_generator/spike_generator_step.hpp"
#include "codelets/step_current_generator/step_current_generator_step.hpp"
#include "runtime/cuda_check.cuh"

namespace starling::codelets::advance {

namespace {

constexpr int max_recorders = 4;
constexpr int update_threads = 128;
constexpr int deliver_threads = 128;
// Delivery blocks per SM: the delivery shares the SMs with the next update, which starts while
// it runs (measured on an H200: 3 per SM 8.62 µs per step, 5 (a full wave) 8.77, 1 8.88).
constexpr int deliver_blocks_per_sm = 3;
constexpr int max_updates_per_kernel = 64;
constexpr int staged_folds = 4;
constexpr int staged_outs_max = 16;
constexpr int spike_prefetch = 4;  // synapses a delivery thread loads before its atomics
constexpr int poisson_threads = 128;
constexpr int max_poisson_window = 8;
constexpr int max_slice_recorders = 32;  // spike recorders of a batched plan

/// What a batched population is: a neuron population or a generator of some kind.
enum class member : std::int32_t { neuron, poisson, dc, spikes, step_current, noise };

struct update_item {
  std::int64_t n;
  member kind;
  std::int32_t list;     ///< index of its spike counts (two words, by parity)
  std::uint32_t* words;  ///< spike list: ids at + 1, multiplicities at + 1 + n
  double* state;
  const double* coeff;
  // neurons
  std::int64_t ring_slots;
  std::int64_t* ring;
  std::int32_t model;                 ///< index in models::all
  std::int32_t channels;              ///< ring channels per member
  bool uniform;                       ///< every member has coeff_u (no per-member rows to read)
  bool reads_current;                 ///< something delivers into the current channel
  std::int32_t fold_begin, fold_end;  ///< DC generator projections added inside the update
  std::int32_t n_outs;  ///< outgoing projections (fused_program::outs, out_stride per item)
  std::int32_t units;   ///< delivery units of one spike: the sum of their parts
  std::int64_t first;   ///< the slice's first step (written before each slice)
  std::int64_t base;    ///< the first step of this pass of the graph's loop (k counts from it)
  // spike and step current generators: stamps, offsets and a value per stamp
  const std::int64_t* stamps;
  const std::int64_t* offsets;
  const double* values;
  // recorders of the population's spikes (their counts and entries written before each slice:
  // recorders alternate sides between slices)
  std::int32_t n_rec;
  unsigned long long* rec[max_recorders];  ///< entry counts
  std::uint64_t* entries[max_recorders];
  std::int64_t capacity[max_recorders];
  /// Last: a block stages the item only up to its model's n_coeffs of these (the list's
  /// largest model sets the size; the others should not pay for it).
  double coeff_u[neuron::max_coeffs];
};

/// Bytes of an update item that a block of model M's kernel stages.
template <typename M>
constexpr std::size_t staged_item_bytes() {
  return offsetof(update_item, coeff_u) + sizeof(double) * static_cast<std::size_t>(M::n_coeffs);
}

// A slice's spike recorders: recorder r of update item y counts into `count` and writes
// `entries`.
struct slice_recorders {
  std::int32_t n;
  struct {
    std::int32_t y, r;
    unsigned long long* count;
    std::uint64_t* entries;
  } at[max_slice_recorders];
};

// A DC generator projection onto every member of a population with one delay: its events are
// added in the target's update (each target's own ring words, no atomics), with the values and
// ring slots the delivery kernel would use.
struct fold_item {
  deliver::args a;
  const double* coeff;  ///< the generators' coefficients
  const std::int64_t* rows;
  const float* weights;
};

// The blocks of one update kernel: block b updates part b - start[y] of population y.
struct update_grid {
  std::int32_t model;  ///< of its neuron items (models::all), one per kernel
  std::int32_t n_items;
  std::int32_t start[max_updates_per_kernel + 1];
};

// A projection of the delivery kernel (its rows are in the units).
struct deliver_item {
  deliver::args a;
  std::int64_t* ring;
  const double* coeff;  ///< the sources' coefficients
};

// An outgoing projection of a batched population: where its members' spikes are delivered.
struct out_item {
  const std::int64_t* rows;
  const std::uint32_t* synapses;
  const float* weights;
  std::int32_t item;   ///< the projection's delivery item
  std::int32_t parts;  ///< units that share one row
};

// A unit of a step's delivery: part `part` of `parts` of member `source`'s row of delivery item
// `item`, which the update wrote when the member spiked (so the delivery reads no spike list,
// count or row offset).
struct unit_entry {
  const std::uint32_t* synapses;  ///< the row's first synapse
  const float* weights;           ///< its first weight
  std::int64_t length;            ///< of the row
  std::int32_t item;
  std::uint32_t source;
  std::uint32_t mult;
  std::uint16_t part, parts;
};

static_assert(sizeof(unit_entry) == delivery_unit_bytes, "the memory estimate's unit size");

// The step's delivery units: count[k & 1] of them for step k of a slice, from units +
// (k & 1) * capacity (the update of step k writes its units while the delivery of step k - 1
// reads the other half).
struct unit_queue {
  unit_entry* units;     ///< [2][capacity]
  std::uint32_t* count;  ///< [2]
  std::int64_t capacity;

  __device__ unit_entry* of(int k) const { return units + (k & 1) * capacity; }
};

// A Poisson generator projection onto every member of a population with one delay d >= 1.
// Its draws do not depend on the step's spikes, so a kernel beside the step kernels draws a
// window of steps at once (see fused_program::poisson_window).
struct poisson_item {
  deliver::args a;
  const double* coeff;  ///< the generators' coefficients
  const std::int64_t* rows;
  const float* weights;
  std::int64_t* ring;
  std::int64_t first_pair;  ///< of this item in the kernel's pairs
};

static_assert(sizeof(update_item) % 4 == 0 && sizeof(fold_item) % 4 == 0 &&
                  sizeof(out_item) % 4 == 0,
              "staged in words");

// Copies `bytes` (a multiple of 4) from global to shared memory with the block's threads.
__device__ void stage(void* to, const void* from, std::size_t bytes) {
  auto* d = static_cast<std::uint32_t*>(to);
  const auto* f = static_cast<const std::uint32_t*>(from);
  for (std::size_t w = threadIdx.x; w < bytes / 4; w += blockDim.x) d[w] = f[w];
}

__device__ std::uint32_t* count_of(std::uint32_t* counts, int n_lists, std::int64_t step,
                                   int list) {
  return counts + (step & 1) * n_lists + list;
}

// Member i of a population sends `mult` spikes at `step` (none where mult is 0): into the
// list, to each recorder, and as delivery units, one per part of its row of each outgoing
// projection. Called by every lane of a warp; the lanes write a spiking member's units
// together, lane j those of projection j.
__device__ void emit(const update_item& it, const out_item* outs, unit_queue queue, int k,
                     std::uint32_t* count, std::int64_t i, std::uint32_t mult, std::int64_t step,
                     std::int64_t first) {
  const unsigned spiking = __ballot_sync(~0u, mult != 0);
  if (spiking == 0) return;
  const auto id = static_cast<std::uint32_t>(i);
  if (mult != 0) {
    const spike_list list = make_spike_list(it.words, it.n);
    const std::uint32_t at = atomicAdd(count, 1u);
    list.ids[at] = id;
    list.mult[at] = mult;
    for (int r = 0; r < it.n_rec; ++r)
      record_spikes::put_entries(it.entries[r], it.capacity[r],
                                 atomicAdd(it.rec[r], static_cast<unsigned long long>(mult)), mult,
                                 record_spikes::entry(step, first, id));
  }
  if (it.units == 0) return;
  const int lane = static_cast<int>(threadIdx.x) & 31;
  for (unsigned rest = spiking; rest != 0; rest &= rest - 1) {
    const int from = __ffs(static_cast<int>(rest)) - 1;
    const std::uint32_t g = __shfl_sync(~0u, id, from);
    const std::uint32_t m = __shfl_sync(~0u, mult, from);
    std::uint32_t base = 0;
    if (lane == 0) base = atomicAdd(&queue.count[k & 1], static_cast<std::uint32_t>(it.units));
    unit_entry* units = queue.of(k);
    std::uint32_t offset = 0;  // units of the projections before this round's
    for (int round = 0; round < it.n_outs; round += 32) {
      const int j = round + lane;
      int parts = 0;
      std::int64_t begin = 0, end = 0;
      const out_item* out = j < it.n_outs ? &outs[j] : nullptr;
      if (out != nullptr) {
        parts = out->parts;
        begin = __ldg(&out->rows[g]);
        end = __ldg(&out->rows[g + 1]);
      }
      int before = parts;  // inclusive scan of the parts over the lanes, then exclusive
#pragma unroll
      for (int d = 1; d < 32; d *= 2) {
        const int v = __shfl_up_sync(~0u, before, d);
        if (lane >= d) before += v;
      }
      const int all = __shfl_sync(~0u, before, 31);
      before -= parts;
      std::uint32_t u = __shfl_sync(~0u, base, 0) + offset + static_cast<std::uint32_t>(before);
      for (int part = 0; part < parts; ++part)
        units[u++] = {out->synapses + begin,
                      out->weights + begin,
                      end - begin,
                      out->item,
                      g,
                      m,
                      static_cast<std::uint16_t>(part),
                      static_cast<std::uint16_t>(parts)};
      offset += static_cast<std::uint32_t>(all);
    }
  }
}

__device__ std::uint32_t generator_count(const update_item& it, std::int64_t g, std::int64_t step) {
  switch (it.kind) {
    case member::poisson:
      return poisson_generator::step_rule{it.n, step, it.coeff}(g);
    case member::dc:
      return dc_generator::step_rule{it.n, step, it.coeff}(g);
    case member::spikes:
      return spike_generator::step_rule{it.n,      step,       it.state, it.coeff,
                                        it.stamps, it.offsets, it.values}(g);
    case member::step_current:
      return step_current_generator::step_rule{it.n,      step,       it.state, it.coeff,
                                               it.stamps, it.offsets, it.values}(g);
    case member::noise:
      return noise_generator::step_rule{it.n, step, it.state, it.coeff}(g);
    case member::neuron:
      break;
  }
  return 0;
}

// The events of the population's folded DC projections at `step`, added to member i's own ring
// words of the slots they arrive in (d >= 1: never the slot the step reads).
__device__ void fold_generators(const update_item& it, const fold_item* staged,
                                const fold_item* folds, std::int64_t i, std::int64_t step) {
  for (int q = it.fold_begin; q < it.fold_end; ++q) {
    const fold_item& f = q - it.fold_begin < staged_folds ? staged[q - it.fold_begin] : folds[q];
    for (std::uint32_t g = 0; g < static_cast<std::uint32_t>(f.a.n_src); ++g) {
      const std::uint32_t mult = dc_generator::step_rule{f.a.n_src, step, f.coeff}(g);
      if (mult == 0) continue;
      // As the delivery kernel computes it: weight x amplitude x multiplicity, fixed point.
      const float w = f.weights[f.rows[g] + i];
      double amplitude = 0.0;
      deliver::source_coeffs(f.coeff, f.a.n_src, g, &amplitude, deliver::source_kind::current);
      const std::int64_t v =
          deliver::event_value(deliver::source_kind::current, w, mult, &amplitude, 0, 0, step);
      if (v != 0)
        it.ring[deliver::ring_index(step, f.a.all_pairs_delay, it.ring_slots, it.channels, it.n,
                                    f.a.channel.of(w), static_cast<std::uint32_t>(i))] += v;
    }
  }
}

// Member i's state before its step. Read from L2 (not L1): the kernel may start before the
// one before it ends, and the update that wrote these words last ended before it (see
// update_batch).
template <typename M>
__device__ void load_neuron(const update_item& it, std::int64_t i, double (&s)[M::n_states]) {
  // Without current input the model's current state stays 0 (nothing else sets it).
  for (int q = 0; q < M::n_states; ++q)
    s[q] = q == M::current_state && !it.reads_current ? 0.0 : __ldcg(&it.state[q * it.n + i]);
}

// Member i's inputs of the step: after advance (or, where the threshold sees them, the whole
// update: returns its spikes); writes the states that changed from `before` and clears the
// input words that held events.
template <typename M>
__device__ std::uint32_t take_inputs(const update_item& it, std::int64_t i, std::int64_t step,
                                     double (&s)[M::n_states], const double (&before)[M::n_states],
                                     const double (&c)[M::n_coeffs]) {
  const std::int64_t n = it.n;
  std::int64_t* slot = it.ring + (step % it.ring_slots) * M::n_channels * n;
  std::int64_t in[M::n_channels];
  double value[M::n_channels];
  for (int r = 0; r < M::n_channels; ++r) {
    in[r] = r == M::current_channel && !it.reads_current ? 0 : slot[r * n + i];
    value[r] = from_fixed(in[r]);
  }
  std::uint32_t spikes = 0;
  if constexpr (M::threshold_sees_input)
    spikes = M::update(s, c, value);
  else
    M::add_inputs(s, c, value);
  // Only what changed is written: input words that held events, states with new bits.
  for (int r = 0; r < M::n_channels; ++r)
    if (in[r] != 0) slot[r * n + i] = 0;
  for (int q = 0; q < M::n_states; ++q)
    if (__double_as_longlong(s[q]) != __double_as_longlong(before[q])) it.state[q * n + i] = s[q];
  return spikes;
}

// Block b: part b - grid.start[y] of population y of this kernel's items (only blocks with
// members are launched). At least 5 blocks per SM: the microcircuit's 623 blocks in one wave.
// Every lane stays to the end: the lanes of a warp write its spikes' delivery units together.
// One instance per neuron model (M); generators run in any of them.
template <typename M>
__global__ void __launch_bounds__(update_threads, 5)
    update_batch(const update_item* items, update_grid grid, int n_lists, const fold_item* folds,
                 const out_item* outs, int out_stride, unit_queue queue, bool clears,
                 std::uint32_t* counts, int k) {
  int y = 0;
  for (int span = max_updates_per_kernel; span > 0; span /= 2)
    if (y + span < grid.n_items && grid.start[y + span] <= static_cast<int>(blockIdx.x)) y += span;
  const std::int64_t part = static_cast<std::int64_t>(blockIdx.x) - grid.start[y];
  // The block's population, its outgoing projections and its generator projections, staged
  // in shared memory once.
  __shared__ update_item it;
  __shared__ fold_item staged[staged_folds];
  __shared__ out_item staged_outs[staged_outs_max];
  const out_item* my_outs = outs + static_cast<std::int64_t>(y) * out_stride;
  stage(&it, &items[y], staged_item_bytes<M>());
  stage(staged_outs, my_outs,
        static_cast<std::size_t>(min(out_stride, staged_outs_max)) * sizeof(out_item));
  __syncthreads();
  const int n_staged =
      it.kind == member::neuron ? min(staged_folds, it.fold_end - it.fold_begin) : 0;
  if (n_staged > 0) {
    stage(staged, &folds[it.fold_begin], static_cast<std::size_t>(n_staged) * sizeof(fold_item));
    __syncthreads();
  }
  // Above: constant for the pass. Before the wait, what the kernel before (the delivery of the
  // step before, still running) does not write: this kernel starts early only after a delivery
  // that waited for the update of the step before (or after an update of other populations
  // that waited for that delivery), so the states, the counts and this step's half of the unit
  // queue are final. So the membranes, the spikes and their delivery units come first; the
  // step's input words, which that delivery writes, after the wait.
  const std::int64_t i = part * blockDim.x + threadIdx.x;
  const bool neuron = i < it.n && it.kind == member::neuron;
  const std::int64_t first = it.first;
  const std::int64_t step = it.base + k;
  // (A model whose threshold sees the step's inputs computes its spikes after the wait.)
  double s[M::n_states], before[M::n_states], c[M::n_coeffs];
  std::uint32_t mult = 0;
  if (neuron) {
    load_neuron<M>(it, i, s);
    for (int q = 0; q < M::n_states; ++q) before[q] = s[q];
    for (int q = 0; q < M::n_coeffs; ++q)
      c[q] = it.uniform ? it.coeff_u[q] : it.coeff[q * it.n + i];
    if constexpr (!M::threshold_sees_input) mult = M::advance(s, c);
  } else if (i < it.n) {
    mult = generator_count(it, i, step);
  }
  const out_item* outs_here = it.n_outs <= staged_outs_max ? staged_outs : my_outs;
  if constexpr (!M::threshold_sees_input)
    emit(it, outs_here, queue, k, count_of(counts, n_lists, step, it.list), i, mult, step, first);
  cudaGridDependencySynchronize();
  cudaTriggerProgrammaticLaunchCompletion();
  // The next step's counts are free: the delivery that read them (step - 1) has finished.
  if (i == 0) *count_of(counts, n_lists, step + 1, it.list) = 0;
  if (clears && blockIdx.x == 0 && threadIdx.x == 0) queue.count[(k + 1) & 1] = 0;
  if (neuron) {
    const std::uint32_t late = take_inputs<M>(it, i, step, s, before, c);
    if constexpr (M::threshold_sees_input) mult = late;
    fold_generators(it, staged, folds, i, step);
  }
  if constexpr (M::threshold_sees_input)
    emit(it, outs_here, queue, k, count_of(counts, n_lists, step, it.list), i, mult, step, first);
}

using update_kernel = void (*)(const update_item*, update_grid, int, const fold_item*,
                               const out_item*, int, unit_queue, bool, std::uint32_t*, int);

// The update kernel of each model of the list, by index.
std::vector<update_kernel> update_kernels() {
  std::vector<update_kernel> k;
  models::for_each_model(models::all{}, [&](auto tag, int) {
    k.push_back(&update_batch<typename decltype(tag)::type>);
  });
  return k;
}

// A unit of a projection from neurons: weight x multiplicity into each target's ring word.
__device__ void deliver_spikes(const deliver_item& it, const unit_entry& e, std::int64_t step) {
  const deliver::args& a = it.a;
  const std::int64_t now_slot = step % a.ring_slots;
  const std::int64_t stride = static_cast<std::int64_t>(e.parts) * blockDim.x;
  for (std::int64_t q = static_cast<std::int64_t>(e.part) * blockDim.x + threadIdx.x; q < e.length;
       q += spike_prefetch * stride) {
    std::uint32_t packed[spike_prefetch];
    float w[spike_prefetch];
#pragma unroll
    for (int u = 0; u < spike_prefetch; ++u)
      if (q + u * stride < e.length) {
        packed[u] = __ldg(&e.synapses[q + u * stride]);
        w[u] = __ldg(&e.weights[q + u * stride]);
      }
#pragma unroll
    for (int u = 0; u < spike_prefetch; ++u) {
      if (q + u * stride >= e.length) break;
      const std::uint32_t target = synapse_target(packed[u], a.target_bits);
      std::int64_t slot = now_slot + synapse_delay(packed[u], a.target_bits);
      if (slot >= a.ring_slots) slot -= a.ring_slots;
      atomicAdd(reinterpret_cast<unsigned long long*>(
                    &it.ring[(slot * a.receptors + a.channel.of(w[u])) * a.n_tgt + target]),
                static_cast<unsigned long long>(to_fixed(a.channel.value(w[u])) *
                                                static_cast<std::int64_t>(e.mult)));
    }
  }
}

// The step's delivery units, written by the update: block b walks units b, b + gridDim.x, ...
// Each thread adds every parts-th run of blockDim.x synapses of its unit's row.
template <bool SpikesOnly>
__global__ void __launch_bounds__(deliver_threads, 5)
    deliver_batch(const deliver_item* items, unit_queue queue, std::int64_t capacity,
                  const std::int64_t* clock, int k) {
  const std::int64_t step = *clock + k;  // constant for the pass
  cudaGridDependencySynchronize();
  cudaTriggerProgrammaticLaunchCompletion();
  // Loaded together: the unit count and the block's first unit (read before it is known to be
  // in this step's queue).
  const std::uint32_t total = queue.count[k & 1];
  const unit_entry* units = queue.of(k);
  unit_entry e{};
  if (blockIdx.x < capacity) e = units[blockIdx.x];
  for (std::int64_t t = blockIdx.x; t < total; t += gridDim.x) {
    if (t != blockIdx.x) e = units[t];
    const deliver_item& it = items[e.item];
    const deliver::args& a = it.a;
    if (SpikesOnly) {
      deliver_spikes(it, e, step);
      continue;
    }
    const std::uint32_t g = e.source;
    double c[deliver::max_source_coeffs] = {};
    poisson_generator::cdf_table table{};
    if (a.kind != deliver::source_kind::spike)
      deliver::source_coeffs(it.coeff, a.n_src, g, c, a.kind);
    if (a.kind == deliver::source_kind::poisson)
      table = poisson_generator::table_of(it.coeff, a.n_src, g);
    const std::uint64_t key = philox_key(a.seed, a.gid_base + g);
    // Ring slot of delay d: (step + d) mod slots, with d < slots (the rings hold every delay).
    const std::int64_t now_slot = step % a.ring_slots;
    for (std::int64_t q = static_cast<std::int64_t>(e.part) * blockDim.x + threadIdx.x;
         q < e.length; q += static_cast<std::int64_t>(e.parts) * blockDim.x) {
      const std::uint32_t packed = e.synapses[q];
      const float w = e.weights[q];
      const std::uint32_t target = synapse_target(packed, a.target_bits);
      std::int64_t slot = now_slot + synapse_delay(packed, a.target_bits);
      if (slot >= a.ring_slots) slot -= a.ring_slots;
      for (int part = 0; part < deliver::event_parts(a.kind); ++part) {
        const std::int64_t v = deliver::event_value(
            a.kind, a.channel.value(w), e.mult, c, key,
            deliver::poisson_stream(a.call, a.tgt_gid_base + target), step, table, part);
        if (v == 0) continue;
        atomicAdd(reinterpret_cast<unsigned long long*>(
                      &it.ring[(slot * a.receptors + deliver::event_channel(a.channel, w, part)) *
                                   a.n_tgt +
                               target]),
                  static_cast<unsigned long long>(v));
      }
    }
  }
}

// Pair t of the kernel's (generator, target) pairs: the events of steps first + k ... first + k
// + window - 1, in the slots they arrive in (the delivery kernel's values, one atomic each).
__global__ void __launch_bounds__(poisson_threads)
    poisson_batch(const poisson_item* items, int n_items, std::int64_t n_pairs,
                  const std::int64_t* clock, int k, int window) {
  for (std::int64_t t = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
       t < n_pairs; t += static_cast<std::int64_t>(gridDim.x) * blockDim.x) {
    int y = 0;
    while (y + 1 < n_items && items[y + 1].first_pair <= t) ++y;
    const poisson_item& it = items[y];
    const deliver::args& a = it.a;
    const std::int64_t pair = t - it.first_pair;
    const auto g = static_cast<std::uint32_t>(pair / a.n_tgt);
    const auto i = static_cast<std::uint32_t>(pair - static_cast<std::int64_t>(g) * a.n_tgt);
    double c[poisson_generator::n_scalar_coeffs];
    deliver::source_coeffs(it.coeff, a.n_src, g, c, deliver::source_kind::poisson);
    const poisson_generator::cdf_table table = poisson_generator::table_of(it.coeff, a.n_src, g);
    const float w = it.weights[it.rows[g] + i];
    const std::uint64_t key = philox_key(a.seed, a.gid_base + g);
    const std::uint64_t stream = deliver::poisson_stream(a.call, a.tgt_gid_base + i);
    const std::int32_t channel = a.channel.of(w);
    const std::int64_t first = *clock + k;
    std::int64_t slot = (first + a.all_pairs_delay) % a.ring_slots;
    for (std::int64_t step = first; step < first + window; ++step) {
      if (poisson_generator::active(c, step)) {
        const std::int64_t v = deliver::event_value(
            deliver::source_kind::poisson, a.channel.value(w), 1, c, key, stream, step, table);
        if (v != 0)
          atomicAdd(reinterpret_cast<unsigned long long*>(
                        &it.ring[(slot * a.receptors + channel) * a.n_tgt + i]),
                    static_cast<unsigned long long>(v));
      }
      if (++slot == a.ring_slots) slot = 0;
    }
  }
}

// Before a slice: its first step, its recorders' buffers, and no units yet for step k = 1.
__global__ void set_first(std::int64_t* clock, std::int64_t first, std::uint32_t* units,
                          update_item* items, int n_items, slice_recorders recs) {
  for (int y = static_cast<int>(threadIdx.x); y < n_items; y += blockDim.x)
    items[y].first = items[y].base = first;
  for (int q = static_cast<int>(threadIdx.x); q < recs.n; q += blockDim.x) {
    update_item& it = items[recs.at[q].y];
    it.rec[recs.at[q].r] = recs.at[q].count;
    it.entries[recs.at[q].r] = recs.at[q].entries;
    *recs.at[q].count = 0;
  }
  if (threadIdx.x == 0) {
    *clock = first;
    units[1] = 0;
  }
}

// The end of a pass of the graph's loop of `body` steps: the next pass starts `body` steps
// later; the loop stops after `passes`.
__global__ void next_pass(std::int64_t* clock, update_item* items, int n_items, std::int64_t body,
                          std::int64_t passes, cudaGraphConditionalHandle loop) {
  const std::int64_t base = *clock + body;
  __syncthreads();  // every thread has read the clock
  for (int y = static_cast<int>(threadIdx.x); y < n_items; y += blockDim.x) items[y].base = base;
  if (threadIdx.x == 0) {
    *clock = base;
    cudaGraphSetConditional(loop, base - items[0].first < passes * body ? 1u : 0u);
  }
}

template <typename T>
T* device_copy(const std::vector<T>& v) {
  void* p = nullptr;
  STARLING_CHECK_CUDA(cudaMalloc(&p, std::max<std::size_t>(1, v.size()) * sizeof(T)));
  if (!v.empty())
    STARLING_CHECK_CUDA(cudaMemcpy(p, v.data(), v.size() * sizeof(T), cudaMemcpyHostToDevice));
  return static_cast<T*>(p);
}

}  // namespace

/// The batched form of a plan for given buffer addresses, and its graphs per slice length.
struct fused_program {
  int device = 0;
  std::vector<std::pair<std::int32_t, void*>> ptrs;  ///< the buffers the batches point into
  /// The spike recorders: item, recorder, the index of its count and its entries by side.
  struct recorder_of {
    std::int32_t y, r, count;
    std::uint64_t* entries[2];
  };
  std::vector<recorder_of> recorders;
  std::int64_t builds = 0;
  std::int64_t* clock = nullptr;
  update_item* updates = nullptr;
  int n_updates = 0;
  std::vector<update_grid> update_grids;  ///< one update kernel each, over consecutive items
  std::vector<update_kernel> kernels = update_kernels();  ///< by model
  fold_item* folds = nullptr;
  std::uint32_t* counts = nullptr;  ///< [2][n_updates]
  deliver_item* delivers = nullptr;
  int n_delivers = 0;
  out_item* outs = nullptr;  ///< out_stride per update item
  int out_stride = 0;
  void (*deliver_kernel)(const deliver_item*, unit_queue, std::int64_t, const std::int64_t*,
                         int) = nullptr;
  unit_queue queue{};
  std::int64_t queue_capacity = 0;
  unsigned deliver_blocks = 0;
  poisson_item* poissons = nullptr;
  int n_poissons = 0;
  std::int64_t poisson_pairs = 0;
  /// Steps of Poisson draws per side kernel: k <= each item's delay d (the events of a window
  /// arrive after it) and k <= ring_slots - d (they never land in a slot the window reads).
  int poisson_window = 0;
  cudaStream_t capture = nullptr;
  cudaStream_t side = nullptr;
  cudaEvent_t fork = nullptr, join = nullptr;
  std::map<std::int64_t, cudaGraphExec_t> graphs;
  // STARLING_KERNEL_TIMES: kernels launched one by one between events, GPU time per kernel.
  cudaEvent_t marks[3] = {};
  double kernel_ms[2] = {};
  std::int64_t timed_steps = 0;
  double graph_ms = 0.0;
  std::int64_t graph_steps = 0;
  // STARLING_KERNEL_TIMES=slices: per slice, the GPU's idle time before it (from the end of the
  // slice before) and its GPU time.
  std::vector<std::pair<cudaEvent_t, cudaEvent_t>> slice_marks;
  std::vector<double> host_launch_us;

  ~fused_program() {
    cudaSetDevice(device);
    if (timed_steps > 0)
      std::fprintf(stderr,
                   "advance: GPU time per step over %lld steps: update %.2f us, deliver %.2f us "
                   "(batches built %lld times)\n",
                   static_cast<long long>(timed_steps), 1e3 * kernel_ms[0] / timed_steps,
                   1e3 * kernel_ms[1] / timed_steps, static_cast<long long>(builds));
    if (graph_steps > 0)
      std::fprintf(stderr,
                   "advance: GPU time per step of the slice graphs over %lld steps: %.2f us\n",
                   static_cast<long long>(graph_steps), 1e3 * graph_ms / graph_steps);
    if (!slice_marks.empty()) {
      cudaEventSynchronize(slice_marks.back().second);
      double idle = 0.0, busy = 0.0, host = 0.0;
      for (std::size_t i = 0; i < slice_marks.size(); ++i) {
        float ms = 0.0f;
        cudaEventElapsedTime(&ms, slice_marks[i].first, slice_marks[i].second);
        busy += ms;
        host += host_launch_us[i];
        if (i > 0) {
          cudaEventElapsedTime(&ms, slice_marks[i - 1].second, slice_marks[i].first);
          idle += ms;
        }
      }
      const double n = static_cast<double>(slice_marks.size());
      std::fprintf(stderr,
                   "advance: %zu slices: per slice, GPU idle before it %.1f us, GPU time %.1f us, "
                   "host time to launch %.1f us\n",
                   slice_marks.size(), 1e3 * idle / std::max(1.0, n - 1), 1e3 * busy / n, host / n);
      for (auto& [a, b] : slice_marks) {
        cudaEventDestroy(a);
        cudaEventDestroy(b);
      }
    }
    for (cudaEvent_t e : marks)
      if (e != nullptr) cudaEventDestroy(e);
    for (auto& [steps, g] : graphs) cudaGraphExecDestroy(g);
    if (capture != nullptr) cudaStreamDestroy(capture);
    if (side != nullptr) cudaStreamDestroy(side);
    for (cudaEvent_t e : {fork, join})
      if (e != nullptr) cudaEventDestroy(e);
    cudaFree(poissons);
    for (void* p : {static_cast<void*>(clock), static_cast<void*>(updates),
                    static_cast<void*>(folds), static_cast<void*>(counts)})
      cudaFree(p);
    for (void* p : {static_cast<void*>(delivers), static_cast<void*>(outs),
                    static_cast<void*>(queue.units), static_cast<void*>(queue.count)})
      cudaFree(p);
  }

  // A kernel of a step, launched with programmatic dependent launch where `early` (compute
  // capability 9.0 and up): its blocks are placed while the kernel before it finishes and wait
  // in cudaGridDependencySynchronize for that kernel's writes.
  template <typename... Params, typename... Args>
  static void launch(void (*kernel)(Params...), unsigned blocks, unsigned threads, cudaStream_t s,
                     bool early, Args... args) {
    cudaLaunchAttribute attr{};
    attr.id = cudaLaunchAttributeProgrammaticStreamSerialization;
    attr.val.programmaticStreamSerializationAllowed = 1;
    cudaLaunchConfig_t config{};
    config.gridDim = dim3(blocks);
    config.blockDim = dim3(threads);
    config.stream = s;
    config.attrs = &attr;
    config.numAttrs = early ? 1 : 0;
    STARLING_CHECK_CUDA(cudaLaunchKernelEx(&config, kernel, args...));
  }

  // `early`: the update may start while the kernel before it on the stream finishes: the
  // delivery of the step before (without one, the update before, which may still write the
  // states the update reads before its wait: not early), or an update of this step.
  void update(int k, cudaStream_t s, bool early) const {
    int base = 0;
    for (const update_grid& g : update_grids) {
      launch(kernels[static_cast<std::size_t>(g.model)], static_cast<unsigned>(g.start[g.n_items]),
             update_threads, s, (early && n_delivers > 0) || base > 0,
             static_cast<const update_item*>(updates + base), g, n_updates,
             static_cast<const fold_item*>(folds),
             static_cast<const out_item*>(outs + static_cast<std::int64_t>(base) * out_stride),
             out_stride, queue, base == 0, counts, k);
      base += g.n_items;
    }
  }

  void deliver(int k, cudaStream_t s) const {
    if (n_delivers > 0)
      launch(deliver_kernel, deliver_blocks, deliver_threads, s, true,
             static_cast<const deliver_item*>(delivers), queue, queue_capacity,
             static_cast<const std::int64_t*>(clock), k);
  }

  // Before a run of steps from `first` on recorder side `side`: the clock, the recorders'
  // buffers, and no delivery units yet for k = 1.
  void start(std::int64_t first, int side, void* const* ptrs, cudaStream_t s) const {
    slice_recorders recs{};
    recs.n = static_cast<std::int32_t>(recorders.size());
    for (std::size_t q = 0; q < recorders.size(); ++q) {
      const recorder_of& r = recorders[q];
      recs.at[q] = {r.y, r.r, static_cast<unsigned long long*>(ptrs[r.count]), r.entries[side]};
    }
    set_first<<<1, 64, 0, s>>>(clock, first, queue.count, updates, n_updates, recs);
    STARLING_CHECK_CUDA(cudaGetLastError());
  }

  // Steps of Poisson draws that start at step k of a slice of `steps`: a window from its first
  // step, else 0.
  int poisson_window_at(std::int64_t k, std::int64_t steps) const {
    if (poisson_window == 0 || (k - 1) % poisson_window != 0) return 0;
    return static_cast<int>(std::min<std::int64_t>(poisson_window, steps - k + 1));
  }

  void draw_poisson(int k, int window, cudaStream_t s) const {
    poisson_batch<<<static_cast<unsigned>((poisson_pairs + poisson_threads - 1) / poisson_threads),
                    poisson_threads, 0, s>>>(poissons, n_poissons, poisson_pairs, clock, k, window);
  }

  void run_timed(std::int64_t steps, cudaStream_t s) {
    if (marks[0] == nullptr)
      for (cudaEvent_t& e : marks) STARLING_CHECK_CUDA(cudaEventCreate(&e));
    for (std::int64_t k = 1; k <= steps; ++k) {
      if (const int window = poisson_window_at(k, steps); window > 0)
        draw_poisson(static_cast<int>(k), window, s);
      STARLING_CHECK_CUDA(cudaEventRecord(marks[0], s));
      update(static_cast<int>(k), s, false);
      STARLING_CHECK_CUDA(cudaEventRecord(marks[1], s));
      deliver(static_cast<int>(k), s);
      STARLING_CHECK_CUDA(cudaEventRecord(marks[2], s));
      STARLING_CHECK_CUDA(cudaEventSynchronize(marks[2]));
      for (int q = 0; q < 2; ++q) {
        float ms = 0.0f;
        STARLING_CHECK_CUDA(cudaEventElapsedTime(&ms, marks[q], marks[q + 1]));
        kernel_ms[q] += ms;
      }
      ++timed_steps;
    }
  }

  // STARLING_KERNEL_TIMES=graph: the slice graph between two events.
  void time_graph(cudaGraphExec_t exec, std::int64_t steps, cudaStream_t s) {
    if (marks[0] == nullptr)
      for (cudaEvent_t& e : marks) STARLING_CHECK_CUDA(cudaEventCreate(&e));
    STARLING_CHECK_CUDA(cudaEventRecord(marks[0], s));
    STARLING_CHECK_CUDA(cudaGraphLaunch(exec, s));
    STARLING_CHECK_CUDA(cudaEventRecord(marks[1], s));
    STARLING_CHECK_CUDA(cudaEventSynchronize(marks[1]));
    float ms = 0.0f;
    STARLING_CHECK_CUDA(cudaEventElapsedTime(&ms, marks[0], marks[1]));
    graph_ms += ms;
    graph_steps += steps;
  }

  // The step kernels take free SM resources before the side branch's Poisson draws.
  static void prioritise(cudaGraph_t g) {
    int least = 0, greatest = 0;
    STARLING_CHECK_CUDA(cudaDeviceGetStreamPriorityRange(&least, &greatest));
    std::size_t n = 0;
    STARLING_CHECK_CUDA(cudaGraphGetNodes(g, nullptr, &n));
    std::vector<cudaGraphNode_t> nodes(n);
    STARLING_CHECK_CUDA(cudaGraphGetNodes(g, nodes.data(), &n));
    for (cudaGraphNode_t node : nodes) {
      cudaGraphNodeType type{};
      STARLING_CHECK_CUDA(cudaGraphNodeGetType(node, &type));
      if (type != cudaGraphNodeTypeKernel) continue;
      cudaKernelNodeParams params{};
      STARLING_CHECK_CUDA(cudaGraphKernelNodeGetParams(node, &params));
      cudaLaunchAttributeValue v{};
      v.priority = params.func == reinterpret_cast<void*>(poisson_batch) ? least : greatest;
      STARLING_CHECK_CUDA(cudaGraphKernelNodeSetAttribute(node, cudaLaunchAttributePriority, &v));
    }
  }

  // Steps k = 1 ... steps into the capture stream's graph. The Poisson draws of each window of
  // steps run on a side branch: forked before the window's first update, joined before the
  // update after it. Every update but the first starts early; its wait
  // (cudaGridDependencySynchronize) covers all the kernels it depends on, the side branch's
  // too.
  void capture_steps(std::int64_t steps) const {
    for (std::int64_t k = 1; k <= steps; ++k) {
      const int window = poisson_window_at(k, steps);
      if (window > 0) {
        if (k > 1) STARLING_CHECK_CUDA(cudaStreamWaitEvent(capture, join, 0));
        STARLING_CHECK_CUDA(cudaEventRecord(fork, capture));
        STARLING_CHECK_CUDA(cudaStreamWaitEvent(side, fork, 0));
        draw_poisson(static_cast<int>(k), window, side);
        STARLING_CHECK_CUDA(cudaEventRecord(join, side));
      }
      update(static_cast<int>(k), capture, k > 1);
      deliver(static_cast<int>(k), capture);
    }
    if (poisson_window_at(1, steps) > 0) STARLING_CHECK_CUDA(cudaStreamWaitEvent(capture, join, 0));
  }

  // Steps per pass of a slice graph's loop: whole Poisson windows, an even number (the unit
  // counts alternate by k), about 128.
  std::int64_t pass_steps() const {
    if (poisson_window == 0) return 128;
    std::int64_t body = poisson_window * ((128 + poisson_window - 1) / poisson_window);
    if (body % 2 != 0) body += poisson_window;
    return body;
  }

  // A slice of `steps`: a loop on the device of passes of pass_steps() (a conditional node, so
  // the launch costs the same for any slice length), then the remaining steps; short slices
  // are unrolled.
  cudaGraphExec_t graph(std::int64_t steps) {
    auto found = graphs.find(steps);
    if (found != graphs.end()) return found->second;
    const std::int64_t body = pass_steps();
    const std::int64_t passes = steps / body;
    cudaGraph_t g = nullptr;
    STARLING_CHECK_CUDA(cudaGraphCreate(&g, 0));
    cudaGraphNode_t loop = nullptr;
    std::vector<cudaGraph_t> parts{g};
    std::int64_t rest = steps;
    if (passes >= 2) {
      cudaGraphConditionalHandle handle{};
      STARLING_CHECK_CUDA(
          cudaGraphConditionalHandleCreate(&handle, g, 1, cudaGraphCondAssignDefault));
      cudaGraphNodeParams params{};
      params.type = cudaGraphNodeTypeConditional;
      params.conditional.handle = handle;
      params.conditional.type = cudaGraphCondTypeWhile;
      params.conditional.size = 1;
      STARLING_CHECK_CUDA(cudaGraphAddNode(&loop, g, nullptr, nullptr, 0, &params));
      cudaGraph_t pass = params.conditional.phGraph_out[0];
      parts.push_back(pass);
      STARLING_CHECK_CUDA(cudaStreamBeginCaptureToGraph(capture, pass, nullptr, nullptr, 0,
                                                        cudaStreamCaptureModeThreadLocal));
      capture_steps(body);
      next_pass<<<1, 64, 0, capture>>>(clock, updates, n_updates, body, passes, handle);
      STARLING_CHECK_CUDA(cudaGetLastError());
      STARLING_CHECK_CUDA(cudaStreamEndCapture(capture, &pass));
      rest = steps - passes * body;
    }
    if (rest > 0) {
      STARLING_CHECK_CUDA(
          cudaStreamBeginCaptureToGraph(capture, g, loop == nullptr ? nullptr : &loop, nullptr,
                                        loop == nullptr ? 0 : 1, cudaStreamCaptureModeThreadLocal));
      capture_steps(rest);
      STARLING_CHECK_CUDA(cudaStreamEndCapture(capture, &g));
    }
    for (cudaGraph_t part : parts) prioritise(part);
    cudaGraphExec_t exec = nullptr;
    const cudaError_t err = cudaGraphInstantiate(&exec, g, cudaGraphInstantiateFlagUseNodePriority);
    cudaGraphDestroy(g);
    STARLING_CHECK_CUDA(err);
    graphs[steps] = exec;
    return exec;
  }
};

namespace {

int kind_rank(const op& o) {
  struct {
    int operator()(const poisson_generator::args&) const { return 1; }
    int operator()(const dc_generator::args&) const { return 1; }
    int operator()(const spike_generator::args&) const { return 1; }
    int operator()(const step_current_generator::args&) const { return 1; }
    int operator()(const noise_generator::args&) const { return 1; }
    int operator()(const neuron::args&) const { return 2; }
    int operator()(const deliver::args&) const { return 3; }
    int operator()(const record_spikes::args&) const { return 4; }
    int operator()(const record_states::args&) const { return -1; }
    // Plastic synapses: one kernel per operation and step.
    int operator()(const plasticity::history_args&) const { return -1; }
    int operator()(const plasticity::deliver_args&) const { return -1; }
  } rank;
  return std::visit(rank, o);
}

/// The buffer addresses the plan's operations use, but for the recorders' counts (which
/// alternate between slices and are written before each).
std::vector<std::pair<std::int32_t, void*>> used_pointers(const plan& p, void* const* ptrs) {
  std::vector<bool> used(p.handles.size(), false);
  for (const op& o : p.ops)
    std::visit(
        [&](const auto& a) {
          const bool records = std::is_same_v<std::decay_t<decltype(a)>, record_spikes::args>;
          for (int k = 0; k < a.io.count; ++k)
            if (!(records && k == 1)) used[static_cast<std::size_t>(a.io.index[k])] = true;
        },
        o);
  std::vector<std::pair<std::int32_t, void*>> out;
  for (std::size_t i = 0; i < used.size(); ++i)
    if (used[i]) out.emplace_back(static_cast<std::int32_t>(i), ptrs[i]);
  return out;
}

/// The batched program of plan p, or null where the plan needs one kernel per operation.
std::shared_ptr<fused_program> build(const plan& p, void* const* ptrs) {
  int previous = 0;
  for (const op& o : p.ops) {
    const int r = kind_rank(o);
    if (r < 0 || r < previous)
      return nullptr;  // state sampling, or an order the batches cannot keep
    previous = r;
  }
  auto prog = std::make_shared<fused_program>();
  STARLING_CHECK_CUDA(cudaGetDevice(&prog->device));
  prog->ptrs = used_pointers(p, ptrs);
  std::vector<update_item> updates;
  std::vector<std::vector<fold_item>> folds_of;  // per update item
  std::vector<std::vector<out_item>> outs_of;    // per update item
  std::vector<deliver_item> delivers;
  std::vector<poisson_item> poissons;
  std::int64_t pairs = 0, window = max_poisson_window;
  std::int64_t update_blocks = 0;
  auto item_of = [&](const std::uint32_t* words) -> update_item* {
    for (update_item& u : updates)
      if (u.words == words) return &u;
    return nullptr;
  };
  auto add = [&](update_item u) {
    u.list = static_cast<std::int32_t>(updates.size());
    update_blocks += (u.n + update_threads - 1) / update_threads;
    updates.push_back(u);
    folds_of.emplace_back();
    outs_of.emplace_back();
  };
  auto add_generator = [&](const generator_args& a, member kind) {
    update_item u{};
    u.n = a.n;
    u.kind = kind;
    u.words = buffer_ptr<std::uint32_t>(ptrs, a.io, gen_spikes);
    u.state = buffer_ptr<double>(ptrs, a.io, gen_state);
    u.coeff = buffer_ptr<const double>(ptrs, a.io, gen_coeff);
    if (kind == member::spikes || kind == member::step_current) {
      u.stamps = buffer_ptr<const std::int64_t>(ptrs, a.io, gen_stamps);
      u.offsets = buffer_ptr<const std::int64_t>(ptrs, a.io, gen_offsets);
      u.values = buffer_ptr<const double>(ptrs, a.io, gen_values);
    }
    add(u);
  };
  // A DC generator projection onto all of a batched population with one delay joins its update.
  // (Poisson projections do not: in the update their draws lengthen every thread's path,
  // measured on an H100, bench/microcircuit_notes.md, v6. Those onto all of a population with
  // one delay go to the side branch instead.)
  auto fold = [&](const deliver::args& a) {
    if (a.kind != deliver::source_kind::current || a.all_pairs_delay <= 0) return false;
    const update_item* src = item_of(buffer_ptr<std::uint32_t>(ptrs, a.io, deliver::b_spikes));
    if (src == nullptr || src->kind != member::dc) return false;
    auto* ring = buffer_ptr<std::int64_t>(ptrs, a.io, deliver::b_ring);
    for (std::size_t u = 0; u < updates.size(); ++u) {
      if (updates[u].kind != member::neuron || updates[u].ring != ring) continue;
      folds_of[u].push_back({a, buffer_ptr<const double>(ptrs, a.io, deliver::b_src_coeff),
                             buffer_ptr<const std::int64_t>(ptrs, a.io, deliver::b_rows),
                             buffer_ptr<const float>(ptrs, a.io, deliver::b_weights)});
      return true;
    }
    return false;
  };
  // Neuron populations of one model are consecutive items: one update kernel per model.
  std::vector<const op*> ordered;
  for (const op& o : p.ops) ordered.push_back(&o);
  auto model_of = [](const op* o) {
    const auto* a = std::get_if<neuron::args>(o);
    return a == nullptr ? -1 : a->model;
  };
  std::stable_sort(ordered.begin(), ordered.end(), [&](const op* x, const op* y) {
    return std::make_pair(kind_rank(*x), model_of(x)) < std::make_pair(kind_rank(*y), model_of(y));
  });
  for (const op* o_ptr : ordered) {
    const op& o = *o_ptr;
    if (const auto* a = std::get_if<poisson_generator::args>(&o)) {
      add_generator(*a, member::poisson);
    } else if (const auto* a = std::get_if<dc_generator::args>(&o)) {
      add_generator(*a, member::dc);
    } else if (const auto* a = std::get_if<spike_generator::args>(&o)) {
      add_generator(*a, member::spikes);
    } else if (const auto* a = std::get_if<step_current_generator::args>(&o)) {
      add_generator(*a, member::step_current);
    } else if (const auto* a = std::get_if<noise_generator::args>(&o)) {
      add_generator(*a, member::noise);
    } else if (const auto* a = std::get_if<neuron::args>(&o)) {
      update_item u{};
      u.n = a->n;
      u.kind = member::neuron;
      u.model = a->model;
      models::with_model(models::all{}, a->model,
                         [&](auto tag) { u.channels = decltype(tag)::type::n_channels; });
      u.ring_slots = a->ring_slots;
      u.state = buffer_ptr<double>(ptrs, a->io, buf_state);
      u.coeff = buffer_ptr<const double>(ptrs, a->io, buf_coeff);
      u.ring = buffer_ptr<std::int64_t>(ptrs, a->io, buf_ring);
      u.words = buffer_ptr<std::uint32_t>(ptrs, a->io, buf_spikes);
      u.uniform = a->uniform;
      u.reads_current = a->reads_current;
      std::copy(a->coeff, a->coeff + neuron::max_coeffs, u.coeff_u);
      add(u);
    } else if (const auto* a = std::get_if<deliver::args>(&o)) {
      if (a->n_src == 0 || fold(*a)) continue;
      if (a->kind == deliver::source_kind::poisson && a->all_pairs_delay > 0) {
        poissons.push_back({*a, buffer_ptr<const double>(ptrs, a->io, deliver::b_src_coeff),
                            buffer_ptr<const std::int64_t>(ptrs, a->io, deliver::b_rows),
                            buffer_ptr<const float>(ptrs, a->io, deliver::b_weights),
                            buffer_ptr<std::int64_t>(ptrs, a->io, deliver::b_ring), pairs});
        pairs += a->n_src * a->n_tgt;
        window = std::min<std::int64_t>(
            {window, a->all_pairs_delay, a->ring_slots - a->all_pairs_delay});
        continue;
      }
      const update_item* src = item_of(buffer_ptr<std::uint32_t>(ptrs, a->io, deliver::b_spikes));
      if (src == nullptr) return nullptr;
      outs_of[static_cast<std::size_t>(src->list)].push_back(
          {buffer_ptr<const std::int64_t>(ptrs, a->io, deliver::b_rows),
           buffer_ptr<const std::uint32_t>(ptrs, a->io, deliver::b_synapses),
           buffer_ptr<const float>(ptrs, a->io, deliver::b_weights),
           static_cast<std::int32_t>(delivers.size()), a->row_blocks});
      delivers.push_back({*a, buffer_ptr<std::int64_t>(ptrs, a->io, deliver::b_ring),
                          buffer_ptr<const double>(ptrs, a->io, deliver::b_src_coeff)});
    } else if (const auto* a = std::get_if<record_spikes::args>(&o)) {
      update_item* u = item_of(buffer_ptr<std::uint32_t>(ptrs, a->io, 0));
      if (u == nullptr || u->n_rec == max_recorders ||
          prog->recorders.size() == max_slice_recorders)
        return nullptr;
      prog->recorders.push_back(
          {u->list, u->n_rec, a->io.index[1], {a->entries_of(0), a->entries_of(1)}});
      u->capacity[u->n_rec] = a->capacity;
      ++u->n_rec;
    }
  }
  if (updates.empty() || update_blocks > 0x7fffffff) return nullptr;
  std::vector<fold_item> folds;
  for (std::size_t u = 0; u < updates.size(); ++u) {
    updates[u].fold_begin = static_cast<std::int32_t>(folds.size());
    folds.insert(folds.end(), folds_of[u].begin(), folds_of[u].end());
    updates[u].fold_end = static_cast<std::int32_t>(folds.size());
  }
  prog->folds = device_copy(folds);
  prog->n_updates = static_cast<int>(updates.size());
  // Kernels over consecutive items: at most max_updates_per_kernel, neurons of one model
  // (generators join any).
  update_grid* g = nullptr;
  for (const update_item& u : updates) {
    const int model = u.kind == member::neuron ? u.model : -1;
    if (g == nullptr || g->n_items == max_updates_per_kernel ||
        (model >= 0 && g->model >= 0 && g->model != model)) {
      prog->update_grids.push_back(update_grid{});
      g = &prog->update_grids.back();
      g->model = -1;
    }
    if (model >= 0) g->model = model;
    g->start[g->n_items + 1] =
        g->start[g->n_items] +
        static_cast<std::int32_t>((u.n + update_threads - 1) / update_threads);
    ++g->n_items;
  }
  for (update_grid& grid : prog->update_grids) grid.model = std::max(grid.model, 0);
  prog->counts = device_copy(std::vector<std::uint32_t>(2 * updates.size(), 0u));
  // The delivery units: each member enqueues its units at most once a step.
  std::size_t stride = 1;
  for (const auto& o : outs_of) stride = std::max(stride, o.size());
  std::vector<out_item> outs(stride * updates.size(), out_item{});
  std::int64_t capacity = 0;
  for (std::size_t u = 0; u < updates.size(); ++u) {
    std::int64_t units = 0;
    for (std::size_t j = 0; j < outs_of[u].size(); ++j) {
      outs[u * stride + j] = outs_of[u][j];
      units += outs_of[u][j].parts;
    }
    updates[u].n_outs = static_cast<std::int32_t>(outs_of[u].size());
    updates[u].units = static_cast<std::int32_t>(units);
    capacity += units * updates[u].n;
  }
  prog->out_stride = static_cast<int>(stride);
  if (capacity > 0xffffffffll) return nullptr;
  prog->updates = device_copy(updates);
  prog->outs = device_copy(outs);
  prog->delivers = device_copy(delivers);
  prog->n_delivers = static_cast<int>(delivers.size());
  prog->queue_capacity = capacity;
  prog->queue.capacity = std::max<std::int64_t>(capacity, 1);
  STARLING_CHECK_CUDA(cudaMalloc(
      &prog->queue.units, 2 * static_cast<std::size_t>(prog->queue.capacity) * sizeof(unit_entry)));
  prog->queue.count = device_copy(std::vector<std::uint32_t>(2, 0u));
  // At most one wave of blocks walks the step's units (a partial second wave would be a tail).
  int sms = 0, resident = 0;
  STARLING_CHECK_CUDA(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, prog->device));
  const bool spikes_only = std::all_of(delivers.begin(), delivers.end(), [](const deliver_item& d) {
    return d.a.kind == deliver::source_kind::spike;
  });
  prog->deliver_kernel = spikes_only ? deliver_batch<true> : deliver_batch<false>;
  STARLING_CHECK_CUDA(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&resident, prog->deliver_kernel,
                                                                    deliver_threads, 0));
  prog->deliver_blocks = static_cast<unsigned>(std::clamp<std::int64_t>(
      capacity, 1,
      static_cast<std::int64_t>(std::clamp(resident, 1, deliver_blocks_per_sm)) * sms));
  if (!poissons.empty()) {
    prog->poissons = device_copy(poissons);
    prog->n_poissons = static_cast<int>(poissons.size());
    prog->poisson_pairs = pairs;
    prog->poisson_window = static_cast<int>(std::max<std::int64_t>(window, 1));
    STARLING_CHECK_CUDA(cudaStreamCreateWithFlags(&prog->side, cudaStreamNonBlocking));
    STARLING_CHECK_CUDA(cudaEventCreateWithFlags(&prog->fork, cudaEventDisableTiming));
    STARLING_CHECK_CUDA(cudaEventCreateWithFlags(&prog->join, cudaEventDisableTiming));
  }
  STARLING_CHECK_CUDA(cudaMalloc(&prog->clock, sizeof(std::int64_t)));
  STARLING_CHECK_CUDA(cudaStreamCreateWithFlags(&prog->capture, cudaStreamNonBlocking));
  return prog;
}

}  // namespace

bool run_fused_cuda(const plan& p, void* const* ptrs, std::int64_t first, std::int64_t steps,
                    int side, void* stream) {
  std::shared_ptr<fused_program>& prog = p.fused;
  if (prog != nullptr)
    for (const auto& [index, address] : prog->ptrs)
      if (ptrs[index] != address) {
        prog.reset();  // the runtime moved a buffer: batch again
        break;
      }
  static std::int64_t builds = 0;
  if (prog == nullptr && !p.unfusable) {
    prog = build(p, ptrs);
    p.unfusable = prog == nullptr;
    if (prog != nullptr) prog->builds = ++builds;
  }
  if (prog == nullptr) return false;
  auto s = static_cast<cudaStream_t>(stream);
  static const char* timed = std::getenv("STARLING_KERNEL_TIMES");
  const bool by_kernel =
      timed != nullptr && std::string(timed) != "graph" && std::string(timed) != "slices";
  if (by_kernel) {
    prog->start(first, side, ptrs, s);
    prog->run_timed(steps, s);
    return true;
  }
  if (timed != nullptr && std::string(timed) == "slices") {
    cudaGraphExec_t exec = prog->graph(steps);
    const auto t0 = std::chrono::steady_clock::now();
    std::pair<cudaEvent_t, cudaEvent_t> m{};
    STARLING_CHECK_CUDA(cudaEventCreate(&m.first));
    STARLING_CHECK_CUDA(cudaEventCreate(&m.second));
    STARLING_CHECK_CUDA(cudaEventRecord(m.first, s));
    prog->start(first, side, ptrs, s);
    STARLING_CHECK_CUDA(cudaGraphLaunch(exec, s));
    STARLING_CHECK_CUDA(cudaEventRecord(m.second, s));
    prog->slice_marks.push_back(m);
    prog->host_launch_us.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    return true;
  }
  prog->start(first, side, ptrs, s);
  cudaGraphExec_t exec = prog->graph(steps);
  if (timed != nullptr) {
    prog->time_graph(exec, steps, s);
    return true;
  }
  STARLING_CHECK_CUDA(cudaGraphLaunch(exec, s));
  return true;
}

}  // namespace starling::codelets::advance
