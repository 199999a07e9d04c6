#include <cub/device/device_radix_sort.cuh>
#include <cub/device/device_scan.cuh>

#include "connect.hpp"
#include "runtime/cuda_check.cuh"
#include "starling/error.hpp"

namespace starling::codelets::connect {

namespace {

constexpr int threads = 256;

unsigned blocks_for(std::uint64_t n) {
  const std::uint64_t b = (n + threads - 1) / threads;
  return static_cast<unsigned>(b < 65535 ? (b == 0 ? 1 : b) : 65535);
}

__global__ void count_kernel(rule_spec s, std::int64_t* counts) {
  const std::uint64_t n = units(s);
  for (std::uint64_t u = blockIdx.x * static_cast<std::uint64_t>(blockDim.x) + threadIdx.x; u < n;
       u += static_cast<std::uint64_t>(gridDim.x) * blockDim.x)
    counts[u + 1] = static_cast<std::int64_t>(unit_count(s, u));
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
  const std::uint64_t n = units(s);
  const std::uint64_t start =
      one_thread ? 0 : blockIdx.x * static_cast<std::uint64_t>(blockDim.x) + threadIdx.x;
  const std::uint64_t stride = one_thread ? 1 : static_cast<std::uint64_t>(gridDim.x) * blockDim.x;
  if (one_thread && (blockIdx.x != 0 || threadIdx.x != 0)) return;
  for (std::uint64_t u = start; u < n; u += stride) {
    double bad = 0.0;
    const std::uint64_t at = s.kind == rule_kind::pairwise_bernoulli
                                 ? static_cast<std::uint64_t>(offsets[u])
                                 : unit_offset(s, u);
    const int err = generate_unit(s, g, u, at, bad);
    if (err != err_none) {
      report(first, g.status, err, bad, u);
      if (one_thread) return;
    }
  }
}

__global__ void key_kernel(std::uint64_t m, const std::uint32_t* src, const std::int32_t* delay,
                           std::uint64_t* keys, std::uint32_t* order) {
  for (std::uint64_t k = blockIdx.x * static_cast<std::uint64_t>(blockDim.x) + threadIdx.x; k < m;
       k += static_cast<std::uint64_t>(gridDim.x) * blockDim.x) {
    keys[k] = csr_key(src[k], delay[k]);
    order[k] = static_cast<std::uint32_t>(k);
  }
}

struct table {
  std::int64_t* rows;
  std::uint32_t* targets;
  double* weights;
  std::int32_t* delays;
  std::int32_t* receptors;
};

__global__ void gather_kernel(std::uint64_t m, const std::uint32_t* order, generated g, table t,
                              int* longest) {
  for (std::uint64_t k = blockIdx.x * static_cast<std::uint64_t>(blockDim.x) + threadIdx.x; k < m;
       k += static_cast<std::uint64_t>(gridDim.x) * blockDim.x) {
    const std::uint32_t o = order[k];
    t.targets[k] = g.target[o];
    t.weights[k] = g.weight[o];
    t.delays[k] = g.delay[o];
    t.receptors[k] = g.receptor[o];
    atomicAdd(reinterpret_cast<unsigned long long*>(&t.rows[g.source[o] + 1]), 1ull);
    atomicMax(longest, g.delay[o]);
  }
}

__global__ void finish_kernel(const int* longest, double* status) {
  status[st_max_delay] = *longest;
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
  count_kernel<<<blocks_for(units(a.spec)), threads, 0, s>>>(
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
  const generated g{scratch<std::uint32_t>(m, s),
                    scratch<std::uint32_t>(m, s),
                    scratch<double>(m, s),
                    scratch<std::int32_t>(m, s),
                    scratch<std::int32_t>(m, s),
                    status,
                    buffer_ptr<const double>(ptrs, a.io, g_weight_array),
                    buffer_ptr<const double>(ptrs, a.io, g_delay_array)};
  int* flags = scratch<int>(2, s);  // [0] first error, [1] longest delay
  STARLING_CHECK_CUDA(cudaMemsetAsync(flags, 0, 2 * sizeof(int), s));
  const bool one_thread = sequential(a.spec);
  generate_kernel<<<one_thread ? 1 : blocks_for(units(a.spec)), one_thread ? 1 : threads, 0, s>>>(
      a.spec, g, buffer_ptr<const std::int64_t>(ptrs, a.io, g_offsets), one_thread, flags);
  STARLING_CHECK_CUDA(cudaGetLastError());

  std::uint64_t* keys_in = scratch<std::uint64_t>(m, s);
  std::uint64_t* keys_out = scratch<std::uint64_t>(m, s);
  std::uint32_t* order_in = scratch<std::uint32_t>(m, s);
  std::uint32_t* order_out = scratch<std::uint32_t>(m, s);
  key_kernel<<<blocks_for(m), threads, 0, s>>>(m, g.source, g.delay, keys_in, order_in);
  STARLING_CHECK_CUDA(cudaGetLastError());
  const int items = static_cast<int>(m);
  std::size_t temp_bytes = 0;
  STARLING_CHECK_CUDA(cub::DeviceRadixSort::SortPairs(nullptr, temp_bytes, keys_in, keys_out,
                                                      order_in, order_out, items, 0, 52, s));
  void* temp = scratch<char>(temp_bytes, s);
  STARLING_CHECK_CUDA(cub::DeviceRadixSort::SortPairs(temp, temp_bytes, keys_in, keys_out, order_in,
                                                      order_out, items, 0, 52, s));
  const table t{buffer_ptr<std::int64_t>(ptrs, a.io, g_rows),
                buffer_ptr<std::uint32_t>(ptrs, a.io, g_targets),
                buffer_ptr<double>(ptrs, a.io, g_weights),
                buffer_ptr<std::int32_t>(ptrs, a.io, g_delays),
                buffer_ptr<std::int32_t>(ptrs, a.io, g_receptors)};
  const int n_rows = static_cast<int>(a.spec.n_pre) + 1;
  STARLING_CHECK_CUDA(
      cudaMemsetAsync(t.rows, 0, static_cast<std::size_t>(n_rows) * sizeof(std::int64_t), s));
  STARLING_CHECK_CUDA(cudaMemsetAsync(flags + 1, 0, sizeof(int), s));
  gather_kernel<<<blocks_for(m), threads, 0, s>>>(m, order_out, g, t, flags + 1);
  STARLING_CHECK_CUDA(cudaGetLastError());
  std::size_t scan_bytes = 0;
  STARLING_CHECK_CUDA(
      cub::DeviceScan::InclusiveSum(nullptr, scan_bytes, t.rows, t.rows, n_rows, s));
  void* scan_temp = scratch<char>(scan_bytes, s);
  STARLING_CHECK_CUDA(
      cub::DeviceScan::InclusiveSum(scan_temp, scan_bytes, t.rows, t.rows, n_rows, s));
  finish_kernel<<<1, 1, 0, s>>>(flags + 1, status);
  STARLING_CHECK_CUDA(cudaGetLastError());
  for (void* p :
       {static_cast<void*>(g.source), static_cast<void*>(g.target), static_cast<void*>(g.weight),
        static_cast<void*>(g.delay), static_cast<void*>(g.receptor), static_cast<void*>(flags),
        static_cast<void*>(keys_in), static_cast<void*>(keys_out), static_cast<void*>(order_in),
        static_cast<void*>(order_out), temp, scan_temp})
    STARLING_CHECK_CUDA(cudaFreeAsync(p, s));
  // Construction may wait: hand the scratch back to the device rather than keep it pooled.
  STARLING_CHECK_CUDA(cudaStreamSynchronize(s));
  cudaMemPool_t pool = nullptr;
  int device = 0;
  STARLING_CHECK_CUDA(cudaGetDevice(&device));
  STARLING_CHECK_CUDA(cudaDeviceGetDefaultMemPool(&pool, device));
  STARLING_CHECK_CUDA(cudaMemPoolTrimTo(pool, 0));
}

}  // namespace starling::codelets::connect
