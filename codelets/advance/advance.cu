// The slice on a CUDA worker. Where the plan holds only generators, iaf_psc_exp updates,
// deliveries and spike recording (the common case), a step is two batched kernels:
//   update   every member of every population, one thread each: neurons integrate (with DC
//            generator input added in place), generators emit; each spike goes into the
//            population's list and straight to its recorders;
//   deliver  every projection: blocks take (projection, listed source, part of its row) in turn,
//            sized from the spike counts on the device.
// Spike counts alternate between two words per population by the parity of the step, so the
// update of step t clears the count of step t + 1 while the delivery of step t reads its own.
// The slice's steps are captured once as a CUDA graph (per slice length) and replayed; kernels
// read the slice's first step from device memory, so no step number is baked into the graph.
// Other plans run one kernel per operation and step, as the per-operation codelets do.
#include <cub/block/block_scan.cuh>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "advance.hpp"
#include "codelets/common/fixed_point.hpp"
#include "codelets/common/philox.hpp"
#include "codelets/common/population_io.hpp"
#include "codelets/dc_generator/dc_generator_step.hpp"
#include "codelets/iaf_psc_exp/iaf_psc_exp_math.hpp"
#include "codelets/poisson_generator/poisson_generator_step.hpp"
#include "codelets/record_spikes/record_spikes_math.hpp"
#include "codelets/spike_generator/spike_generator_step.hpp"
#include "runtime/cuda_check.cuh"

namespace starling::codelets::advance {

namespace {

constexpr int max_recorders = 4;
constexpr int update_threads = 128;
constexpr int deliver_threads = 128;
constexpr int max_projections_per_kernel = 1024;
constexpr int max_updates_per_kernel = 64;
constexpr int staged_folds = 4;

/// What a batched population is: a neuron population or a generator of some kind.
enum class member : std::int32_t { neuron, poisson, dc, spikes };

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
  bool uniform;  ///< every member has coeff_u (no per-member rows to read)
  double coeff_u[iaf_psc_exp::n_coeffs];
  std::int32_t fold_begin, fold_end;  ///< DC generator projections added inside the update
  // spike generators
  const std::int64_t* stamps;
  const std::int64_t* offsets;
  // recorders of the population's spikes
  std::int32_t n_rec;
  unsigned long long* rec[max_recorders];  ///< entry counts
  std::uint64_t* entries[max_recorders];
  std::int64_t capacity[max_recorders];
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
  std::int32_t n_items;
  std::int32_t start[max_updates_per_kernel + 1];
};

struct deliver_item {
  deliver::args a;
  const std::int64_t* rows;
  const std::uint32_t* synapses;
  const float* weights;
  std::int64_t* ring;
  const double* coeff;
  const std::uint32_t* words;
  std::int32_t list;  ///< the source's spike counts
};

static_assert(sizeof(update_item) % 4 == 0 && sizeof(fold_item) % 4 == 0, "staged in words");

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

// Member id of a population sends `mult` spikes at `step`: into the list, and to each recorder.
__device__ void emit(const update_item& it, std::uint32_t* count, std::uint32_t id,
                     std::uint32_t mult, std::int64_t step, std::int64_t first) {
  const spike_list list = make_spike_list(it.words, it.n);
  const std::uint32_t at = atomicAdd(count, 1u);
  list.ids[at] = id;
  list.mult[at] = mult;
  for (int r = 0; r < it.n_rec; ++r)
    record_spikes::put_entries(it.entries[r], it.capacity[r],
                               atomicAdd(it.rec[r], static_cast<unsigned long long>(mult)), mult,
                               record_spikes::entry(step, first, id));
}

__device__ std::uint32_t generator_count(const update_item& it, std::int64_t g, std::int64_t step) {
  switch (it.kind) {
    case member::poisson:
      return poisson_generator::step_rule{it.n, step, it.coeff}(g);
    case member::dc:
      return dc_generator::step_rule{it.n, step, it.coeff}(g);
    case member::spikes:
      return spike_generator::step_rule{it.n, step, it.state, it.coeff, it.stamps, it.offsets}(g);
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
        it.ring[deliver::ring_index(step, f.a.all_pairs_delay, it.ring_slots,
                                    iaf_psc_exp::n_receptors, it.n, f.a.channel.of(w),
                                    static_cast<std::uint32_t>(i))] += v;
    }
  }
}

