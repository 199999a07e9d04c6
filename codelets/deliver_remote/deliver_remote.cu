#include "codelets/deliver/deliver_math.hpp"
#include "deliver_remote.hpp"
#include "runtime/cuda_check.cuh"

namespace starling::codelets::deliver_remote {

namespace {

// One block per received spike (in turn), its threads share the spike's row. The count and the
// entries are read from host memory.
__global__ void deliver_remote_kernel(args a, const std::int64_t* rows,
                                      const std::uint32_t* synapses, const float* weights,
                                      std::int64_t* ring) {
  const std::uint64_t count = *a.count;
  for (std::uint64_t j = blockIdx.x; j < count; j += gridDim.x) {
    const std::uint64_t e = a.entries[j];
    const std::int64_t step = a.first + 1 + static_cast<std::int64_t>(e >> 32);
    const auto g = static_cast<std::uint32_t>(e & 0xffffffffu);
    for (std::int64_t k = rows[g] + threadIdx.x; k < rows[g + 1]; k += blockDim.x)
      atomicAdd(
          reinterpret_cast<unsigned long long*>(&ring[deliver::ring_index(
              step, synapse_delay(synapses[k], a.target_bits), a.ring_slots, a.receptors, a.n_tgt,
              a.channel.of(weights[k]), synapse_target(synapses[k], a.target_bits))]),
          static_cast<unsigned long long>(to_fixed(a.channel.value(weights[k]))));
  }
}

}  // namespace

void step_cuda(const args& a, void* const* ptrs, const step_context&, void* stream) {
  deliver_remote_kernel<<<256, 128, 0, static_cast<cudaStream_t>(stream)>>>(
      a, buffer_ptr<const std::int64_t>(ptrs, a.io, 0),
      buffer_ptr<const std::uint32_t>(ptrs, a.io, 1), buffer_ptr<const float>(ptrs, a.io, 2),
      buffer_ptr<std::int64_t>(ptrs, a.io, 3));
  STARLING_CHECK_CUDA(cudaGetLastError());
}

}  // namespace starling::codelets::deliver_remote
