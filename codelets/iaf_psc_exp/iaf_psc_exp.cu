#include "codelets/common/fixed_point.hpp"
#include "codelets/common/population_io.hpp"
#include "iaf_psc_exp.hpp"
#include "iaf_psc_exp_math.hpp"
#include "runtime/cuda_check.cuh"

namespace starling::codelets::iaf_psc_exp {

namespace {

__global__ void update_kernel(std::int64_t n, double* state, const double* coeff,
                              std::int64_t* slot, spike_list spikes) {
  const std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
  if (i >= n) return;
  double s[n_states];
  double c[n_coeffs];
  for (int k = 0; k < n_states; ++k) s[k] = state[k * n + i];
  for (int k = 0; k < n_coeffs; ++k) c[k] = coeff[k * n + i];
  const bool spiked =
      update(s, c, from_fixed(slot[rec_ex * n + i]), from_fixed(slot[rec_in * n + i]),
             from_fixed(slot[rec_current * n + i]));
  for (int r = 0; r < n_receptors; ++r) slot[r * n + i] = 0;
  for (int k = 0; k < n_states; ++k) state[k * n + i] = s[k];
  if (spiked) {
    const std::uint32_t at = atomicAdd(spikes.count, 1u);
    spikes.ids[at] = static_cast<std::uint32_t>(i);
    spikes.mult[at] = 1;
  }
}

}  // namespace

void step_cuda(const args& a, void* const* ptrs, const step_context& ctx, void* stream) {
  auto s = static_cast<cudaStream_t>(stream);
  const std::int64_t n = a.n;
  std::int64_t* slot =
      buffer_ptr<std::int64_t>(ptrs, a.io, buf_ring) + (ctx.step % a.ring_slots) * n_receptors * n;
  const spike_list spikes = make_spike_list(buffer_ptr<std::uint32_t>(ptrs, a.io, buf_spikes), n);
  STARLING_CHECK_CUDA(cudaMemsetAsync(spikes.count, 0, sizeof(std::uint32_t), s));
  if (n == 0) return;
  const int threads = 256;
  const auto blocks = static_cast<unsigned>((n + threads - 1) / threads);
  update_kernel<<<blocks, threads, 0, s>>>(n, buffer_ptr<double>(ptrs, a.io, buf_state),
                                           buffer_ptr<const double>(ptrs, a.io, buf_coeff), slot,
                                           spikes);
  STARLING_CHECK_CUDA(cudaGetLastError());
}

}  // namespace starling::codelets::iaf_psc_exp