__device__ void update_neuron(const update_item& it, std::int64_t i, std::int64_t step,
                              std::uint32_t* count, std::int64_t first) {
  using namespace iaf_psc_exp;
  const std::int64_t n = it.n;
  std::int64_t* slot = it.ring + (step % it.ring_slots) * n_receptors * n;
  double s[n_states];
  double c[n_coeffs];
  for (int q = 0; q < n_states; ++q) s[q] = it.state[q * n + i];
  for (int q = 0; q < n_coeffs; ++q) c[q] = it.uniform ? it.coeff_u[q] : it.coeff[q * n + i];
  const bool spiked =
      update(s, c, from_fixed(slot[rec_ex * n + i]), from_fixed(slot[rec_in * n + i]),
             from_fixed(slot[rec_current * n + i]));
  for (int r = 0; r < n_receptors; ++r) slot[r * n + i] = 0;
  for (int q = 0; q < n_states; ++q) it.state[q * n + i] = s[q];
  if (spiked) emit(it, count, static_cast<std::uint32_t>(i), 1, step, first);
}

// Block b: part b - grid.start[y] of population y of this kernel's items (only blocks with
// members are launched). At least 5 blocks per SM: the microcircuit's 623 blocks in one wave.
__global__ void __launch_bounds__(update_threads, 5)
    update_batch(const update_item* items, update_grid grid, int n_lists, const fold_item* folds,
                 std::uint32_t* counts, const std::int64_t* clock, int k) {
  int y = 0;
  for (int span = max_updates_per_kernel; span > 0; span /= 2)
    if (y + span < grid.n_items && grid.start[y + span] <= static_cast<int>(blockIdx.x)) y += span;
  const std::int64_t part = static_cast<std::int64_t>(blockIdx.x) - grid.start[y];
  // The block's population and its generator projections, staged in shared memory once.
  __shared__ update_item it;
  __shared__ fold_item staged[staged_folds];
  stage(&it, &items[y], sizeof(update_item));
  __syncthreads();
  const int n_staged =
      it.kind == member::neuron ? min(staged_folds, it.fold_end - it.fold_begin) : 0;
  if (n_staged > 0) {
    stage(staged, &folds[it.fold_begin], static_cast<std::size_t>(n_staged) * sizeof(fold_item));
    __syncthreads();
  }
  const std::int64_t first = *clock;
  const std::int64_t step = first + k;
  const std::int64_t i = part * blockDim.x + threadIdx.x;
  // The next step's count is free: the delivery that read it (step - 1) has finished.
  if (i == 0) *count_of(counts, n_lists, step + 1, it.list) = 0;
  if (i >= it.n) return;
  std::uint32_t* count = count_of(counts, n_lists, step, it.list);
  if (it.kind == member::neuron) {
    update_neuron(it, i, step, count, first);
    fold_generators(it, staged, folds, i, step);
    return;
  }
  const std::uint32_t m = generator_count(it, i, step);
  if (m != 0) emit(it, count, static_cast<std::uint32_t>(i), m, step, first);
}

