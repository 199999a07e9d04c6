#include "record_states.hpp"
#include "runtime/cuda_check.cuh"

namespace starling::codelets::record_states {

namespace {

__global__ void sample_kernel(args a, const double* state, double* out) {
  const std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
  if (i >= a.n) return;
  for (int v = 0; v < a.n_vars; ++v) out[v * a.n + i] = state[a.var[v] * a.n + i];
}

}  // namespace

void step_cuda(const args& a, void* const* ptrs, const step_context& ctx, void* stream) {
  const std::int64_t r = row(ctx.step, ctx.first, a.interval);
  if (r < 0 || a.n == 0) return;
  const int threads = 256;
  sample_kernel<<<static_cast<unsigned>((a.n + threads - 1) / threads), threads, 0,
                  static_cast<cudaStream_t>(stream)>>>(
      a, buffer_ptr<const double>(ptrs, a.io, 0),
      buffer_ptr<double>(ptrs, a.io, 1) + r * a.n_vars * a.n);
  STARLING_CHECK_CUDA(cudaGetLastError());
}

}  // namespace starling::codelets::record_states
