// The slice on a CUDA worker. Where the plan holds only generators, iaf_psc_exp updates,
// deliveries and spike recording (the common case), a step is three batched kernels:
//   update   every neuron of every population (one thread each);
//   deliver  every projection: blocks take (projection, listed source, part of its row) in turn,
//            sized from the spike counts on the device;
//   finish   per population: record its spikes, clear its list, emit the generators' next step.
// The slice's steps are captured once as a CUDA graph (per slice length) and replayed; kernels
// read the slice's first step from device memory, so no step number is baked into the graph.
// Other plans run one kernel per operation and step, as the per-operation codelets do.
#include <cub/block/block_scan.cuh>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <memory>
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

enum class emitter : std::int32_t { none, poisson, dc, spikes };

struct update_item {
  std::int64_t n, ring_slots, block0;
  double* state;
  const double* coeff;
  std::int64_t* ring;
  std::uint32_t* words;
  bool uniform;  ///< every member has coeff_u (no per-member rows to read)
  double coeff_u[iaf_psc_exp::n_coeffs];
  std::int32_t fold_begin, fold_end;  ///< DC generator projections added inside the update
};

// A DC generator projection onto every member of a population with one delay:
// its events are added in the target's update (each target's own ring words, no atomics), with
// the same draws, values and ring slots the delivery kernel would use.
struct fold_item {
  deliver::args a;
  const double* coeff;  ///< the generators' coefficients
  const std::int64_t* rows;
  const float* weights;
};

struct deliver_item {
  deliver::args a;
  const std::int64_t* rows;
  const std::uint32_t* synapses;
  const float* weights;
  std::int64_t* ring;
  const double* coeff;
  const std::uint32_t* words;
};

// A population whose spike list the plan writes: its recorders and, for generators, the rule.
struct finish_item {
  std::int64_t n;
  std::uint32_t* words;
  emitter kind;
  std::int32_t n_rec;
  unsigned long long* rec[max_recorders];  ///< entry counts
  std::uint64_t* entries[max_recorders];
  std::int64_t capacity[max_recorders];
  double* state;
  const double* coeff;
  const std::int64_t* stamps;
  const std::int64_t* offsets;
};

__device__ std::uint32_t emit_count(const finish_item& f, std::int64_t g, std::int64_t step) {
  switch (f.kind) {
    case emitter::poisson:
      return poisson_generator::step_rule{f.n, step, f.coeff}(g);
    case emitter::dc:
      return dc_generator::step_rule{f.n, step, f.coeff}(g);
    case emitter::spikes:
      return spike_generator::step_rule{f.n, step, f.state, f.coeff, f.stamps, f.offsets}(g);
    case emitter::none:
      break;
  }
  return 0;
}

// Copies `bytes` (a multiple of 4) from global to shared memory with the block's threads.
__device__ void stage(void* to, const void* from, std::size_t bytes) {
  auto* d = static_cast<std::uint32_t*>(to);
  const auto* f = static_cast<const std::uint32_t*>(from);
  for (std::size_t w = threadIdx.x; w < bytes / 4; w += blockDim.x) d[w] = f[w];
}

constexpr int staged_folds = 4;
static_assert(sizeof(update_item) % 4 == 0 && sizeof(fold_item) % 4 == 0, "staged in words");

