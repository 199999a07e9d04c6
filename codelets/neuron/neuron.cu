#include "codelets/common/population_io.hpp"
#include "neuron.hpp"
#include "neuron_step.hpp"
#include "runtime/cuda_check.cuh"

namespace starling::codelets::neuron {

namespace {

template <typename M>
__global__ void update_kernel(std::int64_t n, double* state, const double* coeff,
                              std::int64_t* slot, spike_list spikes) {
  const std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
  if (i >= n) return;
  const std::uint32_t m = step_member<M>(n, i, state, coeff, slot);
  if (m != 0) {
    const std::uint32_t at = atomicAdd(spikes.count, 1u);
    spikes.ids[at] = static_cast<std::uint32_t>(i);
    spikes.mult[at] = m;
  }
}

}  // namespace

void step_cuda(const args& a, void* const* ptrs, const step_context& ctx, void* stream) {
  auto s = static_cast<cudaStream_t>(stream);
  const std::int64_t n = a.n;
  const spike_list spikes = make_spike_list(buffer_ptr<std::uint32_t>(ptrs, a.io, buf_spikes), n);
  STARLING_CHECK_CUDA(cudaMemsetAsync(spikes.count, 0, sizeof(std::uint32_t), s));
  if (n == 0) return;
  const int threads = 256;
  const auto blocks = static_cast<unsigned>((n + threads - 1) / threads);
  models::with_model(models::all{}, a.model, [&](auto tag) {
    using M = typename decltype(tag)::type;
    std::int64_t* slot = buffer_ptr<std::int64_t>(ptrs, a.io, buf_ring) +
                         (ctx.step % a.ring_slots) * M::n_channels * n;
    update_kernel<M><<<blocks, threads, 0, s>>>(n, buffer_ptr<double>(ptrs, a.io, buf_state),
                                                buffer_ptr<const double>(ptrs, a.io, buf_coeff),
                                                slot, spikes);
  });
  STARLING_CHECK_CUDA(cudaGetLastError());
}

}  // namespace starling::codelets::neuron