// Work unit t of a step: (projection p, listed source j, part r of its row), counted in shared
// memory from the device-side spike counts. 6 blocks per SM (80 registers) hold more units in
// one wave than the 5 that 87 registers allow.
__global__ void __launch_bounds__(deliver_threads, 6)
    deliver_batch(const deliver_item* items, int n_items, const std::uint32_t* counts, int n_lists,
                  const std::int64_t* clock, int k) {
  extern __shared__ std::int64_t start[];  // [n_items + 1]
  const std::int64_t step = *clock + k;
  // Each thread sums a run of consecutive items; a block scan turns the runs into starts.
  const int per = (n_items + deliver_threads - 1) / deliver_threads;
  const int lo_item = threadIdx.x * per;
  const int hi_item = min(n_items, lo_item + per);
  std::int64_t run = 0;
  for (int p = lo_item; p < hi_item; ++p) {
    const std::int64_t units =
        static_cast<std::int64_t>(counts[(step & 1) * n_lists + items[p].list]) *
        items[p].a.row_blocks;
    start[p + 1] = units;
    run += units;
  }
  using scan = cub::BlockScan<std::int64_t, deliver_threads>;
  __shared__ typename scan::TempStorage scratch;
  std::int64_t before = 0;
  scan(scratch).ExclusiveSum(run, before);
  for (int p = lo_item; p < hi_item; ++p) {
    before += start[p + 1];
    start[p + 1] = before;
  }
  if (threadIdx.x == 0) start[0] = 0;
  __syncthreads();
  const std::int64_t total = start[n_items];
  for (std::int64_t t = blockIdx.x; t < total; t += gridDim.x) {
    int lo = 0, hi = n_items - 1;
    while (lo < hi) {
      const int mid = (lo + hi + 1) / 2;
      if (start[mid] <= t)
        lo = mid;
      else
        hi = mid - 1;
    }
    const deliver_item& it = items[lo];
    const deliver::args& a = it.a;
    const std::int64_t local = t - start[lo];
    const auto j = static_cast<std::uint32_t>(local / a.row_blocks);
    const auto part = static_cast<std::int32_t>(local % a.row_blocks);
    const spike_list spikes = make_spike_list(const_cast<std::uint32_t*>(it.words), a.n_src);
    const std::uint32_t g = spikes.ids[j];
    const std::uint32_t mult = spikes.mult[j];
    double c[poisson_generator::n_scalar_coeffs] = {};
    poisson_generator::cdf_table table{};
    if (a.kind != deliver::source_kind::spike)
      deliver::source_coeffs(it.coeff, a.n_src, g, c, a.kind);
    if (a.kind == deliver::source_kind::poisson)
      table = poisson_generator::table_of(it.coeff, a.n_src, g);
    const std::uint64_t key = philox_key(a.seed, a.gid_base + g);
    // Ring slot of delay d: (step + d) mod slots, with d < slots (the rings hold every delay).
    const std::int64_t now_slot = step % a.ring_slots;
    const std::int64_t end = it.rows[g + 1];
    for (std::int64_t q = it.rows[g] + static_cast<std::int64_t>(part) * blockDim.x + threadIdx.x;
         q < end; q += static_cast<std::int64_t>(a.row_blocks) * blockDim.x) {
      const std::uint32_t packed = it.synapses[q];
      const float w = it.weights[q];
      const std::uint32_t target = synapse_target(packed, a.target_bits);
      const std::int64_t v = deliver::event_value(
          a.kind, w, mult, c, key, deliver::poisson_stream(a.call, a.tgt_gid_base + target), step,
          table);
      if (v == 0) continue;
      std::int64_t slot = now_slot + synapse_delay(packed, a.target_bits);
      if (slot >= a.ring_slots) slot -= a.ring_slots;
      atomicAdd(reinterpret_cast<unsigned long long*>(
                    &it.ring[(slot * a.receptors + a.channel.of(w)) * a.n_tgt + target]),
                static_cast<unsigned long long>(v));
    }
  }
}

