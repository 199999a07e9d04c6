#include <cub/device/device_radix_sort.cuh>

#include "connect.hpp"
#include "runtime/cuda_check.cuh"
#include "runtime/engine.hpp"
#include "starling/error.hpp"

namespace starling::codelets::connect {

namespace {

constexpr int threads = 256;

unsigned blocks_for(std::uint64_t n) {
  const std::uint64_t b = (n + threads - 1) / threads;
  return static_cast<unsigned>(b < 65535 ? (b == 0 ? 1 : b) : 65535);
}

__global__ void count_kernel(rule_spec s, std::int64_t* counts) {
  const std::uint64_t n = part_units(s);
  for (std::uint64_t u = blockIdx.x * static_cast<std::uint64_t>(blockDim.x) + threadIdx.x; u < n;
       u += static_cast<std::uint64_t>(gridDim.x) * blockDim.x)
    counts[u + 1] = static_cast<std::int64_t>(unit_count(s, s.first_unit + u));
  if (blockIdx.x == 0 && threadIdx.x == 0) counts[0] = 0;
}

// First error wins: its code, value and unit go to the status words.
__device__ void report(int* first, double* status, int err, double bad, std::uint64_t u) {
  if (atomicCAS(first, 0, err) == 0) {
    status[st_error] = err;
    status[st_value] = bad;
    status[st_index] = static_cast<double>(u);
  }
}

__global__ void generate_kernel(rule_spec s, generated g, const std::int64_t* offsets,
                                bool one_thread, int* first) {
  const std::uint64_t n = part_units(s);
  const std::uint64_t start =
      one_thread ? 0 : blockIdx.x * static_cast<std::uint64_t>(blockDim.x) + threadIdx.x;
  const std::uint64_t stride = one_thread ? 1 : static_cast<std::uint64_t>(gridDim.x) * blockDim.x;
  if (one_thread && (blockIdx.x != 0 || threadIdx.x != 0)) return;
  for (std::uint64_t p = start; p < n; p += stride) {
    double bad = 0.0;
    const std::uint64_t u = s.first_unit + p;
    const std::uint64_t at = s.kind == rule_kind::pairwise_bernoulli
                                 ? static_cast<std::uint64_t>(offsets[p])
                                 : part_offset(s, u);
    const int err = generate_unit(s, g, u, at, bad);
    if (err != err_none) {
      report(first, g.status, err, bad, u);
      if (one_thread) return;
    }
  }
}

__global__ void key_kernel(std::uint64_t m, generated g, std::int32_t target_bits,
                           std::uint64_t* keys) {
  for (std::uint64_t k = blockIdx.x * static_cast<std::uint64_t>(blockDim.x) + threadIdx.x; k < m;
       k += static_cast<std::uint64_t>(gridDim.x) * blockDim.x)
    keys[k] = csr_key(g.source[k], g.target[k], g.delay[k], target_bits);
}

// Sorted keys to the table: packed words, and row starts found where the source changes. The
// first and last synapse of a row hold its shortest and longest delay.
__global__ void split_kernel(std::uint64_t m, std::uint32_t n_pre, const std::uint64_t* keys,
                             std::int32_t target_bits, std::int64_t* rows, std::uint32_t* synapses,
                             int* delays) {
  for (std::uint64_t k = blockIdx.x * static_cast<std::uint64_t>(blockDim.x) + threadIdx.x; k < m;
       k += static_cast<std::uint64_t>(gridDim.x) * blockDim.x) {
    const std::uint64_t key = keys[k];
    const auto source = static_cast<std::int64_t>(key >> 32);
    synapses[k] = static_cast<std::uint32_t>(key);
    const std::int64_t before = k == 0 ? -1 : static_cast<std::int64_t>(keys[k - 1] >> 32);
    if (before != source) {
      for (std::int64_t r = before + 1; r <= source; ++r) rows[r] = static_cast<std::int64_t>(k);
      atomicMin(&delays[0], synapse_delay(static_cast<std::uint32_t>(key), target_bits));
      if (k > 0)
        atomicMax(&delays[1], synapse_delay(static_cast<std::uint32_t>(keys[k - 1]), target_bits));
    }
    if (k == m - 1) {
      for (std::int64_t r = source + 1; r <= n_pre; ++r) rows[r] = static_cast<std::int64_t>(m);
      atomicMax(&delays[1], synapse_delay(static_cast<std::uint32_t>(key), target_bits));
    }
  }
}

// Largest |weight|: |w| as bits orders like its value; one atomic per warp.
__global__ void max_weight_kernel(std::uint64_t m, const float* w, unsigned* out) {
  unsigned best = 0;
  for (std::uint64_t k = blockIdx.x * static_cast<std::uint64_t>(blockDim.x) + threadIdx.x; k < m;
       k += static_cast<std::uint64_t>(gridDim.x) * blockDim.x)
    best = max(best, __float_as_uint(fabsf(w[k])));
  for (int d = 16; d > 0; d /= 2) best = max(best, __shfl_down_sync(0xffffffffu, best, d));
  if ((threadIdx.x & 31) == 0) atomicMax(out, best);
}

__global__ void init_kernel(int* flags) {
  flags[0] = 0;
  flags[1] = 1 << 30;
  flags[2] = 1;
  flags[3] = 0;
}

__global__ void finish_kernel(std::uint64_t m, const int* delays, double* status) {
  status[st_min_delay] = m == 0 ? 0 : delays[0];
  status[st_max_delay] = m == 0 ? 1 : delays[1];
  status[st_max_weight] = __uint_as_float(static_cast<unsigned>(delays[2]));
}

template <typename T>
T* scratch(std::size_t n, cudaStream_t s) {
  void* p = nullptr;
  STARLING_CHECK_CUDA(cudaMallocAsync(&p, (n == 0 ? 1 : n) * sizeof(T), s));
  return static_cast<T*>(p);
}

}  // namespace

void count_cuda(const args& a, void* const* ptrs, const step_context&, void* stream) {
  auto s = static_cast<cudaStream_t>(stream);
  count_kernel<<<blocks_for(part_units(a.spec)), threads, 0, s>>>(
      a.spec, buffer_ptr<std::int64_t>(ptrs, a.io, 0));
  STARLING_CHECK_CUDA(cudaGetLastError());
}

void generate_cuda(const args& a, void* const* ptrs, const step_context&, void* stream) {
  auto s = static_cast<cudaStream_t>(stream);
  const std::uint64_t m = a.total;
  if (m >= (1ull << 31))
    throw invalid_argument("connect: " + std::to_string(m) +
                           " connections in one call; expected fewer than 2^31");
  auto* status = buffer_ptr<double>(ptrs, a.io, g_status);
  STARLING_CHECK_CUDA(cudaMemsetAsync(status, 0, n_status * sizeof(double), s));
  int device = 0;
  STARLING_CHECK_CUDA(cudaGetDevice(&device));
  runtime::cuda_keep_scratch(device);
  const generated g{scratch<std::uint32_t>(m, s),
                    scratch<std::uint32_t>(m, s),
                    scratch<float>(m, s),
                    scratch<std::int32_t>(m, s),
                    status,
                    buffer_ptr<const double>(ptrs, a.io, g_weight_array),
                    buffer_ptr<const double>(ptrs, a.io, g_delay_array)};
  // [0] first error, [1] shortest delay, [2] longest delay, [3] largest |weight| (as bits)
  int* flags = scratch<int>(4, s);
  init_kernel<<<1, 1, 0, s>>>(flags);
  const bool one_thread = sequential(a.spec);
  generate_kernel<<<one_thread ? 1 : blocks_for(part_units(a.spec)), one_thread ? 1 : threads, 0,
                    s>>>(a.spec, g, buffer_ptr<const std::int64_t>(ptrs, a.io, g_offsets),
                         one_thread, flags);
  STARLING_CHECK_CUDA(cudaGetLastError());

  auto* rows = buffer_ptr<std::int64_t>(ptrs, a.io, g_rows);
  auto* synapses = buffer_ptr<std::uint32_t>(ptrs, a.io, g_synapses);
  auto* weights = buffer_ptr<float>(ptrs, a.io, g_weights);
  std::uint64_t* keys_in = scratch<std::uint64_t>(m, s);
  std::uint64_t* keys_out = scratch<std::uint64_t>(m, s);
  key_kernel<<<blocks_for(m), threads, 0, s>>>(m, g, a.spec.target_bits, keys_in);
  STARLING_CHECK_CUDA(cudaGetLastError());
  // Sort on the bits in use only: the packed word and the source index.
  const int end_bit = 32 + target_bits_for(static_cast<std::uint64_t>(a.spec.n_pre) + 1);
  const int items = static_cast<int>(m);
  std::size_t temp_bytes = 0;
  STARLING_CHECK_CUDA(cub::DeviceRadixSort::SortPairs(nullptr, temp_bytes, keys_in, keys_out,
                                                      g.weight, weights, items, 0, end_bit, s));
  void* temp = scratch<char>(temp_bytes, s);
  STARLING_CHECK_CUDA(cub::DeviceRadixSort::SortPairs(temp, temp_bytes, keys_in, keys_out, g.weight,
                                                      weights, items, 0, end_bit, s));
  const std::size_t row_bytes = (static_cast<std::size_t>(a.spec.n_pre) + 1) * sizeof(std::int64_t);
  if (m == 0) STARLING_CHECK_CUDA(cudaMemsetAsync(rows, 0, row_bytes, s));
  split_kernel<<<blocks_for(m), threads, 0, s>>>(m, a.spec.n_pre, keys_out, a.spec.target_bits,
                                                 rows, synapses, flags + 1);
  STARLING_CHECK_CUDA(cudaGetLastError());
  max_weight_kernel<<<blocks_for(m), threads, 0, s>>>(m, weights,
                                                      reinterpret_cast<unsigned*>(flags + 3));
  STARLING_CHECK_CUDA(cudaGetLastError());
  finish_kernel<<<1, 1, 0, s>>>(m, flags + 1, status);
  STARLING_CHECK_CUDA(cudaGetLastError());
  // Stream-ordered frees: the next call reuses the pool; prepare hands it back
  // (runtime::cuda_release_scratch).
  for (void* p :
       {static_cast<void*>(g.source), static_cast<void*>(g.target), static_cast<void*>(g.weight),
        static_cast<void*>(g.delay), static_cast<void*>(flags), static_cast<void*>(keys_in),
        static_cast<void*>(keys_out), temp})
    STARLING_CHECK_CUDA(cudaFreeAsync(p, s));
}

}  // namespace starling::codelets::connect
