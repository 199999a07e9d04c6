#pragma once
// Writes the step's spike list of a generator population on the GPU (see generator_emit.hpp).
#include <cstdint>

#include "codelets/common/population_io.hpp"
#include "runtime/cuda_check.cuh"

namespace starling::codelets {

template <typename Mult>
__global__ void emit_kernel(std::int64_t n, spike_list spikes, Mult mult) {
  const std::int64_t g = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
  if (g >= n) return;
  const std::uint32_t m = mult(g);
  if (m == 0) return;
  const std::uint32_t at = atomicAdd(spikes.count, 1u);
  spikes.ids[at] = static_cast<std::uint32_t>(g);
  spikes.mult[at] = m;
}

template <typename Mult>
void emit_cuda(std::int64_t n, std::uint32_t* words, Mult mult, cudaStream_t stream) {
  const spike_list spikes = make_spike_list(words, n);
  STARLING_CHECK_CUDA(cudaMemsetAsync(spikes.count, 0, sizeof(std::uint32_t), stream));
  if (n == 0) return;
  const int threads = 128;
  emit_kernel<<<static_cast<unsigned>((n + threads - 1) / threads), threads, 0, stream>>>(n, spikes,
                                                                                          mult);
  STARLING_CHECK_CUDA(cudaGetLastError());
}

}  // namespace starling::codelets
