#include <algorithm>

#include "codelets/common/population_io.hpp"
#include "plasticity.hpp"
#include "runtime/cuda_check.cuh"

namespace starling::codelets::plasticity {

namespace {

constexpr int plastic_threads = 128;

__global__ void history_kernel(history_args a, spike_list spikes, history_view v,
                               std::int64_t step) {
  const std::uint32_t count = *spikes.count;
  for (std::uint32_t j = blockIdx.x * blockDim.x + threadIdx.x; j < count;
       j += gridDim.x * blockDim.x)
    push_spike(v, spikes.ids[j], step, spikes.mult[j], a.h);
}

// Synapses k of source g's row, shared by the blocks of a column (blockIdx.y) and their threads.
__device__ void deliver_row(const deliver_args& a, const plastic_tables& t, std::uint32_t g,
                            std::uint32_t mult, std::int64_t step) {
  for (std::int64_t k =
           t.rows[g] + blockIdx.y * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
       k < t.rows[g + 1]; k += static_cast<std::int64_t>(gridDim.y) * blockDim.x) {
    const plastic_event e = update_synapse(a, t, g, k, mult, step);
    if (e.lost) t.flags[flag_history_lost] = 1;
    if (e.value != 0)
      atomicAdd(reinterpret_cast<unsigned long long*>(&t.ring[e.index]),
                static_cast<unsigned long long>(e.value));
    if (t.record != nullptr)
      record_weight(a, t, atomicAdd(reinterpret_cast<unsigned long long*>(t.record), 1ull), g, k,
                    step);
  }
}

__global__ void deliver_kernel(deliver_args a, spike_list spikes, plastic_tables t,
                               std::int64_t step) {
  const std::uint32_t count = *spikes.count;
  for (std::uint32_t j = blockIdx.x; j < count; j += gridDim.x)
    deliver_row(a, t, spikes.ids[j], spikes.mult[j], step);
}

__global__ void commit_kernel(deliver_args a, spike_list spikes, plastic_tables t,
                              std::int64_t step) {
  const std::uint32_t count = *spikes.count;
  for (std::uint32_t j = blockIdx.x * blockDim.x + threadIdx.x; j < count;
       j += gridDim.x * blockDim.x)
    commit_source(a, t, spikes.ids[j], step);
}

// Remote: the entries of step offset `k` of the received slice (sorted); a run of equal
// entries is one spike with that multiplicity, taken by its first entry.
__device__ bool remote_spike(const deliver_args& a, std::uint64_t count, std::uint64_t j,
                             std::int64_t k, std::uint32_t& mult) {
  const std::uint64_t e = a.entries[j];
  if (static_cast<std::int64_t>(e >> 32) != k || (j > 0 && a.entries[j - 1] == e)) return false;
  std::uint64_t end = j + 1;
  while (end < count && a.entries[end] == e) ++end;
  mult = static_cast<std::uint32_t>(end - j);
  return true;
}

__global__ void remote_deliver_kernel(deliver_args a, const std::uint64_t* count, plastic_tables t,
                                      std::int64_t k) {
  const std::uint64_t n = *count;
  for (std::uint64_t j = blockIdx.x; j < n; j += gridDim.x) {
    std::uint32_t mult = 0;
    if (remote_spike(a, n, j, k, mult))
      deliver_row(a, t, static_cast<std::uint32_t>(a.entries[j] & 0xffffffffu), mult,
                  a.first + 1 + k);
  }
}

__global__ void remote_commit_kernel(deliver_args a, const std::uint64_t* count, plastic_tables t,
                                     std::int64_t k) {
  const std::uint64_t n = *count;
  for (std::uint64_t j = blockIdx.x * blockDim.x + threadIdx.x; j < n;
       j += gridDim.x * blockDim.x) {
    std::uint32_t mult = 0;
    if (remote_spike(a, n, j, k, mult))
      commit_source(a, t, static_cast<std::uint32_t>(a.entries[j] & 0xffffffffu), a.first + 1 + k);
  }
}

__global__ void init_kernel(const float* wf, double* w, double* kplus, std::uint64_t count) {
  for (std::uint64_t k = blockIdx.x * static_cast<std::uint64_t>(blockDim.x) + threadIdx.x;
       k < count; k += static_cast<std::uint64_t>(gridDim.x) * blockDim.x) {
    w[k] = static_cast<double>(wf[k]);
    if (kplus != nullptr) kplus[k] = 0.0;
  }
}

unsigned blocks_for(std::int64_t n, int threads, std::int64_t most) {
  return static_cast<unsigned>(std::clamp<std::int64_t>((n + threads - 1) / threads, 1, most));
}

}  // namespace

void step_cuda(const history_args& a, void* const* ptrs, const step_context& ctx, void* stream) {
  if (a.n == 0) return;
  const spike_list spikes = make_spike_list(buffer_ptr<std::uint32_t>(ptrs, a.io, 0), a.n);
  const history_view v = make_history(buffer_ptr<void>(ptrs, a.io, 1), a.n, a.capacity);
  history_kernel<<<blocks_for(a.n, plastic_threads, 1024), plastic_threads, 0,
                   static_cast<cudaStream_t>(stream)>>>(a, spikes, v, ctx.step);
  STARLING_CHECK_CUDA(cudaGetLastError());
}

void step_cuda(const deliver_args& a, void* const* ptrs, const step_context& ctx, void* stream) {
  if (a.n_src == 0) return;
  auto s = static_cast<cudaStream_t>(stream);
  const plastic_tables t = make_tables(a, ptrs);
  if (a.entries != nullptr) {
    // Remote: step by step through the slice, each step's rows before its commits.
    const std::uint64_t* count = a.count;
    const dim3 blocks(256, static_cast<unsigned>(a.row_blocks));
    for (std::int64_t k = 0; k < a.slice_steps; ++k) {
      remote_deliver_kernel<<<blocks, plastic_threads, 0, s>>>(a, count, t, k);
      remote_commit_kernel<<<64, plastic_threads, 0, s>>>(a, count, t, k);
    }
    STARLING_CHECK_CUDA(cudaGetLastError());
    return;
  }
  const spike_list spikes =
      make_spike_list(buffer_ptr<std::uint32_t>(ptrs, a.io, pb_spikes), a.n_src);
  const dim3 blocks(static_cast<unsigned>(std::min<std::int64_t>(a.n_src, 1024)),
                    static_cast<unsigned>(a.row_blocks));
  deliver_kernel<<<blocks, plastic_threads, 0, s>>>(a, spikes, t, ctx.step);
  commit_kernel<<<blocks_for(a.n_src, plastic_threads, 1024), plastic_threads, 0, s>>>(a, spikes, t,
                                                                                       ctx.step);
  STARLING_CHECK_CUDA(cudaGetLastError());
}

void step_cuda(const init_args& a, void* const* ptrs, const step_context&, void* stream) {
  if (a.count == 0) return;
  init_kernel<<<blocks_for(static_cast<std::int64_t>(a.count), 256, 4096), 256, 0,
                static_cast<cudaStream_t>(stream)>>>(
      buffer_ptr<const float>(ptrs, a.io, 0), buffer_ptr<double>(ptrs, a.io, 1),
      a.io.count > 2 ? buffer_ptr<double>(ptrs, a.io, 2) : nullptr, a.count);
  STARLING_CHECK_CUDA(cudaGetLastError());
}

}  // namespace starling::codelets::plasticity