__global__ void set_first(std::int64_t* clock, std::int64_t first) { *clock = first; }

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
  std::int64_t builds = 0;
  std::int64_t* clock = nullptr;
  update_item* updates = nullptr;
  int n_updates = 0;
  std::vector<update_grid> update_grids;  ///< one update kernel each, over consecutive items
  fold_item* folds = nullptr;
  std::uint32_t* counts = nullptr;      ///< [2][n_updates]
  std::vector<deliver_item*> delivers;  // batches of at most max_projections_per_kernel
  std::vector<int> n_delivers;
  unsigned deliver_blocks = 0;
  cudaStream_t capture = nullptr;
  std::map<std::int64_t, cudaGraphExec_t> graphs;
  // STARLING_KERNEL_TIMES: kernels launched one by one between events, GPU time per kernel.
  cudaEvent_t marks[3] = {};
  double kernel_ms[2] = {};
  std::int64_t timed_steps = 0;
  double graph_ms = 0.0;
  std::int64_t graph_steps = 0;

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
    for (cudaEvent_t e : marks)
      if (e != nullptr) cudaEventDestroy(e);
    for (auto& [steps, g] : graphs) cudaGraphExecDestroy(g);
    if (capture != nullptr) cudaStreamDestroy(capture);
    for (void* p : {static_cast<void*>(clock), static_cast<void*>(updates),
                    static_cast<void*>(folds), static_cast<void*>(counts)})
      cudaFree(p);
    for (deliver_item* d : delivers) cudaFree(d);
  }

  void update(int k, cudaStream_t s) const {
    int base = 0;
    for (const update_grid& g : update_grids) {
      update_batch<<<static_cast<unsigned>(g.start[g.n_items]), update_threads, 0, s>>>(
          updates + base, g, n_updates, folds, counts, clock, k);
      base += g.n_items;
    }
  }

  void deliver(int k, cudaStream_t s) const {
    for (std::size_t b = 0; b < delivers.size(); ++b)
      deliver_batch<<<deliver_blocks, deliver_threads,
                      (static_cast<std::size_t>(n_delivers[b]) + 1) * sizeof(std::int64_t), s>>>(
          delivers[b], n_delivers[b], counts, n_updates, clock, k);
  }

  void run_timed(std::int64_t steps, cudaStream_t s) {
    if (marks[0] == nullptr)
      for (cudaEvent_t& e : marks) STARLING_CHECK_CUDA(cudaEventCreate(&e));
    for (std::int64_t k = 1; k <= steps; ++k) {
      STARLING_CHECK_CUDA(cudaEventRecord(marks[0], s));
      update(static_cast<int>(k), s);
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

  cudaGraphExec_t graph(std::int64_t steps) {
    auto found = graphs.find(steps);
    if (found != graphs.end()) return found->second;
    STARLING_CHECK_CUDA(cudaStreamBeginCapture(capture, cudaStreamCaptureModeThreadLocal));
    for (std::int64_t k = 1; k <= steps; ++k) {
      update(static_cast<int>(k), capture);
      deliver(static_cast<int>(k), capture);
    }
    cudaGraph_t g = nullptr;
    STARLING_CHECK_CUDA(cudaStreamEndCapture(capture, &g));
    cudaGraphExec_t exec = nullptr;
    const cudaError_t err = cudaGraphInstantiate(&exec, g, 0);
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
    int operator()(const iaf_psc_exp::args&) const { return 2; }
    int operator()(const deliver::args&) const { return 3; }
    int operator()(const record_spikes::args&) const { return 4; }
    int operator()(const record_states::args&) const { return -1; }
  } rank;
  return std::visit(rank, o);
}

/// The buffer addresses the plan's operations use.
std::vector<std::pair<std::int32_t, void*>> used_pointers(const plan& p, void* const* ptrs) {
  std::vector<bool> used(p.handles.size(), false);
  for (const op& o : p.ops)
    std::visit(
        [&](const auto& a) {
          for (int k = 0; k < a.io.count; ++k) used[static_cast<std::size_t>(a.io.index[k])] = true;
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
    if (r < previous) return nullptr;  // state sampling, or an order the batches cannot keep
    previous = r;
  }
  auto prog = std::make_shared<fused_program>();
  STARLING_CHECK_CUDA(cudaGetDevice(&prog->device));
  prog->ptrs = used_pointers(p, ptrs);
  std::vector<update_item> updates;
  std::vector<std::vector<fold_item>> folds_of;  // per update item
  std::vector<deliver_item> delivers;
  std::int64_t update_blocks = 0, widest_row_blocks = 1;
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
  };
  auto add_generator = [&](const generator_args& a, member kind) {
    update_item u{};
    u.n = a.n;
    u.kind = kind;
    u.words = buffer_ptr<std::uint32_t>(ptrs, a.io, gen_spikes);
    u.state = buffer_ptr<double>(ptrs, a.io, gen_state);
    u.coeff = buffer_ptr<const double>(ptrs, a.io, gen_coeff);
    if (kind == member::spikes) {
      u.stamps = buffer_ptr<const std::int64_t>(ptrs, a.io, gen_stamps);
      u.offsets = buffer_ptr<const std::int64_t>(ptrs, a.io, gen_offsets);
    }
    add(u);
  };
  // A DC generator projection onto all of a batched population with one delay joins its update.
  // (Poisson projections stay in the delivery kernel: there their draws overlap the spikes'
  // deliveries, while in the update they lengthen every thread's path; measured on an H100,
  // bench/microcircuit_notes.md, v6.)
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
  for (const op& o : p.ops) {
    if (const auto* a = std::get_if<poisson_generator::args>(&o)) {
      add_generator(*a, member::poisson);
    } else if (const auto* a = std::get_if<dc_generator::args>(&o)) {
      add_generator(*a, member::dc);
    } else if (const auto* a = std::get_if<spike_generator::args>(&o)) {
      add_generator(*a, member::spikes);
    } else if (const auto* a = std::get_if<iaf_psc_exp::args>(&o)) {
      update_item u{};
      u.n = a->n;
      u.kind = member::neuron;
      u.ring_slots = a->ring_slots;
      u.state = buffer_ptr<double>(ptrs, a->io, buf_state);
      u.coeff = buffer_ptr<const double>(ptrs, a->io, buf_coeff);
      u.ring = buffer_ptr<std::int64_t>(ptrs, a->io, buf_ring);
      u.words = buffer_ptr<std::uint32_t>(ptrs, a->io, buf_spikes);
      u.uniform = a->uniform;
      std::copy(a->coeff, a->coeff + iaf_psc_exp::n_coeffs, u.coeff_u);
      add(u);
    } else if (const auto* a = std::get_if<deliver::args>(&o)) {
      if (a->n_src == 0 || fold(*a)) continue;
      const update_item* src = item_of(buffer_ptr<std::uint32_t>(ptrs, a->io, deliver::b_spikes));
      if (src == nullptr) return nullptr;
      delivers.push_back({*a, buffer_ptr<const std::int64_t>(ptrs, a->io, deliver::b_rows),
                          buffer_ptr<const std::uint32_t>(ptrs, a->io, deliver::b_synapses),
                          buffer_ptr<const float>(ptrs, a->io, deliver::b_weights),
                          buffer_ptr<std::int64_t>(ptrs, a->io, deliver::b_ring),
                          buffer_ptr<const double>(ptrs, a->io, deliver::b_src_coeff), src->words,
                          src->list});
      widest_row_blocks = std::max<std::int64_t>(widest_row_blocks, a->row_blocks);
    } else if (const auto* a = std::get_if<record_spikes::args>(&o)) {
      update_item* u = item_of(buffer_ptr<std::uint32_t>(ptrs, a->io, 0));
      if (u == nullptr || u->n_rec == max_recorders) return nullptr;
      u->rec[u->n_rec] = buffer_ptr<unsigned long long>(ptrs, a->io, 1);
      u->capacity[u->n_rec] = a->capacity;
      u->entries[u->n_rec] = a->entries;
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
  for (std::size_t b = 0; b < updates.size(); b += max_updates_per_kernel) {
    update_grid g{};
    g.n_items = static_cast<std::int32_t>(
        std::min<std::size_t>(updates.size() - b, max_updates_per_kernel));
    for (int y = 0; y < g.n_items; ++y)
      g.start[y + 1] =
          g.start[y] +
          static_cast<std::int32_t>(
              (updates[b + static_cast<std::size_t>(y)].n + update_threads - 1) / update_threads);
    prog->update_grids.push_back(g);
  }
  prog->updates = device_copy(updates);
  prog->counts = device_copy(std::vector<std::uint32_t>(2 * updates.size(), 0u));
  for (std::size_t b = 0; b < delivers.size(); b += max_projections_per_kernel) {
    const std::size_t e = std::min(delivers.size(), b + max_projections_per_kernel);
    prog->delivers.push_back(
        device_copy(std::vector<deliver_item>(delivers.begin() + static_cast<std::ptrdiff_t>(b),
                                              delivers.begin() + static_cast<std::ptrdiff_t>(e))));
    prog->n_delivers.push_back(static_cast<int>(e - b));
  }
  // One wave of blocks walks the step's work units (a partial second wave would be a tail);
  // fewer where there is little.
  int sms = 0, resident = 0;
  STARLING_CHECK_CUDA(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, prog->device));
  const std::size_t widest_batch =
      std::min<std::size_t>(delivers.size(), max_projections_per_kernel);
  STARLING_CHECK_CUDA(cudaOccupancyMaxActiveBlocksPerMultiprocessor(
      &resident, deliver_batch, deliver_threads, (widest_batch + 1) * sizeof(std::int64_t)));
  prog->deliver_blocks = static_cast<unsigned>(
      std::clamp<std::int64_t>(static_cast<std::int64_t>(delivers.size()) * widest_row_blocks, 1,
                               static_cast<std::int64_t>(std::max(resident, 1)) * sms));
  STARLING_CHECK_CUDA(cudaMalloc(&prog->clock, sizeof(std::int64_t)));
  STARLING_CHECK_CUDA(cudaStreamCreateWithFlags(&prog->capture, cudaStreamNonBlocking));
  return prog;
}

}  // namespace

bool run_fused_cuda(const plan& p, void* const* ptrs, std::int64_t first, std::int64_t steps,
                    void* stream) {
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
  set_first<<<1, 1, 0, s>>>(prog->clock, first);
  STARLING_CHECK_CUDA(cudaGetLastError());
  static const char* timed = std::getenv("STARLING_KERNEL_TIMES");
  if (timed != nullptr && std::string(timed) != "graph") {
    prog->run_timed(steps, s);
    return true;
  }
  cudaGraphExec_t exec = prog->graph(steps);
  if (timed != nullptr) {
    prog->time_graph(exec, steps, s);
    return true;
  }
  STARLING_CHECK_CUDA(cudaGraphLaunch(exec, s));
  return true;
}

}  // namespace starling::codelets::advance