__global__ void update_batch(const update_item* items, int n_items, const fold_item* folds,
                             const std::int64_t* first, int k) {
  // The block's population and its generator projections, staged in shared memory once.
  __shared__ update_item it;
  __shared__ fold_item staged[staged_folds];
  __shared__ int which;
  if (threadIdx.x == 0) {
    int lo = 0, hi = n_items - 1;
    while (lo < hi) {  // the item whose blocks hold this one
      const int mid = (lo + hi + 1) / 2;
      if (items[mid].block0 <= blockIdx.x)
        lo = mid;
      else
        hi = mid - 1;
    }
    which = lo;
  }
  __syncthreads();
  stage(&it, &items[which], sizeof(update_item));
  __syncthreads();
  const int n_staged = min(staged_folds, it.fold_end - it.fold_begin);
  stage(staged, &folds[it.fold_begin], static_cast<std::size_t>(n_staged) * sizeof(fold_item));
  __syncthreads();
  const std::int64_t i =
      (blockIdx.x - it.block0) * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
  if (i >= it.n) return;
  using namespace iaf_psc_exp;
  const std::int64_t step = *first + k;
  std::int64_t* slot = it.ring + (step % it.ring_slots) * n_receptors * it.n;
  const std::int64_t n = it.n;
  double s[n_states];
  double c[n_coeffs];
  for (int q = 0; q < n_states; ++q) s[q] = it.state[q * n + i];
  for (int q = 0; q < n_coeffs; ++q) c[q] = it.uniform ? it.coeff_u[q] : it.coeff[q * n + i];
  for (int q = it.fold_begin; q < it.fold_end; ++q) {
    const fold_item& f = q - it.fold_begin < staged_folds ? staged[q - it.fold_begin] : folds[q];
    for (std::uint32_t g = 0; g < static_cast<std::uint32_t>(f.a.n_src); ++g) {
      const std::uint32_t mult = dc_generator::step_rule{f.a.n_src, step, f.coeff}(g);
      if (mult == 0) continue;
      // As the delivery kernel computes it: weight x amplitude x multiplicity, fixed point.
      const float w = f.weights[f.rows[g] + i];
      const double amplitude = f.coeff[dc_generator::c_amplitude * f.a.n_src + g];
      const std::int64_t v = deliver::event_value(deliver::source_kind::current, w, mult,
                                                  &amplitude, 0, 0, step);
      if (v != 0)
        it.ring[deliver::ring_index(step, f.a.all_pairs_delay, it.ring_slots, n_receptors, n,
                                    f.a.channel.of(w), static_cast<std::uint32_t>(i))] += v;
    }
  }
  const bool spiked =
      update(s, c, from_fixed(slot[rec_ex * n + i]), from_fixed(slot[rec_in * n + i]),
             from_fixed(slot[rec_current * n + i]));
  for (int r = 0; r < n_receptors; ++r) slot[r * n + i] = 0;
  for (int q = 0; q < n_states; ++q) it.state[q * n + i] = s[q];
  if (spiked) {
    const spike_list spikes = make_spike_list(it.words, n);
    const std::uint32_t at = atomicAdd(spikes.count, 1u);
    spikes.ids[at] = static_cast<std::uint32_t>(i);
    spikes.mult[at] = 1;
  }
}

// Work unit t of a step: (projection p, listed source j, part r of its row), counted in shared
// memory from the device-side spike counts.
__global__ void deliver_batch(const deliver_item* items, int n_items, const std::int64_t* first,
                              int k) {
  extern __shared__ std::int64_t start[];  // [n_items + 1]
  // Each thread sums a run of consecutive items; a block scan turns the runs into starts.
  const int per = (n_items + deliver_threads - 1) / deliver_threads;
  const int lo_item = threadIdx.x * per;
  const int hi_item = min(n_items, lo_item + per);
  std::int64_t run = 0;
  for (int p = lo_item; p < hi_item; ++p) {
    const std::int64_t units = static_cast<std::int64_t>(*items[p].words) * items[p].a.row_blocks;
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
  const std::int64_t step = *first + k;
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
    double c[poisson_generator::n_coeffs] = {};
    if (a.kind != deliver::source_kind::spike)
      deliver::source_coeffs(
          it.coeff, a.n_src, g, c,
          a.kind == deliver::source_kind::current ? 1 : poisson_generator::n_coeffs);
    const std::uint64_t key = philox_key(a.seed, a.gid_base + g);
    const std::int64_t end = it.rows[g + 1];
    for (std::int64_t q = it.rows[g] + static_cast<std::int64_t>(part) * blockDim.x + threadIdx.x;
         q < end; q += static_cast<std::int64_t>(a.row_blocks) * blockDim.x) {
      const std::uint32_t packed = it.synapses[q];
      const float w = it.weights[q];
      const std::uint32_t target = synapse_target(packed, a.target_bits);
      const std::int64_t v =
          deliver::event_value(a.kind, w, mult, c, key,
                               deliver::poisson_stream(a.call, a.tgt_gid_base + target), step);
      if (v == 0) continue;
      atomicAdd(reinterpret_cast<unsigned long long*>(&it.ring[deliver::ring_index(
                    step, synapse_delay(packed, a.target_bits), a.ring_slots, a.receptors,
                    a.n_tgt, a.channel.of(w), target)]),
                static_cast<unsigned long long>(v));
    }
  }
}

// One block per population: record step k's spikes (k > 0), clear the list, and emit the
// generators' spikes of step k + 1 (emit_next).
__global__ void finish_batch(const finish_item* items, const std::int64_t* first, int k,
                             bool emit_next) {
  const finish_item& f = items[blockIdx.x];
  const spike_list spikes = make_spike_list(f.words, f.n);
  const std::int64_t slice_first = *first;
  if (k > 0) {
    const std::uint32_t count = *spikes.count;
    for (int r = 0; r < f.n_rec; ++r)
      for (std::uint32_t j = threadIdx.x; j < count; j += blockDim.x) {
        const std::uint32_t mult = spikes.mult[j];
        const unsigned long long at =
            atomicAdd(f.rec[r], static_cast<unsigned long long>(mult));
        for (std::uint32_t m = 0; m < mult; ++m)
          if (at + m < static_cast<unsigned long long>(f.capacity[r]))
            f.entries[r][at + m] = record_spikes::entry(slice_first + k, slice_first, spikes.ids[j]);
      }
  }
  __syncthreads();
  if (threadIdx.x == 0) *spikes.count = 0;
  __syncthreads();
  if (!emit_next || f.kind == emitter::none) return;
  const std::int64_t step = slice_first + k + 1;
  for (std::int64_t g = threadIdx.x; g < f.n; g += blockDim.x) {
    const std::uint32_t m = emit_count(f, g, step);
    if (m == 0) continue;
    const std::uint32_t at = atomicAdd(spikes.count, 1u);
    spikes.ids[at] = static_cast<std::uint32_t>(g);
    spikes.mult[at] = m;
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
  fold_item* folds = nullptr;
  unsigned update_blocks = 0;
  std::vector<deliver_item*> delivers;  // batches of at most max_projections_per_kernel
  std::vector<int> n_delivers;
  unsigned deliver_blocks = 0;
  finish_item* finishes = nullptr;
  int n_finishes = 0;
  cudaStream_t capture = nullptr;
  std::map<std::int64_t, cudaGraphExec_t> graphs;
  // STARLING_KERNEL_TIMES: kernels launched one by one between events, GPU time per kernel.
  cudaEvent_t marks[4] = {};
  double kernel_ms[3] = {};
  std::int64_t timed_steps = 0;
  double graph_ms = 0.0;
  std::int64_t graph_steps = 0;

  ~fused_program() {
    cudaSetDevice(device);
    if (timed_steps > 0)
      std::fprintf(stderr,
                   "advance: GPU time per step over %lld steps: update %.2f us, deliver %.2f us, "
                   "finish %.2f us (batches built %lld times)\n",
                   static_cast<long long>(timed_steps), 1e3 * kernel_ms[0] / timed_steps,
                   1e3 * kernel_ms[1] / timed_steps, 1e3 * kernel_ms[2] / timed_steps,
                   static_cast<long long>(builds));
    if (graph_steps > 0)
      std::fprintf(stderr, "advance: GPU time per step of the slice graphs over %lld steps: %.2f us\n",
                   static_cast<long long>(graph_steps), 1e3 * graph_ms / graph_steps);
    for (cudaEvent_t e : marks)
      if (e != nullptr) cudaEventDestroy(e);
    for (auto& [steps, g] : graphs) cudaGraphExecDestroy(g);
    if (capture != nullptr) cudaStreamDestroy(capture);
    for (void* p : {static_cast<void*>(clock), static_cast<void*>(updates),
                    static_cast<void*>(folds), static_cast<void*>(finishes)})
      cudaFree(p);
    for (deliver_item* d : delivers) cudaFree(d);
  }

  void step(int k, bool last, cudaStream_t s) const {
    if (n_updates > 0) update_batch<<<update_blocks, update_threads, 0, s>>>(updates, n_updates, folds,
                                                                             clock, k);
    for (std::size_t b = 0; b < delivers.size(); ++b)
      deliver_batch<<<deliver_blocks, deliver_threads,
                      (static_cast<std::size_t>(n_delivers[b]) + 1) * sizeof(std::int64_t), s>>>(
          delivers[b], n_delivers[b], clock, k);
    finish_batch<<<static_cast<unsigned>(n_finishes), 128, 0, s>>>(finishes, clock, k, !last);
  }

  void run_timed(std::int64_t steps, cudaStream_t s) {
    if (marks[0] == nullptr)
      for (cudaEvent_t& e : marks) STARLING_CHECK_CUDA(cudaEventCreate(&e));
    finish_batch<<<static_cast<unsigned>(n_finishes), 128, 0, s>>>(finishes, clock, 0, true);
    for (std::int64_t k = 1; k <= steps; ++k) {
      const int kk = static_cast<int>(k);
      STARLING_CHECK_CUDA(cudaEventRecord(marks[0], s));
      if (n_updates > 0)
        update_batch<<<update_blocks, update_threads, 0, s>>>(updates, n_updates, folds, clock,
                                                              kk);
      STARLING_CHECK_CUDA(cudaEventRecord(marks[1], s));
      for (std::size_t b = 0; b < delivers.size(); ++b)
        deliver_batch<<<deliver_blocks, deliver_threads,
                        (static_cast<std::size_t>(n_delivers[b]) + 1) * sizeof(std::int64_t), s>>>(
            delivers[b], n_delivers[b], clock, kk);
      STARLING_CHECK_CUDA(cudaEventRecord(marks[2], s));
      finish_batch<<<static_cast<unsigned>(n_finishes), 128, 0, s>>>(finishes, clock, kk,
                                                                      k != steps);
      STARLING_CHECK_CUDA(cudaEventRecord(marks[3], s));
      STARLING_CHECK_CUDA(cudaEventSynchronize(marks[3]));
      for (int q = 0; q < 3; ++q) {
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
    // Step 0: clear the lists and emit the generators' first step of the slice.
    finish_batch<<<static_cast<unsigned>(n_finishes), 128, 0, capture>>>(finishes, clock, 0, true);
    for (std::int64_t k = 1; k <= steps; ++k) step(static_cast<int>(k), k == steps, capture);
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

/// The buffer addresses the plan's operations use (not the slice-end mailboxes).
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
  std::vector<deliver_item> delivers;
  std::vector<finish_item> finishes;
  std::int64_t blocks = 0, widest_row_blocks = 1;
  auto finish_of = [&](std::uint32_t* words) -> finish_item* {
    for (finish_item& f : finishes)
      if (f.words == words) return &f;
    return nullptr;
  };
  auto add_generator = [&](const generator_args& a, emitter kind) {
    finish_item f{};
    f.n = a.n;
    f.words = buffer_ptr<std::uint32_t>(ptrs, a.io, gen_spikes);
    f.kind = kind;
    f.state = buffer_ptr<double>(ptrs, a.io, gen_state);
    f.coeff = buffer_ptr<const double>(ptrs, a.io, gen_coeff);
    if (kind == emitter::spikes) {
      f.stamps = buffer_ptr<const std::int64_t>(ptrs, a.io, gen_stamps);
      f.offsets = buffer_ptr<const std::int64_t>(ptrs, a.io, gen_offsets);
    }
    finishes.push_back(f);
  };
  std::vector<std::vector<fold_item>> folds_of;  // per update item
  // A current generator projection onto all of a batched population with one delay joins its
  // update. (Poisson projections stay in the delivery kernel: drawn there, over more threads than
  // the update has, they cost less than inside it; measured on an H100.)
  auto fold = [&](const deliver::args& a, void* const* ptrs) {
    if (a.kind != deliver::source_kind::current || a.all_pairs_delay <= 0) return false;
    const finish_item* src = finish_of(buffer_ptr<std::uint32_t>(ptrs, a.io, deliver::b_spikes));
    if (src == nullptr || src->kind != emitter::dc)
      return false;
    auto* ring = buffer_ptr<std::int64_t>(ptrs, a.io, deliver::b_ring);
    for (std::size_t u = 0; u < updates.size(); ++u) {
      if (updates[u].ring != ring) continue;
      folds_of[u].push_back({a, buffer_ptr<const double>(ptrs, a.io, deliver::b_src_coeff),
                             buffer_ptr<const std::int64_t>(ptrs, a.io, deliver::b_rows),
                             buffer_ptr<const float>(ptrs, a.io, deliver::b_weights)});
      return true;
    }
    return false;
  };
  bool fits = true;
  for (const op& o : p.ops) {
    if (const auto* a = std::get_if<poisson_generator::args>(&o)) {
      add_generator(*a, emitter::poisson);
    } else if (const auto* a = std::get_if<dc_generator::args>(&o)) {
      add_generator(*a, emitter::dc);
    } else if (const auto* a = std::get_if<spike_generator::args>(&o)) {
      add_generator(*a, emitter::spikes);
    } else if (const auto* a = std::get_if<iaf_psc_exp::args>(&o)) {
      update_item u{};
      u.n = a->n;
      u.ring_slots = a->ring_slots;
      u.block0 = blocks;
      u.state = buffer_ptr<double>(ptrs, a->io, buf_state);
      u.coeff = buffer_ptr<const double>(ptrs, a->io, buf_coeff);
      u.ring = buffer_ptr<std::int64_t>(ptrs, a->io, buf_ring);
      u.words = buffer_ptr<std::uint32_t>(ptrs, a->io, buf_spikes);
      u.uniform = a->uniform;
      std::copy(a->coeff, a->coeff + iaf_psc_exp::n_coeffs, u.coeff_u);
      blocks += (a->n + update_threads - 1) / update_threads;
      if (a->n > 0) {
        updates.push_back(u);
        folds_of.emplace_back();
      }
      finish_item f{};
      f.n = a->n;
      f.words = u.words;
      f.kind = emitter::none;
      finishes.push_back(f);
    } else if (const auto* a = std::get_if<deliver::args>(&o)) {
      if (a->n_src == 0) continue;
      if (fold(*a, ptrs)) continue;
      delivers.push_back({*a, buffer_ptr<const std::int64_t>(ptrs, a->io, deliver::b_rows),
                          buffer_ptr<const std::uint32_t>(ptrs, a->io, deliver::b_synapses),
                          buffer_ptr<const float>(ptrs, a->io, deliver::b_weights),
                          buffer_ptr<std::int64_t>(ptrs, a->io, deliver::b_ring),
                          buffer_ptr<const double>(ptrs, a->io, deliver::b_src_coeff),
                          buffer_ptr<const std::uint32_t>(ptrs, a->io, deliver::b_spikes)});
      widest_row_blocks = std::max<std::int64_t>(widest_row_blocks, a->row_blocks);
    } else if (const auto* a = std::get_if<record_spikes::args>(&o)) {
      finish_item* f = finish_of(buffer_ptr<std::uint32_t>(ptrs, a->io, 0));
      if (f == nullptr || f->n_rec == max_recorders) {
        fits = false;
        break;
      }
      f->rec[f->n_rec] = buffer_ptr<unsigned long long>(ptrs, a->io, 1);
      f->capacity[f->n_rec] = a->capacity;
      f->entries[f->n_rec] = a->entries;
      ++f->n_rec;
    }
  }
  if (!fits || blocks > 0x7fffffff) return nullptr;
  std::vector<fold_item> folds;
  for (std::size_t u = 0; u < updates.size(); ++u) {
    updates[u].fold_begin = static_cast<std::int32_t>(folds.size());
    folds.insert(folds.end(), folds_of[u].begin(), folds_of[u].end());
    updates[u].fold_end = static_cast<std::int32_t>(folds.size());
  }
  prog->folds = device_copy(folds);
  prog->n_updates = static_cast<int>(updates.size());
  prog->update_blocks = static_cast<unsigned>(blocks);
  prog->updates = device_copy(updates);
  for (std::size_t b = 0; b < delivers.size(); b += max_projections_per_kernel) {
    const std::size_t e = std::min(delivers.size(), b + max_projections_per_kernel);
    prog->delivers.push_back(device_copy(std::vector<deliver_item>(
        delivers.begin() + static_cast<std::ptrdiff_t>(b),
        delivers.begin() + static_cast<std::ptrdiff_t>(e))));
    prog->n_delivers.push_back(static_cast<int>(e - b));
  }
  // Up to 8 blocks per multiprocessor walk the step's work units; fewer where there is little.
  int sms = 0;
  STARLING_CHECK_CUDA(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, prog->device));
  prog->deliver_blocks = static_cast<unsigned>(std::clamp<std::int64_t>(
      static_cast<std::int64_t>(delivers.size()) * widest_row_blocks, 1, 8LL * sms));
  prog->n_finishes = static_cast<int>(finishes.size());
  prog->finishes = device_copy(finishes);
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
  if (prog == nullptr || prog->n_finishes == 0) return false;
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
